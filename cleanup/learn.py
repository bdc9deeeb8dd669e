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
    kept_unknown: Counter = field(default_factory=Counter)  # proofread words no lexicon has
    kept: Counter = field(default_factory=Counter)  # read words (lower) the proofreader left as read
    inserted: Counter = field(default_factory=Counter)  # (letter, next letter or $, start/inside)
    mid_caps: Counter = field(default_factory=Counter)  # capitalised read words mid-sentence
    lowered: Counter = field(default_factory=Counter)  # ... that the proofreader put in lower case
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


def inserted_letters(read: str, meant: str) -> list[tuple[str, str, str]]:
    """Letters the scan added to a word, keyed as the word stage's channel keys
    them: (letter, the meant letter that follows or `$`, `start` or `inside`)."""
    out = []
    for op in Levenshtein.opcodes(read.lower(), meant.lower()):
        if op.tag == "delete" and op.src_end - op.src_start == 1:
            nxt = meant[op.dest_start].lower() if op.dest_start < len(meant) else "$"
            out.append((read[op.src_start].lower(), nxt, "start" if op.src_start == 0 else "inside"))
    return out


def _fragment(read: str, meant: str) -> bool:
    """`revolu` for `revolution`: the rest of the word went to the next line."""
    short, long_ = sorted((read.lower(), meant.lower()), key=len)
    return len(long_) - len(short) >= 2 and (long_.startswith(short) or long_.endswith(short))


