"""Candidates for a damaged word, generated the way OCR damages words.

Each candidate comes with the channel cost (-log10 probability) of the
operations that turn it into what was read, and the operation keys, so the
learned channel can both price and explain it. Operations, undone here:
an inserted letter or stray mark (deleted), a look-alike glyph (swapped back),
any other single-letter substitution or a dropped letter (dear, depth 1 only),
and two words run together (split)."""
from __future__ import annotations

import string
from typing import Callable

from ..vocab import ONE_LETTER_WORDS
from .channel import Channel
from .ops import SPLIT, Candidate, dropped, glyph, inserted, space, stray, substituted

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase


def sane_case(w: str) -> bool:
    """A cased form a real word has: lower, Title, UPPER (letters only)."""
    letters = [c for c in w if c.isalpha()]
    if not letters:
        return False
    s = "".join(letters)
    return s.islower() or s.isupper() or (s[0].isupper() and (len(s) == 1 or s[1:].islower()))


class Generator:
    def __init__(self, channel: Channel, known_sets: tuple, affixes: tuple[set, set, int], punct: str = ""):
        self.ch = channel
        # A word is a lower-case form in one of three containers (general, user, the
        # book's names), which the search checks inline: it asks hundreds of thousands
        # of times a book, and a call per question would dominate.
        self._sets = k0, k1, k2 = known_sets
        self.known = lambda lower: lower in k0 or lower in k1 or lower in k2
        self.noise = set(channel.stray_marks) | set(punct)
        self.reads: dict[str, list[tuple[str, list]]] = {}  # first char -> [(read, [(page, cost)])]
        for r, pcs in channel.by_read.items():
            self.reads.setdefault(r[0], []).append((r, pcs))
        # (prefixes, suffixes, their length) of every word `known` accepts, lower case:
        # an operation that keeps a head no word begins with, or a tail no word ends
        # with, cannot make a word, so the search skips it (same results, less work)
        self.affixes = affixes
        self._longest_read = max((len(r) for r in channel.by_read), default=1)
        self._memo: dict[tuple, dict] = {}
        self._raw: dict = {}  # cost-independent results (strings, keys), kept when _memo is cleared
        # the most letters one cheap operation removes (a deletion: 1; a read `rn` -> `m`: 1)
        self._max_shrink = max([1, *(len(r) - len(p) for reads in self.reads.values() for r, pcs in reads for p, _ in pcs)])
        self._longest: int | None = None  # letters in the longest word, found when first needed

    # -- single operations ---------------------------------------------------------
    def _alphabet(self, s: str, i: int, ch: str) -> str:
        """The letters the letter `ch` at `s[i]` may have been misread from."""
        # a capital inside a lower-case word is a misread lower-case letter (`hSppen`),
        # unless a known look-alike reads it as lower case (`U` for `ll`: that says what it was)
        if not ch.isupper():
            return LOWER
        inner = i and s[i - 1].islower() and not any(p.islower() for p, _ in self.ch.by_read.get(ch, ()))
        return UPPER + LOWER if inner else UPPER

    def cheap_edits(self, s: str, lo: int = 0) -> list[tuple[str, tuple, int]]:
        """(result, key, position) for deletions and glyph swaps of `s` at positions
        from `lo` on (a list: this is the innermost loop of the search)."""
        out = []
        n = len(s)
        noise, reads = self.noise, self.reads
        for i in range(lo, n):
            ch = s[i]
            head = s[:i]
            if ch in noise:
                key = stray(ch)
            else:
                key = inserted(ch.lower(), s[i + 1].lower() if i + 1 < n else "$", not i)
            out.append((head + s[i + 1 :], key, i))
            for r, pcs in reads.get(ch, ()):
                if len(r) == 1 or s.startswith(r, i):
                    tail = s[i + len(r) :]
                    for p, _ in pcs:
                        out.append((head + p + tail, glyph(r, p), i))
        return out

    def dear_edits(self, s: str, drops: bool):
        """Any other substitution of a letter, or (if `drops`) a dropped letter."""
        for i, ch in enumerate(s):
            if ch.isalpha():
                alpha = self._alphabet(s, i, ch)
                head, tail = s[:i], s[i + 1 :]
                for c in alpha:
                    if c != ch:
                        yield head + c + tail, substituted(ch, c)
        if drops:
            for i in range(len(s) + 1):
                for c in LOWER:
                    yield s[:i] + c + s[i:], dropped(c)

    def _window(self, w: str, lo: int, end: int) -> tuple[int, int]:
        """Positions [lo, hi) of `w`, from `lo` up to `end`, where one operation
        (a letter deleted, replaced or inserted there, or a read of up to
        `_longest_read` letters swapped) can still give a word: the head before it
        must begin a word and the tail after it must end one (checked on their
        first and last k letters)."""
        lw = w.lower()
        if not w.isascii() and (len(lw) != len(w) or "Σ" in w):
            return lo, end  # lower() not letter by letter (İ, final sigma)
        pre, suf, k = self.affixes
        n = len(lw)
        # both sets are closed under shortening: test the longest first (usually in)
        if lw[:k] not in pre:
            for j in range(1, min(k, n) + 1):
                if lw[:j] not in pre:  # no head of j or more letters from here on
                    end = min(end, j)
                    break
        if lw[-k:] not in suf:
            for m in range(1, min(k, n) + 1):
                if lw[n - m :] not in suf:  # a tail must keep fewer than m letters
                    lo = max(lo, n - m - self._longest_read + 1)
                    break
        return lo, end

    # -- search --------------------------------------------------------------------
    def candidates(self, s: str, depth: int = 2, dear: bool = True,
                   drops: bool = False) -> dict[str, Candidate]:
        """Known words within `depth` cheap operations (or one dear one) of `s`:
        word -> its Candidate. The cheapest derivation wins."""
        mk = (s, depth, dear, drops)
        if mk in self._memo:
            return self._memo[mk]
        out: dict[str, Candidate] = {}
        self._memo[mk] = out
        if len(s) > 40 and self._beyond_any_word(s, depth):  # (40: spares ordinary words the test, which is exact)
            return out
        cost = self.ch.cost
        k0s, k1s, k2s = self._sets

        def offer(w: str, c: float, keys: tuple):
            if len(w) == 1 and w not in ONE_LETTER_WORDS:
                return  # the only one-letter words
            lw = w.lower()
            if w and (lw in k0s or lw in k1s or lw in k2s) and sane_case(w):  # `known(lw)`, inline
                if w not in out or c < out[w].cost:
                    out[w] = Candidate(w, c, keys)

        bases = [(s, 0.0, ())]
        marks = [ch for ch in s if ch in self.ch.stray_marks]
        if len(marks) >= 2:
            stripped = "".join(ch for ch in s if ch not in self.ch.stray_marks)
            keys = tuple(stray(m) for m in marks)
            bases.append((stripped, sum(cost(k) for k in keys), keys))
            offer(stripped, bases[-1][1], keys)
        for base, c0, k0 in bases:
            level: dict[str, list] = {}  # one expansion per distinct string
            level1 = self._raw.get(base)  # `cheap_edits(base)` does not depend on costs either
            if level1 is None:
                level1 = self._raw[base] = self.cheap_edits(base)
            for w, k, i in level1:
                c = c0 + cost(k)
                lw = w.lower()
                if lw in k0s or lw in k1s or lw in k2s:  # (offer's own test, to save the call)
                    offer(w, c, k0 + (k,))
                if w not in level:
                    level[w] = [c, k0 + (k,), i]
                else:
                    e = level[w]
                    if c < e[0]:
                        e[0], e[1] = c, k0 + (k,)
                    e[2] = min(e[2], i)
            if depth >= 2:
                # Two operations at least two letters apart commute (same result, same
                # keys): each pair is generated once, the later one second.
                # As `cheap_edits(w1, lo)`, in the same order, but a key is built only for
                # the few results that are words (this loop makes most of the strings).
                noise, reads = self.noise, self.reads
                window = self._window
                for w1, (c1, k1, i) in level.items():
                    n = len(w1)
                    for j in range(*window(w1, max(i - 1, 0), n)):
                        ch = w1[j]
                        head = w1[:j]
                        w = head + w1[j + 1 :]
                        lw = w.lower()
                        if lw in k0s or lw in k1s or lw in k2s:
                            if ch in noise:
                                k = stray(ch)
                            else:
                                k = inserted(ch.lower(), w1[j + 1].lower() if j + 1 < n else "$", not j)
                            offer(w, c1 + cost(k), k1 + (k,))
                        for r, pcs in reads.get(ch, ()):
                            if len(r) == 1 or w1.startswith(r, j):
                                tail = w1[j + len(r) :]
                                for p, _ in pcs:
                                    w = head + p + tail
                                    lw = w.lower()
                                    if lw in k0s or lw in k1s or lw in k2s:
                                        k = glyph(r, p)
                                        offer(w, c1 + cost(k), k1 + (k,))
        if dear:
            for w, k in self.dear_hits(s, drops):
                offer(w, cost(k), (k,))
        return out

    def _beyond_any_word(self, s: str, depth: int) -> bool:
        """No word can be within `depth` operations of `s`: with every stray mark
        stripped and each operation shortening it as much as any can, it is still
        longer than the longest word. (So the answer is the search's own, without
        the search, which makes len(s)² characters of strings: a run of thousands
        of letters is listed as unknown, without candidates, in linear time.)"""
        if self._longest is None:
            self._longest = max(max(map(len, known), default=0) for known in self._sets)
        marks = sum(s.count(m) for m in set(self.ch.stray_marks))
        return len(s) - marks - max(depth, 1) * self._max_shrink > self._longest

    def dear_hits(self, s: str, drops: bool) -> list[tuple[str, tuple]]:
        """`dear_edits(s, drops)`'s results that are words, in its order. Kept for the
        generator's life (they do not depend on costs, which learning changes, and
        the known words only shrink: `offer` tests each again), so the search after
        learning does not redo the one before it. A key is built only for a word."""
        subs = self._sub_hits(s)
        return subs + self._drop_hits(s) if drops else subs

    def _sub_hits(self, s: str) -> list[tuple[str, tuple]]:
        hits = self._raw.get((s, "sub"))
        if hits is not None:
            return hits
        hits = self._raw[(s, "sub")] = []
        k0s, k1s, k2s = self._sets
        lo, hi = self._window(s, 0, len(s))
        for i in range(lo, hi):
            ch = s[i]
            if ch.isalpha():
                head, tail = s[:i], s[i + 1 :]
                for c in self._alphabet(s, i, ch):
                    if c != ch:
                        w = head + c + tail
                        lw = w.lower()
                        if lw in k0s or lw in k1s or lw in k2s:
                            hits.append((w, substituted(ch, c)))
        return hits

    def _drop_hits(self, s: str) -> list[tuple[str, tuple]]:
        hits = self._raw.get((s, "drop"))
        if hits is not None:
            return hits
        if not s.isascii():  # lower() not letter by letter (İ, final sigma): the plain way
            hits = [(w, k) for w, k in self.dear_edits(s, True) if k[0] == "drop" and self.known(w.lower())]
            self._raw[(s, "drop")] = hits
            return hits
        hits = self._raw[(s, "drop")] = []
        k0s, k1s, k2s = self._sets
        ls = s.lower()  # a lower-case letter inserted: the result's lower case, made once
        for i in range(*self._window(s, 0, len(s) + 1)):
            lhead, ltail = ls[:i], ls[i:]
            for c in LOWER:
                lw = lhead + c + ltail
                if lw in k0s or lw in k1s or lw in k2s:
                    hits.append((s[:i] + c + s[i:], dropped(c)))
        return hits

    def searched(self, s: str) -> dict[str, Candidate] | None:
        """The full search's result for `s` if it has been run."""
        return self._memo.get((s, 2, True, True))

    def learned_only(self, s: str, ok: Callable[[tuple], bool]) -> dict[str, Candidate]:
        """Known words one cheap operation from `s`, using only operations `ok` accepts."""
        mk = (s, "learned")
        if mk in self._memo:
            return self._memo[mk]
        out: dict[str, Candidate] = {}
        known, cost = self.known, self.ch.cost

        def offer(w: str, k: tuple) -> None:
            if len(w) == 1 and w not in ONE_LETTER_WORDS:
                return
            if known(w.lower()) and sane_case(w):
                c = cost(k)
                if w not in out or c < out[w].cost:
                    out[w] = Candidate(w, c, (k,))

        # As `cheap_edits(s)`, in the same order, but the operation is asked about first:
        # most are not learned, and their strings need not be made.
        n = len(s)
        noise, reads = self.noise, self.reads
        for i in range(n):
            ch = s[i]
            if ch in noise:
                k = stray(ch)
            else:
                k = inserted(ch.lower(), s[i + 1].lower() if i + 1 < n else "$", not i)
            if ok(k):
                offer(s[:i] + s[i + 1 :], k)
            for r, pcs in reads.get(ch, ()):
                if len(r) == 1 or s.startswith(r, i):
                    for p, _ in pcs:
                        k = glyph(r, p)
                        if ok(k):
                            offer(s[:i] + p + s[i + len(r) :], k)
        self._memo[mk] = out
        return out

    def splits(self, s: str, zipf: Callable[[str], float], min_zipf: float,
               name_ok: Callable[[str], bool]) -> list[Candidate]:
        """Two words run together: `ofthe` -> `of the`, `theSverdlov` -> `the Sverdlov`."""
        out = []
        for i in range(1, len(s)):
            left, right = s[:i], s[i:]
            if not (left.isalpha() and right.isalpha()):
                continue
            camel = left.islower() and right[0].isupper() and (len(right) == 1 or right[1:].islower())
            if camel:
                # a capital after a common word: a name run on to it (`theSverdlov`)
                if len(right) > 2 and ((zipf(left) >= min_zipf and (name_ok(right) or zipf(right) >= min_zipf))
                                       or (len(left) >= 2 and zipf(left) >= min_zipf + 2)):
                    out.append(Candidate(f"{left} {right}", self.ch.cost(SPLIT) - 1.0, (SPLIT,)))
            elif s.islower() and len(left) >= 2 and len(right) >= 2:
                zl, zr = zipf(left), zipf(right)
                if min(zl, zr) >= min_zipf and zl + zr >= 2 * (min_zipf + 1):
                    out.append(Candidate(f"{left} {right}", self.ch.cost(SPLIT), (SPLIT,)))
        # a speck read as a letter where the space was (`themtmore`, `denialjthat`): two common words
        if s.islower():
            for i in range(2, len(s) - 2):
                left, right = s[:i], s[i + 1:]
                zl, zr = zipf(left), zipf(right)
                if min(zl, zr) >= min_zipf and zl + zr >= 2 * (min_zipf + 1):
                    out.append(Candidate(f"{left} {right}", self.ch.cost(SPLIT) + 0.5, (SPLIT, space(s[i]))))
        return out
