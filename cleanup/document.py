"""The one idea at the centre: a source text plus an ordered log of edits.

Every stage reads the *current* text (the source with all earlier applied edits)
and proposes replacements in current-text coordinates. The document maps each
proposal back onto the *source*, so an edit always names the source span it
replaces. The cleaned text, the diff report, review decisions and undo are all
derived from the log: nothing else carries state.

When a proposal touches the output of an earlier edit, the new edit absorbs it
(`replaces`): its source span grows to cover the earlier edit, and rejecting the
earlier edit also drops the later one, which was computed from its output.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Iterable, NamedTuple


class Proposal(NamedTuple):
    """A change a stage wants, in coordinates of the text the stage was shown.

    An immutable record like Edit, but a NamedTuple: stages make one per line
    boundary, and it builds in a third of a frozen dataclass's time."""

    start: int
    end: int
    after: str
    rule: str
    reason: str
    confidence: float = 1.0
    proposed_only: bool = False  # below its rule's auto_apply (set by the pipeline): shown for review


@dataclass(frozen=True)
class Edit:
    """One logged change, anchored to the source text."""

    id: str
    stage: str
    rule: str
    start: int  # source offset (characters of the decoded source)
    end: int
    line: int  # 1-based source line of `start`, for people
    before: str  # source[start:end]
    after: str
    confidence: float
    reason: str
    replaces: tuple[str, ...] = ()
    proposed_only: bool = False

    def to_json(self) -> dict:
        # by hand, not dataclasses.asdict: it deep-copies every field (a log has thousands)
        return {"id": self.id, "stage": self.stage, "rule": self.rule, "start": self.start, "end": self.end,
                "line": self.line, "before": self.before, "after": self.after, "confidence": self.confidence,
                "reason": self.reason, "replaces": list(self.replaces), "proposed_only": self.proposed_only}

    @classmethod
    def from_json(cls, d: dict) -> "Edit":
        d = dict(d)
        d["replaces"] = tuple(d.get("replaces", ()))
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def edit_id(start: int, end: int, before: str, after: str) -> str:
    """Stable id from position and content: the same change on the same scan gets
    the same id on every run, whatever other rules were added meanwhile."""
    key = f"{start}:{end}:{before}\x00{after}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(key, digest_size=6).hexdigest()


@dataclass(slots=True)  # a book's text is thousands of segments
class _Segment:
    """A run of the current text: source-backed (edit is None) or an edit's output.
    Never changed once made, so an unsplit one is shared between segment lists."""

    src_start: int
    src_end: int
    text: str
    edit: str | None = None


