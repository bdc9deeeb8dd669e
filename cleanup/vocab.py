"""Word knowledge the layout stages need: is this a word, how common is it, and
does this book use it. Loaded once per process (a batch worker reuses it)."""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache

import symspellpy

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def general_counts() -> dict[str, int]:
    """symspellpy's bundled English frequency list (82,765 words, corpus counts)."""
    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt")
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w, _, c = line.partition(" ")
            counts[w] = int(c)
    return counts


@lru_cache(maxsize=1)
def _bigram_file() -> tuple[str, int, int]:
    """symspellpy's bundled bigram list as one string (searched, never indexed:
    the layout needs a few dozen pairs, and parsing 242k lines would cost more),
    with the smallest count it lists and the unigram total."""
    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_bigramdictionary_en_243_342.txt")
    with open(path, encoding="utf-8") as f:
        data = "\n" + f.read()
    last = data.rstrip("\n").rsplit("\n", 1)[-1]
    floor = min(int(last.rsplit(" ", 1)[-1]), 10**7)
    return data, floor, sum(general_counts().values())


def bigram_count(a: str, b: str) -> float:
    """Corpus count of the pair `a b`: listed, or estimated as if independent
    (capped below the list's floor, since listed pairs are the common ones)."""
    data, floor, total = _bigram_file()
    key = f"\n{a.lower()} {b.lower()} "
    i = data.find(key)
    if i >= 0:
        j = data.find("\n", i + 1)
        return float(data[i + len(key) : j if j > 0 else None])
    return min(floor, count(a) * count(b) / total)


class BookVocabulary:
    """Counts of the words and word pairs a book prints *inside* its lines: words at
    line ends are left out, since those are the ones whose joining is in question."""

    def __init__(self, text: str):
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        for line in text.split("\n"):
            toks = [m.group().lower() for m in WORD.finditer(line)]
            inner = toks[1:-1]
            self.words.update(inner)
            self.pairs.update(zip(toks, toks[1:]))
        # hyphenated forms inside lines: `strong-willed`
        self.hyphenated: Counter[str] = Counter(
            m.group().lower() for m in re.finditer(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b", text) if not m.group().endswith("-")
        )


def count(word: str) -> int:
    return general_counts().get(word.lower(), 0)


def known(word: str, book: BookVocabulary | None = None, min_count: int = 1) -> bool:
    w = word.lower()
    return w in general_counts() or (book is not None and book.words[w] >= min_count)
