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
    `career ist`)."""
    return (join_pair(st, i, i + 1, i + 1, reading, protected)
            or join_pair(st, i - 1, i, i - 1, reading, protected))


def join_pair(st: BookStats, a: int, b: int, other: int, reading: Reading, protected: set[int]) -> list:
    """Words `a` and `b` (next to each other) joined into one, where `other` is the
    one that is not the non-word being repaired."""
    if a < 0 or b >= len(st.ws) or other in protected or reading.repaired(other):
        return []
    first, second = st.ws[a], st.ws[b]
    if first.trail or not st.linked[b]:
        return []
    head, tail = first.core, second.core
    # Both halves of three letters or more (`ag a` is no `aga`), or a long half that is
    # no word beside a short one: a line break leaves one or two letters behind
    # (`sa tisfactory`, `w orcester`), and few long non-words make a word with them.
    long_half = max(head, tail, key=len)
    if not (head.isalpha() and tail.isalpha() and tail.islower() and sane_case(head) and not second.lead
            and (min(len(head), len(tail)) >= 3
                 or (len(long_half) >= int(st.cfg["fragment_long_half"])
                     and st.zipf(long_half) < float(st.cfg["fragment_min_zipf"])))):
        return []
    if st.zipf(st.ws[other].core) >= float(st.cfg["fragment_tail_max_zipf"]):
        return []  # a common word beside an old or garbled one is itself (`goe the`)
    joined = head + tail
    if not st.known(joined.lower()) or st.zipf(joined) < float(st.cfg["fragment_min_zipf"]):
        return []
    reading.record(a, joined.lower())
    reading.record(b, joined.lower())
    before = st.text[first.start:second.end]
    broken, whole = (head, tail) if other == b else (tail, head)
    where = "after" if other == b else "before"
    reason = (f"‘{broken}’ is in no lexicon; with ‘{whole}’ {where} it, ‘{joined}’ ({st.lex.why(joined)}): "
              "a word cut in two")
    return minimal(first.start, before, joined, "fragment-join", reason, 0.95)
