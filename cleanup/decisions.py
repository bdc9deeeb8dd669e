"""A reviewer's decisions file: which changes to reject, which proposals to accept,
which rules to reject wholesale, which corrections to take or refuse wherever
they occur, and the reviewer's own corrections typed by hand.

    {"reject": ["3f9a0c1d2e4b"], "accept": ["77c1e0a9b2d3"], "reject_rules": ["tab"],
     "reject_corrections": [{"before": "land", "after": "and"}],
     "edit": [{"start": 1234, "end": 1242, "before": "trtfeune", "text": "tribune"}]}

The most specific decision wins: an id, then a correction, then a rule. A hand
correction (`edit`) names a span of the decoded source, as BOOK.changes.jsonl
does; `before` must be what the scan holds there, or the correction was made on
another scan and is not applied. It enters the log as an edit of rule `reviewer`.

Ids are the stable change ids of BOOK.changes.jsonl, so a file written after one
run still applies after a re-run that makes the same changes. Ids that match no
change of this run are kept, not dropped: a later run may make that change again.
"""
from __future__ import annotations

import json
from pathlib import Path

from .document import REVIEWER, Decisions, Document, Edit, edit_id
from .errors import UserError
from .files import atomic_write, parse_json, read_bytes, shown

KEYS = ("reject", "accept", "reject_rules")  # lists of strings
CORRECTION_KEYS = ("accept_corrections", "reject_corrections")  # lists of {"before", "after"}
EDIT_KEY = "edit"  # list of {"start", "end", "before", "text"}
_INFO_KEYS = ("book", "profile")  # written for people, ignored when read
_ALL_KEYS = KEYS + CORRECTION_KEYS + (EDIT_KEY,)


def from_json(obj, name: str = "<decisions>") -> Decisions:
    """Decisions from parsed JSON; any wrong shape is a UserError naming `name`.

    Unknown keys are errors rather than ignored: a typo like "rejects" would
    otherwise silently keep every change the reviewer meant to reject."""
    if not isinstance(obj, dict):
        raise UserError(f"{name}: a decisions file is a JSON object like "
                        '{"reject": [...], "accept": [...], "reject_rules": [...]}')
    unknown = sorted(set(obj) - set(_ALL_KEYS) - set(_INFO_KEYS))
    if unknown:
        raise UserError(f"{name}: unknown key {unknown[0]!r} (known: {', '.join(_ALL_KEYS)})")
    parts: dict = {}
    for key in KEYS:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError(f"{name}: {key!r} must be a list of strings")
        parts[key] = set(value)
    for key in CORRECTION_KEYS:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(_is_record(v, {"before": str, "after": str}) for v in value):
            raise UserError(f'{name}: {key!r} must be a list of {{"before": "...", "after": "..."}}')
        parts[key] = {(v["before"], v["after"]) for v in value}
    value = obj.get(EDIT_KEY, [])
    shape = {"start": int, "end": int, "before": str, "text": str}
    if not isinstance(value, list) or not all(_is_record(v, shape) and 0 <= v["start"] <= v["end"] for v in value):
        raise UserError(f'{name}: {EDIT_KEY!r} must be a list of {{"start": S, "end": E, "before": "...", '
                        '"text": "..."}} with 0 <= S <= E')
    parts[EDIT_KEY] = [{k: v[k] for k in shape} for v in value]
    return Decisions(**parts)


def _is_record(v, shape: dict) -> bool:
    return (isinstance(v, dict) and set(v) == set(shape)
            and all(isinstance(v[k], t) and not isinstance(v[k], bool) for k, t in shape.items()))


def to_json(decisions: Decisions, book: str | None = None) -> dict:
    """Sorted lists, so that the file diffs cleanly between reviews."""
    out: dict = {"book": book} if book else {}
    for key in KEYS:
        out[key] = sorted(getattr(decisions, key))
    for key in CORRECTION_KEYS:
        if getattr(decisions, key):
            out[key] = [{"before": b, "after": a} for b, a in sorted(getattr(decisions, key))]
    if decisions.edit:
        out[EDIT_KEY] = sorted(decisions.edit, key=lambda v: (v["start"], v["end"]))
    return out


def dumps(decisions: Decisions, book: str | None = None) -> str:
    return json.dumps(to_json(decisions, book), ensure_ascii=False, indent=1) + "\n"


def load(path: str | Path) -> Decisions:
    p = Path(path)
    return parse(read_bytes(p, "decisions file"), shown(str(p)))


