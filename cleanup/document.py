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

    def has_edit(self, edit_id_: str) -> bool:
        return edit_id_ in self._by_id

    def add_edit(self, edit: Edit) -> None:
        """Log an edit made outside the stages (a reviewer's hand correction): it
        names its source span itself and leaves the current text alone."""
        self.edits.append(edit)
        self._by_id[edit.id] = edit

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
    def apply(self, stage: str, proposals: Iterable[Proposal], decisions: "Decisions | None" = None) -> list[Edit]:
        """Log a stage's proposals (made on the current text). Overlapping
        proposals keep the first; a proposal that changes nothing is dropped.
        A proposal the `decisions` accept changes the text the later stages read
        (it stays logged as proposed: the reviewer, not the profile, took it up)."""
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
            if p.proposed_only and not (decisions is not None and decisions.allows(edit)):
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
REVIEWER = "reviewer"  # the rule of a reviewer's hand correction: it wins over any change it overlaps


@dataclass
class Decisions:
    """A reviewer's decisions: ids to reject, proposals to accept, rules to reject,
    corrections ((word as read, word as corrected)) to accept or reject wherever
    they occur, and hand corrections (`edit`: dicts start, end, before, text).

    The most specific decision wins: a change's own id, then its correction, then
    its rule ("this rule except these"). `keys` maps a change id to its correction,
    bound to a document by `cleanup.decisions.bind`; it is needed only when
    corrections are decided."""

    reject: set[str] = field(default_factory=set)
    accept: set[str] = field(default_factory=set)
    reject_rules: set[str] = field(default_factory=set)
    accept_corrections: set[tuple[str, str]] = field(default_factory=set)
    reject_corrections: set[tuple[str, str]] = field(default_factory=set)
    edit: list[dict] = field(default_factory=list)
    keys: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def _by_correction(self, e: "Edit") -> bool | None:
        """True/False if a correction decision settles `e`, None if none does."""
        if not (self.accept_corrections or self.reject_corrections):
            return None
        key = self.keys.get(e.id)
        if key in self.reject_corrections:
            return False
        if key in self.accept_corrections:
            return True
        return None

    def rejected(self, e: "Edit") -> bool:
        if e.id in self.reject:
            return True
        if e.id in self.accept:
            return False
        by = self._by_correction(e)
        return (not by) if by is not None else e.rule in self.reject_rules

    def accepted(self, e: "Edit") -> bool:
        """Taken up by its id or its correction (and not turned down more specifically)."""
        return e.id in self.accept or (e.id not in self.reject and self._by_correction(e) is True)

    def decided(self, e: "Edit") -> bool:
        """A decision has taken the edit up or turned it down."""
        return self.accepted(e) or self.rejected(e)

    def allows(self, e: "Edit") -> bool:
        """The edit itself is in effect (the edits it absorbed are judged apart)."""
        return (not e.proposed_only or self.accepted(e)) and not self.rejected(e)

    def pending(self, e: "Edit") -> bool:
        """A proposal no decision has taken up or turned down yet."""
        return e.proposed_only and not self.decided(e)


def in_effect(edits: list[Edit], decisions: Decisions | None = None) -> dict[str, bool]:
    """Whether each edit is alive: allowed by the decisions and every edit it
    absorbed alive too. The one answer report, review and render share.

    One pass in log order: an edit only ever absorbs earlier ones."""
    d = decisions or Decisions()
    alive: dict[str, bool] = {}
    for e in edits:
        alive[e.id] = d.allows(e) and all(alive.get(c, False) for c in e.replaces)
    return alive


