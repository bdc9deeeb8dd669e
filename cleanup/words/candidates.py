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

from .channel import Channel

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
    def __init__(self, channel: Channel, known: Callable[[str], bool], punct: str = ""):
        self.ch = channel
        self.known = known  # lower-case form -> is a word
        self.noise = set(channel.stray_marks) | set(punct)
        self.reads: dict[str, list[tuple[str, list]]] = {}  # first char -> [(read, [(page, cost)])]
        for r, pcs in channel.by_read.items():
            self.reads.setdefault(r[0], []).append((r, pcs))
        self._memo: dict[tuple, dict] = {}

    # -- single operations ---------------------------------------------------------
    def _cheap(self, s: str, lo: int = 0) -> list[tuple[str, tuple, int]]:
        """(result, key, position) for deletions and glyph swaps of `s` at positions
        from `lo` on (a list: this is the innermost loop of the search)."""
        out = []
        n = len(s)
        noise, reads = self.noise, self.reads
        for i in range(lo, n):
            ch = s[i]
            head = s[:i]
            if ch in noise:
                key = ("stray", ch)
            else:
                key = ("ins", ch.lower(), s[i + 1].lower() if i + 1 < n else "$", "inside" if i else "start")
            out.append((head + s[i + 1 :], key, i))
            for r, pcs in reads.get(ch, ()):
                if len(r) == 1 or s.startswith(r, i):
                    tail = s[i + len(r) :]
                    for p, _ in pcs:
                        out.append((head + p + tail, ("glyph", r, p), i))
        return out

    def _dear(self, s: str, drops: bool):
        """Any other substitution of a letter, or (if `drops`) a dropped letter."""
        for i, ch in enumerate(s):
            if ch.isalpha():
                # a capital inside a lower-case word is a misread lower-case letter (`hSppen`),
                # unless a known look-alike reads it as lower case (`U` for `ll`: that says what it was)
                inner = i and s[i - 1].islower() and not any(p.islower() for p, _ in self.ch.by_read.get(ch, ()))
                alpha = (UPPER + LOWER if inner else UPPER) if ch.isupper() else LOWER
                head, tail = s[:i], s[i + 1 :]
                for c in alpha:
                    if c != ch:
                        yield head + c + tail, ("sub", ch, c)
        if drops:
            for i in range(len(s) + 1):
                for c in LOWER:
                    yield s[:i] + c + s[i:], ("drop", c)

    # -- search --------------------------------------------------------------------
    def candidates(self, s: str, depth: int = 2, dear: bool = True,
                   drops: bool = False) -> dict[str, tuple[float, tuple]]:
        """Known words within `depth` cheap operations (or one dear one) of `s`:
        word -> (cost, operation keys). The cheapest derivation wins."""
        mk = (s, depth, dear, drops)
        if mk in self._memo:
            return self._memo[mk]
        out: dict[str, tuple[float, tuple]] = {}
        self._memo[mk] = out
        cost = self.ch.cost
        known = self.known

        def offer(w: str, c: float, keys: tuple):
            if len(w) == 1 and w not in "aAI":
                return  # the only one-letter words
            if w and known(w.lower()) and sane_case(w):
                if w not in out or c < out[w][0]:
                    out[w] = (c, keys)

        bases = [(s, 0.0, ())]
        marks = [ch for ch in s if ch in self.ch.stray_marks]
        if len(marks) >= 2:
            stripped = "".join(ch for ch in s if ch not in self.ch.stray_marks)
            keys = tuple(("stray", m) for m in marks)
            bases.append((stripped, sum(cost(k) for k in keys), keys))
            offer(stripped, bases[-1][1], keys)
        for base, c0, k0 in bases:
            level: dict[str, list] = {}  # one expansion per distinct string
            for w, k, i in self._cheap(base):
                c = c0 + cost(k)
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
                for w1, (c1, k1, i) in level.items():
                    for w, k, _ in self._cheap(w1, max(i - 1, 0)):
                        if known(w.lower()):
                            offer(w, c1 + cost(k), k1 + (k,))
        if dear:
            for w, k in self._dear(s, drops):
                if known(w.lower()):
                    offer(w, cost(k), (k,))
        return out

    def searched(self, s: str) -> dict[str, tuple[float, tuple]] | None:
        """The full search's result for `s` if it has been run."""
        return self._memo.get((s, 2, True, False))

    def learned_only(self, s: str, ok: Callable[[tuple], bool]) -> dict[str, tuple[float, tuple]]:
        """Known words one cheap operation from `s`, using only operations `ok` accepts."""
        mk = (s, "learned")
        if mk in self._memo:
            return self._memo[mk]
        out: dict[str, tuple[float, tuple]] = {}
        for w, k, _ in self._cheap(s):
            if len(w) == 1 and w not in "aAI":
                continue
            if ok(k) and self.known(w.lower()) and sane_case(w):
                c = self.ch.cost(k)
                if w not in out or c < out[w][0]:
                    out[w] = (c, (k,))
        self._memo[mk] = out
        return out

    def splits(self, s: str, zipf: Callable[[str], float], min_zipf: float,
               name_ok: Callable[[str], bool]) -> list[tuple[str, float, tuple]]:
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
                    out.append((f"{left} {right}", self.ch.cost(("split",)) - 1.0, (("split",),)))
            elif s.islower() and len(left) >= 2 and len(right) >= 2:
                zl, zr = zipf(left), zipf(right)
                if min(zl, zr) >= min_zipf and zl + zr >= 2 * (min_zipf + 1):
                    out.append((f"{left} {right}", self.ch.cost(("split",)), (("split",),)))
        # a speck read as a letter where the space was (`themtmore`, `denialjthat`): two common words
        if s.islower():
            for i in range(2, len(s) - 2):
                left, right = s[:i], s[i + 1:]
                zl, zr = zipf(left), zipf(right)
                if min(zl, zr) >= min_zipf and zl + zr >= 2 * (min_zipf + 1):
                    out.append((f"{left} {right}", self.ch.cost(("split",)) + 0.5, (("split",), ("space", s[i]))))
        return out