class Document:
    """Source text, its encoding, and the ordered edit log."""

    def __init__(self, source: str, name: str = "", encoding: str = "utf-8"):
        self.source = source
        self.name = name
        self.encoding = encoding
        self.edits: list[Edit] = []
        self._by_id: dict[str, Edit] = {}
        self._segments = [_Segment(0, len(source), source)] if source else []
        self._text: str | None = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    # -- reading -----------------------------------------------------------------
    @property
    def text(self) -> str:
        """The current text: the source with every applied edit so far."""
        if self._text is None:
            self._text = "".join(s.text for s in self._segments)
        return self._text

    def line_of(self, src_offset: int) -> int:
        return bisect.bisect_right(self._line_starts, src_offset)

    def edit(self, edit_id_: str) -> Edit:
        return self._by_id[edit_id_]

    def source_offsets(self, positions: list[int]) -> list[int]:
        """Source offset of each current-text offset in sorted `positions`, in
        one pass (a position inside an edit's output maps to the edit's start)."""
        out: list[int] = []
        pos, k = 0, 0
        for seg in self._segments:
            end = pos + len(seg.text)
            while k < len(positions) and positions[k] < end:
                off = positions[k] - pos
                out.append(seg.src_start + off if seg.edit is None else seg.src_start)
                k += 1
            pos = end
        out.extend(len(self.source) for _ in positions[k:])
        return out

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span behind current-text span [start, end) (edits widened whole)."""
        return self._map(start, end)

    # -- writing -----------------------------------------------------------------
    def apply(self, stage: str, proposals: Iterable[Proposal]) -> list[Edit]:
        """Log a stage's proposals (made on the current text). Overlapping
        proposals keep the first; a proposal that changes nothing is dropped."""
        text = self.text
        chosen: list[Proposal] = []
        last_end = -1
        for p in sorted(proposals, key=lambda p: (p.start, p.end)):
            if not 0 <= p.start <= p.end <= len(text):
                raise ValueError(f"proposal {p.rule} outside the text: {p.start}..{p.end}")
            if p.start < last_end or text[p.start : p.end] == p.after:
                continue
            if p.start == p.end and chosen and chosen[-1].start == chosen[-1].end == p.start:
                continue
            chosen.append(p)
            last_end = p.end
        if not chosen:
            return []
        segs = self._split_at({q for p in chosen for q in (p.start, p.end)})
        offsets = _starts(segs)
        new_edits: list[Edit] = []
        out: list[_Segment] = []
        k = 0  # next segment of `segs` not yet copied to `out`; those before are settled
        for p in chosen:
            i, j = self._cover(segs, offsets, p.start, p.end)
            if i < k:
                continue  # two proposals on one earlier edit's output: keep the first
            head = tail = ""
            if i < j:
                first, last = segs[i], segs[j - 1]
                if first.edit:
                    head = first.text[: p.start - offsets[i]]
                if last.edit:
                    tail = last.text[p.end - offsets[j - 1] :]
                src_s, src_e = first.src_start, last.src_end  # source parts are split exactly
            else:  # an insertion between segments
                src_s = src_e = segs[i].src_start if i < len(segs) else len(self.source)
            absorbed = tuple(s.edit for s in segs[i:j] if s.edit)
            after = head + p.after + tail
            before = self.source[src_s:src_e]
            eid = edit_id(src_s, src_e, before, after)
            while eid in self._by_id:  # the very same change logged twice
                eid = edit_id(src_s, src_e, before, after + f"\x00{eid}")
            edit = _new_edit(
                id=eid, stage=stage, rule=p.rule, start=src_s, end=src_e,
                line=self.line_of(src_s), before=before, after=after,
                confidence=round(float(p.confidence), 3), reason=p.reason,
                replaces=absorbed, proposed_only=p.proposed_only,
            )
            self.edits.append(edit)
            self._by_id[eid] = edit
            new_edits.append(edit)
            if p.proposed_only:
                continue  # logged for review; the text stays as it was
            out += segs[k:i]
            out.append(_Segment(src_s, src_e, after, eid))
            k = j
        out += segs[k:]
        self._segments = [s for s in out if s.text or s.edit]
        self._text = None
        return new_edits

    # -- internals ---------------------------------------------------------------
    def _split_at(self, cuts: set[int]) -> list[_Segment]:
        """Segments with source-backed ones split at every cut point inside them.

        Driven by the cuts, not the segments: a stage with a few edits copies the
        untouched stretches of a book's thousands of segments as list slices."""
        segs = self._segments
        starts = _starts(segs)
        out: list[_Segment] = []
        done = 0  # segments before this index are in `out`
        for i, local in _cuts_by_segment(sorted(cuts), segs, starts):
            s = segs[i]
            bounds = [0, *local, len(s.text)]
            out += segs[done:i]
            out += [_Segment(s.src_start + a, s.src_start + b, s.text[a:b]) for a, b in zip(bounds, bounds[1:])]
            done = i + 1
        out += segs[done:]
        return out

    @staticmethod
    def _cover(segs: list[_Segment], offsets: list[int], start: int, end: int) -> tuple[int, int]:
        """Segment index range [i, j) that current span [start, end) touches.

        Source-backed segments are already split at start and end, so only edit
        outputs can be touched partially. An empty span inside an edit's output
        touches it; one between segments touches none (i == j)."""
        n = len(segs)
        if start == end:
            i = bisect.bisect_right(offsets, start) - 1
            if i >= 0 and segs[i].edit and offsets[i] < start < offsets[i] + len(segs[i].text):
                return i, i + 1
            # insert before the first non-empty segment starting at `start`
            i = bisect.bisect_left(offsets, start)
            while i < n and not segs[i].text and offsets[i] == start:
                i += 1
            # two insertions at one source point must merge, or their order is lost
            lo, hi = i, i
            if hi < n and segs[hi].edit and segs[hi].src_start == segs[hi].src_end:
                hi += 1
            if lo > 0 and segs[lo - 1].edit and segs[lo - 1].src_start == segs[lo - 1].src_end and offsets[lo - 1] + len(segs[lo - 1].text) == start:
                lo -= 1
            return lo, hi
        i = bisect.bisect_right(offsets, start) - 1
        while i < n and offsets[i] + len(segs[i].text) <= start:
            i += 1  # skip empty segments (deletions) at the start point
        j = bisect.bisect_left(offsets, end)  # first segment starting at or after end
        return i, j

    def _map(self, start: int, end: int) -> tuple[int, int]:
        segs = self._split_at({start, end})
        offsets = _starts(segs)
        i, j = self._cover(segs, offsets, start, end)
        if i == j:
            p = segs[i].src_start if i < len(segs) else len(self.source)
            return p, p
        return segs[i].src_start, segs[j - 1].src_end


