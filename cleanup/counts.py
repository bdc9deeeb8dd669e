"""How many changes were made: one count, taken from the change log, for every place
that reports it (the run summary, the batch manifest, `score`'s per-rule table).

An edit counts as *applied* when it is in effect by itself (above its rule's
threshold, or a proposal the reviewer accepted, and not rejected), *proposed* when
it is a proposal awaiting review. Every logged edit counts, including those a later
edit built on (a page number removed, then the lines around it joined): the log has
both, and so do the counts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .document import Decisions, Edit


@dataclass
class Tally:
    applied: int = 0
    proposed: int = 0

    def to_json(self) -> dict[str, int]:
        return {"applied": self.applied, "proposed": self.proposed}


def tally(edits: Iterable[Edit], key: str = "stage", decisions: Decisions | None = None) -> dict[str, Tally]:
    """Applied and proposed edits per `key` (`stage` or `rule`), under `decisions`."""
    d = decisions or Decisions()
    out: dict[str, Tally] = {}
    for e in edits:
        t = out.get(getattr(e, key))
        if t is None:
            t = out[getattr(e, key)] = Tally()
        if d.allows(e):
            t.applied += 1
        elif d.pending(e):
            t.proposed += 1
    return out


def total(counts: dict[str, Tally]) -> Tally:
    return Tally(sum(t.applied for t in counts.values()), sum(t.proposed for t in counts.values()))


def describe(counts: dict[str, Tally], order: Iterable[str] = ()) -> str:
    """`812 changes applied, 14 proposed for review (unicode 0, …, words 167 + 14 proposed)`:
    every stage of `order` named, even with nothing to report."""
    names = list(order) + sorted(set(counts) - set(order))
    parts = []
    for name in names:
        t = counts.get(name, Tally())
        parts.append(f"{name} {t.applied}" + (f" + {t.proposed} proposed" if t.proposed else ""))
    s = total(counts)
    return f"{s.applied} changes applied, {s.proposed} proposed for review ({', '.join(parts)})"
