"""Learn a profile from proofread pages: how this scanner fails.

Raw and proofread text are aligned word by word (rapidfuzz), then letter by
letter inside each misread word. What is counted: letter confusions (`li`→`h`),
letters inserted and dropped, whole-word misreadings ("scannos": `tho`→`the`),
words run together or split, and words the proofreader kept that no lexicon has.

A few pages must not overfit: counts are smoothed against how often each letter
group occurs in the proofread text, a confusion is kept only when seen at least
`min_count` times, and the learned table is merged with the base profile's
general table (the cheaper cost wins), so the general rules stay.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n[ \t]*(?=[a-z])")


def _words(text: str) -> list[str]:
    return _HYPHEN_BREAK.sub(r"\1", text).split()


def _core(tok: str) -> str:
    return tok.strip(".,;:!?\"'“”‘’()[]")


@dataclass
class Counts:
    """What the aligned pages show."""

    pages: int = 0
    words: int = 0
    misread_words: int = 0
    confusions: Counter = field(default_factory=Counter)  # (read, meant) letter groups
    scannos: Counter = field(default_factory=Counter)  # (read word, meant word)
    merged: Counter = field(default_factory=Counter)  # read `ofthe` for `of the`
    split: Counter = field(default_factory=Counter)  # read `in crease` for `increase`
    kept_unknown: Counter = field(default_factory=Counter)  # proofread words no lexicon has
    truth_text: list[str] = field(default_factory=list)


def char_blocks(read: str, meant: str) -> list[tuple[str, str]]:
    """The differing letter groups of a misread word: `tlie`/`the` → [('li', 'h')].
    Adjacent edit operations are grouped, so `rn` for `m` is one confusion."""
    out, block = [], None  # block: [read start, read end, meant start, meant end]
    for op in Levenshtein.opcodes(read, meant):
        if op.tag == "equal":
            if block:
                out.append((read[block[0] : block[1]], meant[block[2] : block[3]]))
            block = None
        elif block is None:
            block = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            block[1], block[3] = op.src_end, op.dest_end
    if block:
        out.append((read[block[0] : block[1]], meant[block[2] : block[3]]))
    return out


def count_pages(pairs: list[tuple[str, str]], known=lambda w: True) -> Counts:
    """Align each (raw, proofread) pair and count what the scan did."""
    c = Counts()
    for raw, truth in pairs:
        r, t = _words(raw), _words(truth)
        c.pages += 1
        c.words += len(t)
        c.truth_text.append(" ".join(t))
        for tok in t:
            core = _core(tok)
            if core.isalpha() and not known(core):
                c.kept_unknown[core] += 1
        for op in Levenshtein.opcodes(r, t):
            if op.tag == "equal":
                continue
            rs, ts = r[op.src_start : op.src_end], t[op.dest_start : op.dest_end]
            if op.tag != "replace":
                continue
            if len(rs) == len(ts):
                for a, b in zip(rs, ts):
                    ca, cb = _core(a), _core(b)
                    if not ca or not cb or ca == cb:
                        continue
                    c.misread_words += 1
                    c.scannos[(ca, cb)] += 1
                    if len(ca) <= 2 * len(cb) + 2:  # not a different word altogether
                        c.confusions.update(char_blocks(ca, cb))
            elif len(rs) == 1 and len(ts) == 2 and _core(rs[0]) == _core(ts[0]) + _core(ts[1]):
                c.merged[(_core(rs[0]), " ".join(map(_core, ts)))] += 1
            elif len(rs) == 2 and len(ts) == 1 and _core(rs[0]) + _core(rs[1]) == _core(ts[0]):
                c.split[(" ".join(map(_core, rs)), _core(ts[0]))] += 1
    return c


def confusion_costs(c: Counts, min_count: int = 2, smoothing: float = 1.0) -> list[list]:
    """Learned glyph pairs [read, meant, cost], cost = −log10 of the smoothed
    rate at which the meant letters were read so (per occurrence in the truth)."""
    text = " ".join(c.truth_text)
    out = []
    for (read, meant), n in c.confusions.most_common():
        if n < min_count or not meant or not read or read == meant:
            continue  # insertions and drops go to the channel's own learning
        if not (read.strip() and meant.strip()) or " " in read + meant or len(read) > 3 or len(meant) > 3:
            continue
        opportunities = text.count(meant) + smoothing
        rate = (n + smoothing * 0.01) / (opportunities + smoothing)
        out.append([read, meant, round(max(0.5, -math.log10(rate)), 2)])
    return out


def merge_pairs(base: list[list], learned: list[list]) -> list[list]:
    """The base table with learned pairs added; where both have a pair, the
    cheaper cost wins (the scan showed it more often than the prior assumed)."""
    best: dict[tuple[str, str], float] = {(a, b): float(cost) for a, b, cost in base}
    for a, b, cost in learned:
        best[(a, b)] = min(cost, best.get((a, b), math.inf))
    return [[a, b, cost] for (a, b), cost in best.items()]


def profile_overlay(c: Counts, base_pairs: list[list], cfg: dict) -> dict:
    """The profile tables that encode what was learned."""
    min_count = int(cfg.get("min_count", 2))
    learned = confusion_costs(c, min_count, float(cfg.get("smoothing", 1.0)))
    scannos = [[a, b, n] for (a, b), n in c.scannos.most_common()
               if n >= min_count and a.lower() != b.lower() and a.isalpha() and b.isalpha()]
    words = sorted(w for w, n in c.kept_unknown.items() if n >= int(cfg.get("min_word_count", 1)))
    return {
        "words": {
            "glyph_pairs": merge_pairs(base_pairs, learned),
            "scannos": scannos,
            "extra_words": words,
        }
    }


def summary(c: Counts, overlay: dict) -> str:
    w = overlay["words"]
    return (f"{c.pages} pages, {c.words} proofread words, {c.misread_words} misread; learned "
            f"{len(w['glyph_pairs'])} letter confusions (with the general ones), {len(w['scannos'])} word "
            f"misreadings, {len(w['extra_words'])} words for the lexicon")