def _rejoin_split_words(tokens: list[str], truth_words: set[str]) -> list[str]:
    """Join two read words whose join is a proofread word and one of which is not
    (`dem ocrats`, a line-end break that lost its hyphen): a word-by-word alignment
    would otherwise pair everything after the break with the wrong word."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if k + 1 < len(tokens):
            a, b = _core(tokens[k]), _core(tokens[k + 1])
            if a and b and a + b in truth_words and (a not in truth_words or b not in truth_words):
                out.append(tokens[k] + tokens[k + 1])
                k += 2
                continue
        out.append(tokens[k])
        k += 1
    return out


def _mid_sentence(tokens: list[str]) -> set[int]:
    """Indices of the tokens that follow a token not ending a sentence."""
    return {k for k in range(1, len(tokens)) if tokens[k - 1].rstrip("\"'”’)]*")[-1:] not in ".!?:"}


def count_pages(pairs: list[tuple[str, str]], known=lambda w: True) -> Counts:
    """Align each (raw, proofread) pair and count what the scan did."""
    c = Counts()
    for raw, truth in pairs:
        t = _words(truth)
        r = _rejoin_split_words(_words(raw), {_core(w) for w in t})
        c.pages += 1
        c.words += len(t)
        c.truth_text.append(" ".join(t))
        for tok in t:
            core = _core(tok)
            if core.isalpha() and len(core) >= 2 and not known(core):
                c.kept_unknown[core] += 1
        mid = _mid_sentence(r)
        for k, tok in enumerate(r):
            core = _core(tok)
            if k in mid and len(core) >= 2 and core[:1].isupper() and core[1:].islower() and core.isalpha():
                c.mid_caps[core] += 1
        for op in Levenshtein.opcodes(r, t):
            rs, ts = r[op.src_start : op.src_end], t[op.dest_start : op.dest_end]
            if op.tag == "equal":
                c.kept.update(_core(x).lower() for x in rs)
                continue
            if op.tag != "replace":
                continue
            if len(rs) == len(ts):
                for k, (a, b) in enumerate(zip(rs, ts)):
                    ca, cb = _core(a), _core(b)
                    if ca == cb and ca:
                        c.kept[ca.lower()] += 1
                    if ca != cb and ca.lower() == cb.lower() and op.src_start + k in mid and cb.islower():
                        c.lowered[ca] += 1
                    if not ca or not cb or ca == cb:
                        continue
                    c.misread_words += 1
                    if Levenshtein.distance(ca, cb) > max(1, len(cb) // 2) or _fragment(ca, cb):
                        continue  # a different word altogether, or half of a word broken at a line end
                    c.scannos[(ca, cb)] += 1
                    c.confusions.update(char_blocks(ca, cb))
                    c.inserted.update(inserted_letters(ca, cb))
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


def inserted_costs(c: Counts, min_count: int = 2, smoothing: float = 1.0) -> list[list]:
    """Learned inserted letters [letter, next, where, cost, count], cost = −log10 of
    the smoothed rate per opportunity (a word start before `next`, or a `next` inside
    a word, in the proofread text)."""
    words = [w.lower() for line in c.truth_text for w in map(_core, line.split()) if w]
    starts = Counter(w[0] for w in words)
    inside = Counter(ch for w in words for ch in w[1:])
    out = []
    for (letter, nxt, where), n in c.inserted.most_common():
        if n < min_count or not letter.isalpha():
            continue
        opp = len(words) if nxt == "$" else starts[nxt] if where == "start" else inside[nxt]
        rate = (n + smoothing * 0.01) / (opp + smoothing)
        out.append([letter, nxt, where, round(max(0.5, -math.log10(min(rate, 0.5))), 2), n])
    return out


def learned_scannos(c: Counts, min_count: int = 2) -> list[list]:
    """Whole-word misreadings [read, meant, times corrected so, times seen], lower
    case (the word stage carries the case over): how often the proofreader changed
    the read word into the meant one, out of every time the scan printed it."""
    from .words.learned import match_case

    corrected: Counter = Counter()
    by_read: Counter = Counter()
    for (a, b), n in c.scannos.items():
        if not (a.isalpha() and b.isalpha()) or a.lower() == b.lower() or match_case(b.lower(), a) != b:
            continue
        corrected[(a.lower(), b.lower())] += n
        by_read[a.lower()] += n
    return [[a, b, n, by_read[a] + c.kept[a]] for (a, b), n in corrected.most_common() if n >= min_count]


def profile_overlay(c: Counts, base_pairs: list[list], cfg: dict) -> dict:
    """The profile tables that encode what was learned."""
    min_count = int(cfg.get("min_count", 2))
    smoothing = float(cfg.get("smoothing", 1.0))
    learned = confusion_costs(c, min_count, smoothing)
    words = sorted(w for w, n in c.kept_unknown.items() if n >= int(cfg.get("min_word_count", 1)))
    return {
        "words": {
            "glyph_pairs": merge_pairs(base_pairs, learned),
            # how often the proofread pages showed each learned confusion: the word
            # stage trusts these as if this scan had shown them itself
            "learned_support": [[a, b, c.confusions[(a, b)]] for a, b, _ in learned],
            "inserted_letters": inserted_costs(c, min_count, smoothing),
            "scannos": learned_scannos(c, min_count),
            # capitalised words mid-sentence the proofreader put in lower case (`In` → `in`):
            # [read, times lowered, times printed mid-sentence]
            "lowered": [[w, n, c.mid_caps[w]] for w, n in c.lowered.most_common() if n >= min_count],
            "extra_words": words,
        }
    }


def summary(c: Counts, overlay: dict) -> str:
    w = overlay["words"]
    return (f"{c.pages} pages, {c.words} proofread words, {c.misread_words} misread; learned "
            f"{len(w['glyph_pairs'])} letter confusions (with the general ones), "
            f"{len(w['inserted_letters'])} inserted letters, {len(w['lowered'])} lowered capitals, {len(w['scannos'])} word "
            f"misreadings, {len(w['extra_words'])} words for the lexicon")


def check_out_path(out_path, inputs, force: bool = False) -> None:
    """The profile `learn` writes must not replace a file it read (a scan, a
    proofread page, the base profile), and replaces any other existing file only
    when asked to (`--force`): refused before anything is written."""
    from pathlib import Path

    from .errors import UserError
    from .files import same_file

    out = Path(out_path)
    for given in inputs:
        if given is not None and same_file(out, Path(given)):
            raise UserError(f"{out}: the profile to write would replace the input {given}; "
                            "give -o another file name")
    if (out.exists() or out.is_symlink()) and not force:
        raise UserError(f"{out}: already exists; give --force to replace it, or another file name with -o")


def check_pairs(pairs: list[tuple[str, str]], names: list[tuple], min_share: float) -> None:
    """Every scan must be paired with the proofread text of its own pages: learning
    from a mismatched pair would take chance alignments for misreadings (`he`→`the`).
    Stops, naming the pair, before anything is learned or written."""
    from .scoring import check_same_pages

    for (raw, truth), (scan_name, truth_name) in zip(pairs, names):
        check_same_pages(raw, truth, scan_name, truth_name, min_share)
