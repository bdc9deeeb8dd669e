"""A reviewer's decisions file: which changes to reject, which proposals to accept,
which rules to reject wholesale.

    {"reject": ["3f9a0c1d2e4b"], "accept": ["77c1e0a9b2d3"], "reject_rules": ["tab"]}

Ids are the stable change ids of BOOK.changes.jsonl, so a file written after one
run still applies after a re-run that makes the same changes. Ids that match no
change of this run are kept, not dropped: a later run may make that change again.
"""
from __future__ import annotations

import json
from pathlib import Path

from .document import Decisions, Document
from .errors import UserError
from .files import atomic_write, parse_json, read_bytes, shown

KEYS = ("reject", "accept", "reject_rules")
_INFO_KEYS = ("book",)  # written for people, ignored when read


def from_json(obj, name: str = "<decisions>") -> Decisions:
    """Decisions from parsed JSON; any wrong shape is a UserError naming `name`.

    Unknown keys are errors rather than ignored: a typo like "rejects" would
    otherwise silently keep every change the reviewer meant to reject."""
    if not isinstance(obj, dict):
        raise UserError(f"{name}: a decisions file is a JSON object like "
                        '{"reject": [...], "accept": [...], "reject_rules": [...]}')
    unknown = sorted(set(obj) - set(KEYS) - set(_INFO_KEYS))
    if unknown:
        raise UserError(f"{name}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    parts = {}
    for key in KEYS:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError(f"{name}: {key!r} must be a list of strings")
        parts[key] = set(value)
    return Decisions(**parts)


def to_json(decisions: Decisions, book: str | None = None) -> dict:
    """Sorted lists, so that the file diffs cleanly between reviews."""
    out: dict = {"book": book} if book else {}
    for key in KEYS:
        out[key] = sorted(getattr(decisions, key))
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


def save(path: str | Path, decisions: Decisions, book: str | None = None) -> None:
    atomic_write(Path(path), dumps(decisions, book))


def matches(decisions: Decisions, doc: Document) -> dict[str, tuple[int, int]]:
    """How many of each kind of decision name a change (or rule) of `doc`:
    {"reject": (matched, total), ...}."""
    ids = {e.id for e in doc.edits}
    rules = {e.rule for e in doc.edits}
    return {
        "reject": (len(decisions.reject & ids), len(decisions.reject)),
        "accept": (len(decisions.accept & ids), len(decisions.accept)),
        "reject_rules": (len(decisions.reject_rules & rules), len(decisions.reject_rules)),
    }


def describe_matches(decisions: Decisions, doc: Document) -> str:
    """One line for stderr, e.g. `decisions: 12/12 rejects, 0/1 accepts, 1/1 rules match`."""
    m = matches(decisions, doc)
    parts = [f"{a}/{b} {label}" for label, (a, b) in
             (("rejects", m["reject"]), ("accepts", m["accept"]), ("rejected rules", m["reject_rules"]))]
    unmatched = sum(b - a for a, b in m.values())
    tail = f" ({unmatched} kept for a later run)" if unmatched else ""
    return "decisions: " + ", ".join(parts) + " match this run" + tail