def stale_proposals(edits: list[Edit], decisions: Decisions | None, taken_up=()) -> list[Edit]:
    """Proposals whose acceptance the log cannot show: accepted ones that an applied
    edit of a later stage overlaps (a running head a line join runs through: the log
    was made without the acceptance), and ones no longer accepted that an applied
    edit was built on or that the run made the log with took up (`taken_up`, ids:
    BOOK.run.json's accepted_proposals). The pipeline, run again with the decisions,
    shows them (`Document.apply`)."""
    d = decisions or Decisions()
    alive = in_effect(edits, d)
    taken = sorted((e.start, e.end) for e in edits if alive[e.id] and not e.proposed_only)
    by_id = {e.id: e for e in edits}
    absorbed = {c for e in edits if alive[e.id] for c in e.replaces}  # (shown through the edit built on them)
    blocked = [e for e in edits if e.proposed_only and alive[e.id] and e.rule != REVIEWER
               and e.id not in absorbed and _clashes(taken, e)]
    built_on = {c for e in edits if not e.proposed_only and d.allows(e) for c in e.replaces
                if c in by_id and by_id[c].proposed_only and not alive[c]}
    built_on |= {c for c in taken_up if c in by_id and not d.allows(by_id[c])}
    return blocked + [by_id[c] for c in sorted(built_on)]


def visible_edits(edits: list[Edit], decisions: Decisions | None = None, source: str | None = None,
                  bounds: tuple[int, int] | None = None) -> list[Edit]:
    """The edits that shape the output under `decisions`, in source order.

    An edit shows if alive and no alive edit absorbed it. A reviewer's hand
    correction wins over every change it overlaps; accepted proposals yield to
    applied edits. A change turned down by a decision where it had moved line
    ends gives its rejected reading instead of the raw scan (`rejected_reading`),
    so the output keeps the contract: no line break inside a paragraph. With
    `source`, that reading takes in the whitespace around the change too (within
    `bounds`, if given)."""
    d = decisions or Decisions()
    alive = in_effect(edits, d)
    parent: dict[str, str] = {}
    for e in edits:
        for c in e.replaces:
            parent[c] = e.id
    shown = [e for e in edits if alive[e.id] and not (e.id in parent and alive[parent[e.id]])]
    hand = sorted((e.start, e.end) for e in shown if e.rule == REVIEWER)
    applied = [e for e in shown if e.rule == REVIEWER]
    applied += [e for e in shown if not e.proposed_only and e.rule != REVIEWER
                and not (hand and _clashes(hand, e))]
    proposals = [e for e in shown if e.proposed_only and e.rule != REVIEWER]
    if proposals:
        taken = sorted((e.start, e.end) for e in applied)
        for e in proposals:
            if not _clashes(taken, e):
                applied.append(e)
                bisect.insort(taken, (e.start, e.end))
    applied.sort(key=lambda e: (e.start, e.end))
    turned_down = [e for e in edits if not alive[e.id] and not e.proposed_only and _moves_line_ends(e)
                   and not (e.id in parent and alive[parent[e.id]])]
    if not turned_down:
        return applied
    return _with_rejected_readings(applied, turned_down, source, bounds or (0, len(source or "")))


def _clashes(taken: list[tuple[int, int]], e: Edit) -> bool:
    """`e` overlaps a span of sorted `taken` (two insertions at one point clash too)."""
    k = bisect.bisect_left(taken, (e.start, e.end))
    return any(s < e.end and e.start < t or (s == t == e.start == e.end) for s, t in taken[max(0, k - 1) : k + 1])


def _moves_line_ends(e: Edit) -> bool:
    """It joined or split lines, or took spaces from around a line end (a CR LF
    made LF does neither)."""
    before = e.before.replace("\r\n", "\n")
    if before.count("\n") != e.after.count("\n"):
        return True
    return before != e.after and _SPACED_LINE_END.search(before) is not None and not before.strip(" \t\n")


_SPACED_LINE_END = re.compile("[ \t]\n|\n[ \t]")


_LINE_END_RUN = re.compile("[ \t\r\f\v]*\n[ \t\n\r\f\v]*")


