"""Pipeline stages: each module offers `propose(text, cfg, ctx) -> list[Proposal]`.

A stage reads the current text and proposes edits, each with its rule (one of
cleanup/data/rules.toml) and confidence; it never rewrites text itself, and never
decides whether an edit is applied (the pipeline does, by the rule's threshold).
The registry maps the names used in a profile's `[pipeline] stages` to modules."""
from __future__ import annotations

import difflib
from importlib import import_module

from ..document import Proposal

REGISTRY = {
    "unicode": "unicode",
    "line-ends": "line_ends",
    "debris": "debris",
    "paragraphs": "paragraphs",
    "notes": "notes",
    "tidy": "tidy",
    "words": "words",  # word repair (issue 3)
}


def get(name: str):
    """The `propose` function of stage `name`."""
    if name not in REGISTRY:
        known = ", ".join(REGISTRY)
        raise KeyError(f"unknown stage {name!r} (known: {known})")
    return import_module(f".{REGISTRY[name]}", __name__).propose


def minimal(start: int, before: str, after: str, rule: str, reason: str,
            confidence: float = 1.0) -> list[Proposal]:
    """Proposals for only the characters that differ between `before` (found at
    `start`) and `after`, so a change inside a word does not swallow an earlier
    stage's edit next to it (a line join inside `piam-phlet`, say). Whether they are
    applied is the pipeline's decision (cleanup/rules.py), not the stage's."""
    if before == after:
        return []
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    s = 0
    while s < min(len(before), len(after)) - p and before[-1 - s] == after[-1 - s]:
        s += 1
    b, a = before[p : len(before) - s], after[p : len(after) - s]
    if len(b) + len(a) <= 4 or len(before) > 200:
        return [Proposal(start + p, start + p + len(b), a, rule, reason, confidence)]
    out = []
    sm = difflib.SequenceMatcher(None, b, a, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            out.append(Proposal(start + p + i1, start + p + i2, a[j1:j2], rule, reason, confidence))
    return out
