"""The noisy channel: how likely OCR turns what the page had into what we read.

Priors come from the rule table (`cleanup/data/ocr_confusions.toml`). The scan's
own rates are learned at run time from unambiguous repairs (a non-word with one
clear candidate): each repair counts its operation, and the rate is the count
over the opportunities for it (how often the intended letters occur in the
book), smoothed towards the prior. Operations are keyed so that what is learned
generalises: an inserted letter by (letter, next letter, word start or not), a
glyph confusion by its pair, a stray mark by the mark.
"""
from __future__ import annotations

import math
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def rule_table() -> dict:
    ref = Path(__file__).parent.parent / "data" / "ocr_confusions.toml"
    return tomllib.loads(ref.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def general_channel() -> dict:
    """The general channel learned from real OCR/truth pairs by scripts/build_channel.py."""
    ref = Path(__file__).parent.parent / "data" / "ocr_channel.toml"
    return tomllib.loads(ref.read_text(encoding="utf-8"))


def op_label(key: tuple) -> str:
    kind = key[0]
    if kind == "ins":
        where = "at the start of a word" if key[3] == "start" else "inside a word"
        nxt = "at the end" if key[2] == "$" else f"before ‘{key[2]}’"
        return f"‘{key[1]}’ inserted {nxt} {where}"
    if kind == "glyph":
        return f"‘{key[1]}’ misread for ‘{key[2]}’"
    if kind == "sub":
        return f"‘{key[1]}’ read for ‘{key[2]}’"
    if kind == "drop":
        return f"‘{key[1]}’ dropped"
    if kind == "stray":
        return f"stray ‘{key[1]}’"
    if kind == "split":
        return "words run together"
    if kind == "space":
        return f"‘{key[1]}’ read for the space"
    return kind


RULE_OF = {"ins": "inserted-letter", "glyph": "glyph-confusion", "sub": "glyph-confusion",
           "drop": "dropped-letter", "stray": "stray-mark", "split": "split-word"}


class Channel:
    def __init__(self, cfg: dict):  # the profile's [words] table
        table = rule_table()
        self.costs = dict(table["costs"])
        self.costs.update(cfg.get("costs", {}))
        self.use_general = bool(cfg["general_channel"])
        general = general_channel() if self.use_general else {}
        # how often real OCR (the training pairs) showed each operation: a prior that
        # holds for any scan, as the book's own counts hold for this one
        self.general: Counter = Counter()
        for r, p, _cost, n in general.get("glyph", []):
            self.general[("glyph", r, p)] = int(n)
        for c, nxt, where, _cost, n in general.get("inserted", []):
            self.general[("ins", c, nxt, where)] = int(n)
        pairs = cfg.get("glyph_pairs")  # a learned profile's table replaces the general ones
        if not pairs:
            pairs = list(table["glyph"]["pairs"])
            pairs += [[r, p, cost] for r, p, cost, _n in general.get("glyph", [])]
        self.glyph: dict[tuple[str, str], float] = {}
        for r, p, c in pairs:  # where two rows price a pair, the cheaper (the likelier) wins
            self.glyph[(r, p)] = min(float(c), self.glyph.get((r, p), math.inf))
        # the look-alikes every OCR engine confuses (the table's cheap pairs): general too
        self.common_max_cost = float(cfg["common_glyph_max_cost"])
        self.by_read: dict[str, list[tuple[str, float]]] = {}
        for (r, p), c in self.glyph.items():
            self.by_read.setdefault(r, []).append((p, c))
        self.stray_marks = set(table["stray"]["marks"])
        # digits that look like letters (1 l, 0 o, 5 s ...): others are not misread letters
        self.look_alike_digits = {r for r, _ in self.glyph if r.isdigit()}
        self.prior_weight = float(cfg["prior_weight"])  # pseudo-opportunities
        # From a learned profile (`cleanup learn`): what proofread pages of this scanner
        # showed, trusted as if this scan had shown it itself.
        self.shown: Counter = Counter()
        for r, p, n in cfg.get("learned_support", []):
            self.shown[("glyph", r, p)] += int(n)
        # A table pair that is a learned one in context (`tb`→`th` holds `b`→`h`)
        # was shown as often: the search may find the wider pair first.
        for r, p in list(self.glyph):
            core = _strip_common(r, p)
            if core != (r, p) and ("glyph", *core) in self.shown:
                self.shown[("glyph", r, p)] = max(self.shown[("glyph", r, p)], self.shown[("glyph", *core)])
        # Inserted letters: their support only. Their rate is measured on the book itself
        # (learn() below), where the scan shows them; a real-word change (`tactual` →
        # `actual`) must not be priced by a few pages' rate.
        for c, nxt, where, _cost, n in cfg.get("inserted_letters", []):
            self.shown[("ins", c, nxt, where)] += int(n)
        self.counts: Counter = Counter()
        self.opportunities: dict[tuple, float] = {}
        self._learned: dict[tuple, float] = {}
        self._priors: dict[tuple, float] = {}  # memo: priced millions of times per book
        self._pool_memo: tuple | None = None

    # -- priors ------------------------------------------------------------------
    def prior(self, key: tuple) -> float:
        kind = key[0]
        if kind == "ins":
            c = key[1]
            extra = 0.0 if c.isalpha() or c in self.look_alike_digits else 2.0 if c.isdigit() else 0.5
            return self.costs["inserted_letter"] + extra
        if kind == "glyph":
            return self.glyph.get((key[1], key[2]), self.costs["other_substitution"])
        if kind == "sub":
            return self.costs["other_substitution"]
        if kind == "drop":
            return self.costs["dropped_letter"]
        if kind == "stray":
            return self.costs["stray_mark"]
        if kind == "split":
            return self.costs["merged_words"]
        return 5.0

    # -- learning ------------------------------------------------------------------
    def observe(self, keys: list[tuple], n: int) -> None:
        for k in keys:
            self.counts[k] += n

    def learn(self, occ, starts: Counter, n_words: int) -> None:
        """Turn counts into rates: count / opportunities, smoothed to the prior.
        `occ(s)` counts `s` in the book's known words, `starts` their first letters."""
        for key, n in self.counts.items():
            opp = self._opportunities(key, occ, starts, n_words)
            if opp <= 0:
                continue
            p0 = 10 ** -self.prior(key)
            rate = (n + self.prior_weight * p0) / (opp + self.prior_weight)
            self._learned[key] = max(0.3, -math.log10(min(rate, 0.5)))
            self.opportunities[key] = opp

    def set_opportunities(self, key: tuple, opp: float) -> None:
        """Re-estimate a learned rate with a better count of opportunities."""
        if opp > 0 and key in self.counts:
            p0 = 10 ** -self.prior(key)
            rate = (self.counts[key] + self.prior_weight * p0) / (opp + self.prior_weight)
            self._learned[key] = max(0.3, -math.log10(min(rate, 0.5)))
            self.opportunities[key] = opp

    @staticmethod
    def _opportunities(key, occ, starts: Counter, n_words: int) -> float:
        kind = key[0]
        if kind == "ins":
            nxt, where = key[2], key[3]
            if nxt == "$":
                return n_words
            return starts[nxt] if where == "start" else max(occ(nxt) - starts[nxt], 0)
        if kind in ("glyph", "sub"):
            return occ(key[2].lower())
        if kind in ("stray", "split", "drop"):
            return n_words
        return 0

    def cost(self, key: tuple) -> float:
        """The learned cost where the scan shows the misreading more often than the
        prior says, else the prior. Never dearer than the prior: evidence that a
        scan avoids a misreading vanishes once its few cases are repaired, and a
        second cleaning must not then find the repair cheaper than the first did."""
        c = self._priors.get(key)
        if c is None:
            c = self._priors[key] = self.prior(key)
        learned = self._learned.get(key)
        return c if learned is None or learned > c else learned

    def general_support(self, key: tuple) -> int:
        """How often the training pairs showed the operation (0 if never or too rarely)."""
        return self.general.get(key, 0)

    def common(self, key: tuple, min_general: int) -> bool:
        """A misreading real OCR makes often: a cheap look-alike of the table, or one the
        training pairs showed at least `min_general` times (each source's share capped).
        None without the general channel: then only the book's own evidence decides."""
        if not self.use_general:
            return False
        if key[0] == "glyph" and self.prior(key) <= self.common_max_cost:
            return True
        return self.general_support(key) >= min_general

    def support(self, key: tuple) -> int:
        # the larger, not the sum: pages learned from this very scan are also seen by the run
        return max(self.counts.get(key, 0), self.shown.get(key, 0))

    def supported(self, min_support: int) -> list[tuple]:
        """Operations shown at least `min_support` times (by the scan or a learned profile)."""
        return [k for k in set(self.counts) | set(self.shown) if self.support(k) >= min_support]

    def letter_support(self, key: tuple) -> int:
        """For an inserted letter, how often the scan inserted that letter anywhere
        (before any letter, at the start or inside): a scan that sprinkles `i`s
        before `a` has shown it inserts `i`s, if less often elsewhere."""
        if key[0] != "ins":
            return self.support(key)
        return self._pools()[0].get(key[1], 0)

    def position_support(self, key: tuple) -> int:
        """For an inserted letter, how often the scan inserted any letter at that place
        (before that letter, at the start or inside): specks before a word's `a` are
        read as `i`, `l`, `t` or `s` (`iand`, `land`, `tand`, `sand`)."""
        if key[0] != "ins":
            return self.support(key)
        return self._pools()[1].get(key[2:], 0)

    def at_busy_place(self, key: tuple, place_min: int) -> bool:
        """An inserted letter the scan has shown, at a place where it inserts any letter
        at least `place_min` times: every letter it inserts there may make a real word."""
        return (key[0] == "ins" and key[1].isalpha() and self.support(key) > 0
                and self.position_support(key) >= place_min)

    def _pools(self) -> tuple[Counter, Counter]:
        """Insertion counts summed by letter and by place (memo: asked per candidate),
        recomputed whenever the counts have changed."""
        snapshot = (len(self.counts), sum(self.counts.values()))  # counts only grow, or are zeroed
        if self._pool_memo is None or self._pool_memo[0] != snapshot:
            by_letter: Counter = Counter()
            by_place: Counter = Counter()
            for k, n in self.counts.items():
                if k[0] == "ins":
                    by_letter[k[1]] += n
                    if k[1].isalpha():
                        by_place[k[2:]] += n
            self._pool_memo = (snapshot, by_letter, by_place)
        return self._pool_memo[1], self._pool_memo[2]

    def learned(self) -> dict[tuple, float]:
        return dict(self._learned)


def _strip_common(read: str, meant: str) -> tuple[str, str]:
    """The differing core of a glyph pair: (`tb`, `th`) → (`b`, `h`)."""
    while len(read) > 1 and len(meant) > 1 and read[0] == meant[0]:
        read, meant = read[1:], meant[1:]
    while len(read) > 1 and len(meant) > 1 and read[-1] == meant[-1]:
        read, meant = read[:-1], meant[:-1]
    return read, meant
