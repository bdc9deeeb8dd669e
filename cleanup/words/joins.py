"""Joins: a word the line break or the letter spacing cut in two, made whole again
from a non-word and the word beside it (`fragment-join`)."""
from __future__ import annotations

from ..stages import minimal
from .candidates import sane_case
from .reading import Reading
from .stats import BookStats
from .tokens import Word


def join_fragment(st: BookStats, i: int, w: Word, reading: Reading, protected: set[int]) -> list:
    """A non-word and the word after or before it that together make a word: a word
    the line break or the letter spacing cut in two (`substantia ted`, `habita ble`,
    `career ist`). Where both make one, the commoner word (`pre valent in`: `prevalent`)."""
    pairs = [(a, b, other) for a, b, other in ((i, i + 1, i + 1), (i - 1, i, i - 1))
             if _joinable(st, a, b, other, reading, protected)]
    if not pairs:
        return []
    a, b, other = max(pairs, key=lambda t: st.zipf(st.ws[t[0]].core + st.ws[t[1]].core))
    return join_pair(st, a, b, other, reading)


def _joinable(st: BookStats, a: int, b: int, other: int, reading: Reading, protected: set[int]) -> bool:
    """Words `a` and `b` (next to each other) make one word, where `other` is the one
    that is not the non-word being repaired."""
    if a < 0 or b >= len(st.ws) or other in protected or reading.repaired(other):
        return False
    first, second = st.ws[a], st.ws[b]
    if first.trail or not st.linked[b]:
        return False
    head, tail = first.core, second.core
    # Both halves of three letters or more (`ag a` is no `aga`), or a long half that is
    # no word beside a short one: a line break leaves one or two letters behind
    # (`sa tisfactory`, `w orcester`), and few long non-words make a word with them.
    long_half = max(head, tail, key=len)
    if not (head.isalpha() and tail.isalpha() and tail.islower() and sane_case(head) and not second.lead
            and (min(len(head), len(tail)) >= 3
                 or (len(long_half) >= int(st.cfg["fragment_long_half"])
                     and st.zipf(long_half) < float(st.cfg["fragment_min_zipf"])))):
        return False
    broken, whole = (tail, head) if other == a else (head, tail)
    # A common word beside a short old or garbled one is itself (`goe the`), and a lone
    # `a` or `I` beside any (`a nother`, `a propos` in old print); a common word of two
    # letters or more beside a long one is its first syllable (`in dicated`, `re ceived`).
    if st.zipf(whole) >= float(st.cfg["fragment_tail_max_zipf"]) and (
            len(broken) < int(st.cfg["fragment_long_half"]) or len(whole) < 2):
        return False
    return st.known((head + tail).lower()) and st.zipf(head + tail) >= float(st.cfg["fragment_min_zipf"])


def join_pair(st: BookStats, a: int, b: int, other: int, reading: Reading) -> list:
    """Words `a` and `b` joined into one (`other`: the one that is a word)."""
    first, second = st.ws[a], st.ws[b]
    head, tail = first.core, second.core
    joined = head + tail
    reading.record(a, joined.lower())
    reading.record(b, joined.lower())
    before = st.text[first.start:second.end]
    broken, whole = (tail, head) if other == a else (head, tail)
    where = "after" if other == b else "before"
    reason = (f"‘{broken}’ is in no lexicon; with ‘{whole}’ {where} it, ‘{joined}’ ({st.lex.why(joined)}): "
              "a word cut in two")
    return minimal(first.start, before, joined, "fragment-join", reason, 0.95)