def parse(raw: bytes, name: str) -> Decisions:
    """Decisions from a file's bytes (UTF-8, a byte-order mark allowed); any fault
    is one UserError naming `name` and the problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(f"{name}: decisions file is not UTF-8 text (byte {e.start})")
    return from_json(parse_json(text, name, "decisions file"), name)


def load_or_empty(path: str | Path) -> Decisions:
    """For a file that a review is about to start or resume."""
    return load(path) if Path(path).exists() else Decisions()


def beside_path(out_dir: str | Path, book_name: str) -> Path:
    from .files import output_stem

    return Path(out_dir) / f"{output_stem(book_name)}.decisions.json"


def beside(out_dir: str | Path, book_name: str) -> Decisions | None:
    """The decisions a review left beside a book's outputs (`cleanup review`'s
    default file), or None: a later plain `cleanup run` honours them rather than
    overwriting the reviewed text with an unreviewed one."""
    p = beside_path(out_dir, book_name)
    return load(p) if p.exists() else None


def save(path: str | Path, decisions: Decisions, book: str | None = None) -> None:
    atomic_write(Path(path), dumps(decisions, book))


def hand_edit(source: str, v: dict, line: int = 0) -> Edit | None:
    """The log edit of one hand correction, or None if the scan does not hold
    its `before` there (it was made on another scan)."""
    s, t = v["start"], v["end"]
    if t > len(source) or source[s:t] != v["before"]:
        return None
    return Edit(id=edit_id(s, t, v["before"], v["text"]), stage="review", rule=REVIEWER, start=s, end=t,
                line=line, before=v["before"], after=v["text"], confidence=1.0,
                reason="typed by the reviewer")


def bind(decisions: Decisions, doc: Document) -> Decisions:
    """Make `decisions` ready for `doc`: its hand corrections enter the log (rule
    `reviewer`, once), and each change's correction is known if corrections are
    decided. Returns `decisions`."""
    for v in decisions.edit:
        e = hand_edit(doc.source, v, doc.line_of(v["start"]))
        if e is not None and not doc.has_edit(e.id):
            doc.add_edit(e)
    if decisions.accept_corrections or decisions.reject_corrections:
        from .report import corrections

        decisions.keys = corrections(doc)
    return decisions


def matches(decisions: Decisions, doc: Document) -> dict[str, tuple[int, int]]:
    """How many of each kind of decision name a change (or rule, or correction)
    of `doc`: {"reject": (matched, total), ...}."""
    ids = {e.id for e in doc.edits}
    rules = {e.rule for e in doc.edits}
    keys = set(decisions.keys.values())
    hand = sum(hand_edit(doc.source, v) is not None for v in decisions.edit)
    return {
        "reject": (len(decisions.reject & ids), len(decisions.reject)),
        "accept": (len(decisions.accept & ids), len(decisions.accept)),
        "reject_rules": (len(decisions.reject_rules & rules), len(decisions.reject_rules)),
        "accept_corrections": (len(decisions.accept_corrections & keys), len(decisions.accept_corrections)),
        "reject_corrections": (len(decisions.reject_corrections & keys), len(decisions.reject_corrections)),
        "edit": (hand, len(decisions.edit)),
    }


_LABELS = (("rejects", "reject"), ("accepts", "accept"), ("rejected rules", "reject_rules"),
           ("accepted corrections", "accept_corrections"), ("rejected corrections", "reject_corrections"),
           ("hand corrections", "edit"))


def describe_matches(decisions: Decisions, doc: Document) -> str:
    """One line for stderr, e.g. `decisions: 12/12 rejects, 0/1 accepts, 1/1 rules match`
    (kinds the file does not use are left out, the first three always said)."""
    m = matches(decisions, doc)
    parts = [f"{m[key][0]}/{m[key][1]} {label}" for i, (label, key) in enumerate(_LABELS)
             if i < 3 or m[key][1]]
    unmatched = sum(b - a for a, b in m.values())
    tail = f" ({unmatched} kept for a later run)" if unmatched else ""
    return "decisions: " + ", ".join(parts) + " match this run" + tail + _unknown_rules(decisions, doc)


def _unknown_rules(decisions: Decisions, doc: Document) -> str:
    """Rejected rule names that no rule has (a typo, or a rule since split or renamed:
    `cleanup rules` lists them), which reject nothing: said, with the nearest name.
    (A rule a profile's own stage emits in this run is known.)"""
    import difflib

    from . import rules

    known = {*rules.names(), REVIEWER, *(e.rule for e in doc.edits)}
    out = []
    for rule in sorted(decisions.reject_rules - known):
        close = difflib.get_close_matches(rule, sorted(known), n=1)
        out.append(f"; warning: no rule is named {rule!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return "".join(out)