def _starts(segs: list[_Segment]) -> list[int]:
    """The current-text offset at which each segment starts."""
    offsets = list(accumulate((len(s.text) for s in segs), initial=0))
    offsets.pop()  # the end of the text
    return offsets


def _cuts_by_segment(order: list[int], segs: list[_Segment], starts: list[int]):
    """(segment index, cut offsets inside it) for each source-backed segment that
    sorted cut points `order` fall strictly inside; an edit's output is never cut."""
    group, local = -1, []
    for c in order:
        i = bisect.bisect_right(starts, c) - 1
        if i < 0 or segs[i].edit is not None or c - starts[i] >= len(segs[i].text) or c == starts[i]:
            continue
        if i != group:
            if local:
                yield group, local
            group, local = i, []
        local.append(c - starts[i])
    if local:
        yield group, local


def _new_edit(**fields) -> Edit:
    """Edit(**fields), every field given, without the frozen dataclass's
    object.__setattr__ per field: apply logs thousands of edits per stage."""
    edit = object.__new__(Edit)
    edit.__dict__.update(fields)
    return edit


# -- deriving outputs from the log -------------------------------------------------
@dataclass
class Decisions:
    """A reviewer's decisions: ids to reject, proposals to accept, rules to reject."""

    reject: set[str] = field(default_factory=set)
    accept: set[str] = field(default_factory=set)
    reject_rules: set[str] = field(default_factory=set)

    def rejected(self, e: "Edit") -> bool:
        return e.id in self.reject or e.rule in self.reject_rules

    def decided(self, e: "Edit") -> bool:
        """A decision has taken the edit up or turned it down."""
        return e.id in self.accept or self.rejected(e)

    def allows(self, e: "Edit") -> bool:
        """The edit itself is in effect (the edits it absorbed are judged apart)."""
        return (not e.proposed_only or e.id in self.accept) and not self.rejected(e)

    def pending(self, e: "Edit") -> bool:
        """A proposal no decision has taken up or turned down yet."""
        return e.proposed_only and not self.decided(e)


def visible_edits(edits: list[Edit], decisions: Decisions | None = None) -> list[Edit]:
    """The edits that shape the output under `decisions`, in source order.

    An edit is alive if applied (or accepted), not rejected, and every edit it
    absorbed is alive. It shows unless an alive edit absorbed it."""
    d = decisions or Decisions()
    by_id = {e.id: e for e in edits}
    parent: dict[str, str] = {}
    for e in edits:
        for c in e.replaces:
            parent[c] = e.id
    memo: dict[str, bool] = {}

    def alive(eid: str) -> bool:
        if eid not in memo:
            e = by_id[eid]
            memo[eid] = d.allows(e) and all(c in by_id and alive(c) for c in e.replaces)
        return memo[eid]

    shown = [e for e in edits if alive(e.id) and not (e.id in parent and alive(parent[e.id]))]
    applied = [e for e in shown if not e.proposed_only]
    taken = sorted((e.start, e.end) for e in applied)
    for e in (e for e in shown if e.proposed_only):  # accepted proposals yield to applied edits
        k = bisect.bisect_left(taken, (e.start, e.end))
        clash = any(s < e.end and e.start < t or (s == t == e.start == e.end)
                    for s, t in taken[max(0, k - 1) : k + 1])
        if not clash:
            applied.append(e)
            bisect.insort(taken, (e.start, e.end))
    applied.sort(key=lambda e: (e.start, e.end))
    return applied


def render(source: str, edits: list[Edit], decisions: Decisions | None = None,
           span: tuple[int, int] | None = None) -> str:
    """The text the log produces from `source` under `decisions`; with `span`,
    only that stretch of the source (the edits given must lie inside it)."""
    lo, hi = span if span is not None else (0, len(source))
    parts, pos = [], lo
    for e in visible_edits(edits, decisions):
        parts.append(source[pos : e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(source[pos:hi])
    return "".join(parts)
