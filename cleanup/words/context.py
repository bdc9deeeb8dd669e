"""Context: how well a word fits between its neighbours, from bigram counts.

log10 P(w | prev, next) is approximated as log P(w) + PMI(prev, w) + PMI(w, next),
with PMI from symspellpy's bundled bigram counts (the 242k most frequent English
bigrams) and the book's own bigrams. An unlisted bigram only tells us that the pair
is rarer than the rarest listed one, so its PMI is capped at that bound (and at 0)."""
from __future__ import annotations

import math
from collections import Counter

from ..lexicon import Lexicon


class ContextModel:
    def __init__(self, lex: Lexicon, book_unigrams: Counter, book_bigrams: Counter, n_tokens: int,
                 oov_zipf: float = 1.0, book_weight: float = 0.5, clip: float = 3.0):
        self.lex = lex
        self.bu = book_unigrams
        self.bb = book_bigrams
        self.n = max(n_tokens, 1)
        self.oov = oov_zipf - 9
        self.book_weight = book_weight
        self.clip = clip
        self.floor = lex.general.bigram_floor
        self._lp: dict[str, float] = {}  # memos: the same pairs recur across a book
        self._pmi: dict[tuple[str, str], float] = {}

    def lp(self, w: str) -> float:
        """log10 unigram probability of lower-case `w`."""
        v = self._lp.get(w)
        if v is None:
            v = self._lp[w] = self._unigram(w)
        return v

    def _unigram(self, w: str) -> float:
        z = self.lex.zipf(w)
        c = self.bu.get(w, 0)
        if z:  # a word this book uses often is likelier here than in general English
            return max(z - 9, math.log10(c / self.n) - 1) if c >= 3 else z - 9
        return max(self.oov, math.log10(c / self.n) - 2) if c else self.oov  # book-only words: discounted

    def pmi(self, a: str, b: str) -> float:
        v = self._pmi.get((a, b))
        if v is None:
            v = self._pmi[(a, b)] = self._association(a, b)
        return v

    def _association(self, a: str, b: str) -> float:
        base = -self.lp(a) - self.lp(b)
        v = self._listed(a, b, base)
        nb = self.bb.get((a, b), 0)
        if nb >= 2:  # the book's own usage, beyond what general English says
            own = math.log10(nb / self.n) + base
            v = max(v, self.book_weight * own)
        return max(-self.clip, min(self.clip, v))

    def score(self, w: str, prev: str | None, nxt: str | None) -> float:
        s = self.lp(w)
        if prev:
            s += self.pmi(prev, w)
        if nxt:
            s += self.pmi(w, nxt)
        return s

    def gain(self, w: str, prev: str | None, nxt: str | None) -> float:
        """Context alone (no unigram): how much the neighbours favour `w`."""
        return self.score(w, prev, nxt) - self.lp(w)

    def general_gain(self, w: str, prev: str | None, nxt: str | None) -> float:
        """As gain, from general English alone: where the scan misreads a word the same
        way again and again (`of tho`, `by tho`), its own counts make the misreading look
        at home beside its neighbours."""
        return sum(self._general_pmi(a, b) for a, b in ((prev, w), (w, nxt)) if a and b)

    def _general_pmi(self, a: str, b: str) -> float:
        lp_a, lp_b = (z - 9 if z else self.oov for z in (self.lex.zipf(a), self.lex.zipf(b)))
        return max(-self.clip, min(self.clip, self._listed(a, b, -lp_a - lp_b)))

    def _listed(self, a: str, b: str, base: float) -> float:
        """PMI from the general bigram list, `base` being -log P(a) - log P(b): an
        unlisted pair is rarer than the list's floor (and no likelier than chance)."""
        g = self.lex.bigram(a, b)
        return g + base if g is not None else min(0.0, self.floor + base)