def rejected_reading(text: str, keep_breaks: bool = False, left: str = "") -> str:
    """What a stretch of the scan reads as once a change that moved its line ends
    is turned down, per the output contract: a run holding two or more line breaks
    is a paragraph break (one blank line); a line end inside a paragraph is one
    space (two words), or nothing after a printed hyphen, which stays
    (`strong-⏎willed` → `strong-willed`). Never a line break inside a paragraph
    nor a space beside one. With `keep_breaks` (the change only took spaces from
    around line ends), each line end stays one. `left`: the character before `text`."""
    def one(m: re.Match) -> str:
        if m.group().count("\n") >= 2:
            return "\n\n"
        if keep_breaks:
            return "\n"
        return "" if (text[m.start() - 1] if m.start() else left) == "-" else " "
    return _LINE_END_RUN.sub(one, text)


_WS_BEFORE = re.compile("[ \t\r\n\f\v]*")
_REACH = 200  # a rejected reading takes in at most this much whitespace either side (a page of blank lines)
_WS_SET = " \t\r\n\f\v"


def line_end_neighbours(source: str, s: int, t: int) -> tuple[bool, bool]:
    """Whether the rejected reading of source[s:t] takes in the whitespace before
    it, and after it: where the change cuts a whitespace run, or a line ends next
    to it (a removed line's line break, for one)."""
    left = s > 0 and (source[s - 1] == "\n" or (s < t and source[s] in _WS_SET and source[s - 1] in _WS_SET))
    right = t < len(source) and (source[t] == "\n" or (s < t and source[t - 1] in _WS_SET and source[t] in _WS_SET))
    return left, right


def _with_rejected_readings(applied: list[Edit], turned_down: list[Edit], source: str | None,
                            bounds: tuple[int, int]) -> list[Edit]:
    """`applied` with each outermost turned-down span (grown over the whitespace
    around it, if `source` is given) read per `rejected_reading`, the applied
    edits inside it folded into that reading."""
    spans: list[list] = []  # [start, end, before, keep_breaks, the edit], disjoint, in order
    for e in sorted(turned_down, key=lambda e: (e.start, -e.end)):
        s, t, before = e.start, e.end, e.before
        keep = before.replace("\r\n", "\n").count("\n") == e.after.count("\n")
        if source is not None:
            lo, hi = bounds
            grow_left, grow_right = line_end_neighbours(source, s, t)
            if grow_left:
                s -= _WS_BEFORE.match(source[max(lo, s - _REACH) : s][::-1]).end()
            if grow_right:
                t = _WS_BEFORE.match(source, t, min(hi, t + _REACH)).end()
            before = source[s:t]
        if spans and s < spans[-1][1]:
            last = spans[-1]
            if t > last[1]:  # overlapping, not nested: one span for both
                last[2] += before[last[1] - s :]
                last[1] = t
                last[3] = last[3] and keep
            continue
        spans.append([s, t, before, keep, e])
    starts = [e.start for e in applied]
    out: list[Edit] = []
    pos = 0  # applied[:pos] are settled
    for s, t, before, keep, e in spans:
        i = bisect.bisect_left(starts, s)
        j = i
        while j < len(applied) and applied[j].end <= t and applied[j].start < t:
            j += 1
        straddles = (i > 0 and applied[i - 1].end > s) or (j < len(applied) and applied[j].start < t)
        if i < pos or straddles:
            continue  # an applied change crosses its border: leave the scan as it is
        inner, k = [], s
        for a in applied[i:j]:
            inner += [before[k - s : a.start - s], a.after]
            k = a.end
        inner.append(before[k - s :])
        reading = rejected_reading("".join(inner), keep, source[s - 1] if source is not None and s else "")
        out += applied[pos:i]
        out.append(_new_edit(**{**e.__dict__, "start": s, "end": t, "before": before, "after": reading,
                                "replaces": (), "proposed_only": False}))
        pos = j
    out += applied[pos:]
    return out


def render(source: str, edits: list[Edit], decisions: Decisions | None = None,
           span: tuple[int, int] | None = None) -> str:
    """The text the log produces from `source` under `decisions`; with `span`,
    only that stretch of the source (the edits given must lie inside it)."""
    lo, hi = span if span is not None else (0, len(source))
    parts, pos = [], lo
    for e in visible_edits(edits, decisions, source, (lo, hi)):
        parts.append(source[pos : e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(source[pos:hi])
    return "".join(parts)
