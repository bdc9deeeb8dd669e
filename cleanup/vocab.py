"""Word knowledge the layout stages need: is this a word, how common is it, and
does this book use it. The general layer is the word stage's cached lexicon
(`lexicon.GeneralLexicon`), loaded once per process; the user layer is the run's
(`pipeline.Context.lexicon`), carried by the book's vocabulary."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .lexicon import GeneralLexicon

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_HYPHENATED = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
_UNSEEN = -12.0  # log10 P of a word no list has
ONE_LETTER_WORDS = "aAI"  # English's only words of one letter (`O`, the vocative, is a capital)


@lru_cache(maxsize=1)
def _general() -> GeneralLexicon:
    return GeneralLexicon.load()


def zipf(word: str) -> float:
    """Zipf frequency of a word in general English (0 if no list has it)."""
    return _general().zipf.get(word.lower(), 0.0)


def log_p(word: str) -> float:
    """log10 probability of a word in general English."""
    z = zipf(word)
    return z - 9 if z else _UNSEEN


def _listed(a: str, b: str) -> float | None:
    """log10 probability of the pair `a b` if general English's bigram list has it."""
    return _general().bigrams.get(f"{a.lower()} {b.lower()}")


def listed_pair(a: str, b: str) -> bool:
    """The pair `a b` is among the general English bigrams (the common ones)."""
    return _listed(a, b) is not None


def log_p_pair(a: str, b: str) -> float:
    """log10 probability of the pair `a b`: listed, or as if independent (capped
    below the list's floor, since the listed pairs are the common ones)."""
    listed = _listed(a, b)
    return listed if listed is not None else min(_general().bigram_floor, log_p(a) + log_p(b))


def join_log_odds(prev: str | None, a: str, b: str, nxt: str | None) -> float:
    """log10 odds of reading `prev ab nxt` over `prev a b nxt` under a bigram
    chain model: P(w1..wn) = P(w1) · Π P(wi-1 wi) / P(wi-1)."""
    split = log_p_pair(a, b) - log_p(a) - log_p(b)
    joined = -log_p(a + b)
    if prev:
        split += log_p_pair(prev, a)
        joined += log_p_pair(prev, a + b)
    else:
        split += log_p(a)
        joined += log_p(a + b)
    if nxt:
        split += log_p_pair(b, nxt)
        joined += log_p_pair(a + b, nxt)
    else:
        split += log_p(b)
        joined += log_p(a + b)
    return joined - split


class BookVocabulary:
    """Counts of the words and word pairs a book prints *inside* its lines: words at
    line ends are left out, since those are the ones whose joining is in question."""

    def __init__(self, text: str, user: frozenset[str] | set[str] = frozenset()):
        self.user = user  # the user dictionaries' words, lower case: known, as in the word stage
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        inner, pairs, hyphenated = [], [], []
        find = WORD.findall
        for line in text.split("\n"):
            toks = find(line)
            if len(toks) > 1:
                toks = [t.lower() for t in toks]
                inner += toks[1:-1]
                pairs += zip(toks, toks[1:])
            if "-" in line:  # hyphenated forms inside lines: `strong-willed` (no match spans a line break)
                hyphenated += [m.group().lower() for m in _HYPHENATED.finditer(line) if not m.group().endswith("-")]
        self.words.update(inner)  # once, in C, rather than a call per line
        self.pairs.update(pairs)
        self.hyphenated: Counter[str] = Counter(hyphenated)


def known(word: str, book: BookVocabulary | None = None, min_count: int = 1) -> bool:
    """General English knows it, or (with `book`) a user dictionary or the book itself."""
    w = word.lower()
    return w in _general().zipf or (book is not None and (w in book.user or book.words[w] >= min_count))
