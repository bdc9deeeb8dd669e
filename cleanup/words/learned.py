"""Whole-word misreadings learned from proofread pages (`cleanup learn`).

A learned profile's `words.scannos` lists [read, meant, times corrected, times
seen]: how often the proofreader changed the word the scan printed into the
meant one, out of every time the scan printed it. The word stage applies them
under the rules `learned-scanno` (a non-word), `learned-scanno-real-word` and
`learned-lowercase`, so a reviewer can reject each kind at once.

A read word that is no word is repaired when its correction was the usual one.
A read word that is itself a word (`land` for `and`) is changed only if the
pages showed it (almost) always corrected, or if they showed it corrected often
enough that, with the neighbours favouring the meant word, the change is likely.
"""
from __future__ import annotations

from ..stages import minimal

RULE, REAL_WORD, LOWERED = "learned-scanno", "learned-scanno-real-word", "learned-lowercase"
GENERAL_RULE = "common-scanno"


def match_case(word: str, like: str) -> str | None:
    """`word` (lower case) in the case pattern of `like`: lower, Title or UPPER;
    None when `like` has another pattern (`hIiouIJ`)."""
    if like.islower():
        return word
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper() and (len(like) == 1 or like[1:].islower()):
        return word[:1].upper() + word[1:]
    return None


class Scannos:
    """The learned table: read (lower case) -> (meant, corrected, seen), the most
    frequent correction of each read word."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.table: dict[str, tuple[str, int, int]] = {}
        min_count = int(cfg["learned_min_count"])
        for row in cfg.get("scannos", []):
            read, meant, n = str(row[0]).lower(), str(row[1]).lower(), int(row[2])
            seen = int(row[3]) if len(row) > 3 else n
            if n < min_count or read == meant or not (read.isalpha() and meant.isalpha()):
                continue
            if read not in self.table or n > self.table[read][1]:
                self.table[read] = (meant, n, max(seen, n))

        self.lowered: dict[str, tuple[int, int]] = {}
        for read, n, seen in cfg.get("lowered", []):
            if int(n) >= min_count and len(str(read)) >= 2 and str(read)[:1].isupper():
                self.lowered[str(read)] = (int(n), max(int(seen), int(n)))

        # the general table (cleanup/data/ocr_channel.toml): what real OCR usually
        # misreads so, under the profile's own table; rule common-scanno
        self.general: dict[str, tuple[str, int, int]] = {}

    def add_general(self, rows: list) -> None:
        for read, meant, n, seen in rows:
            read, meant = str(read).lower(), str(meant).lower()
            if read not in self.table and read.isalpha() and meant.isalpha() and read != meant:
                self.general[read] = (meant, int(n), max(int(seen), int(n)))

    def __bool__(self) -> bool:
        return bool(self.table or self.lowered or self.general)

    def repair(self, st, i: int, w, reading) -> list | None:
        """The learned repair of word `i`, or None if the table has none for it."""
        if w.core in self.lowered and not w.initial:
            return [] if _in_title_case(st.ws, i) else self._lower(w, reading, i, st.propose_min)
        entry = self.table.get(w.lower)
        if entry is None and w.lower in self.general:
            return self._general(st, i, w, reading)
        if entry is None or not w.core.isalpha():
            return None
        meant, n, seen = entry
        after = match_case(meant, w.core)
        if after is None:
            return None
        cfg = self.cfg
        smoothed = (n + 1) / (seen + 2)  # Laplace: from a few pages
        if not st.known_or_name(w.lower):
            conf, rule = smoothed, RULE  # the usual correction of a non-word
            why = f"the proofread pages corrected ‘{w.lower}’ to ‘{meant}’ {n} of {seen} times"
        else:
            gain = _context_asks(st, reading, i, meant, w.lower)
            # the pages' odds for the correction, times the neighbours' odds for the meant word
            odds = smoothed / (1 - smoothed) * 10 ** max(-6.0, min(gain, 6.0))
            conf, rule = odds / (1 + odds), REAL_WORD
            always = n / seen >= float(cfg["learned_always_share"]) and n >= int(cfg["learned_always_min"])
            if not always and gain < float(cfg["learned_context_gain"]):
                return []  # corrected only sometimes: the neighbours must ask for it
            why = (f"‘{w.core}’ is a word, but the proofread pages corrected it to ‘{meant}’ {n} of the "
                   f"{seen} times the scan printed it (context here {gain:+.1f})")
        if conf < st.propose_min:
            return None  # too unsure: the general repair may still judge the word
        reading.record(i, meant)
        return minimal(w.start, w.core, after, rule, why, round(conf, 3))

    def _general(self, st, i: int, w, reading) -> list | None:
        """A whole-word misreading real OCR usually makes (`tbe`, `tho` for `the`). A read
        word that is a word changes only where the neighbours ask for the meant one by
        common_scanno_context_gain (log10) at least; an elision (`tho'`) never; and a non-word
        the text prints often beside few of the meant word is its own spelling (a dialect's)."""
        meant, n, seen = self.general[w.lower]
        after = match_case(meant, w.core)
        elided = any(m and m in "'’" for m in (w.trail[:1], w.lead[-1:]))
        if after is None or not w.core.isalpha() or elided:
            return None
        cfg = self.cfg
        real_word = st.known_or_name(w.lower)
        repeats = st.forms.get(w.core, 0)
        if not real_word and repeats >= int(cfg["own_form_min_count"]) and repeats > float(
                cfg["max_damage_ratio"]) * st.lower_counts.get(meant, 0):
            return None  # (a real word is judged by its context, place by place)
        smoothed = (n + 1) / (seen + 2)
        why = f"real OCR (the training pages) misread ‘{meant}’ as ‘{w.lower}’ {n} of the {seen} times it printed ‘{w.lower}’"
        if real_word:
            gain = _context_asks(st, reading, i, meant, w.lower)
            if gain < float(cfg["common_scanno_context_gain"]):
                return None
            odds = smoothed / (1 - smoothed) * 10 ** min(gain, 6.0)
            conf = odds / (1 + odds)
            why = f"‘{w.core}’ is a word, but {why}, and the context asks for ‘{meant}’ ({gain:+.1f})"
        else:
            conf = smoothed
            if conf < st.common_scanno_auto:
                return None  # a few pages' say: the channel and the context judge the non-word
        if conf < st.propose_min:
            return None
        reading.record(i, meant)
        return minimal(w.start, w.core, after, GENERAL_RULE, why, round(conf, 3))

    def _lower(self, w, reading, i: int, propose_min: float) -> list:
        """A capital the scan printed mid-sentence (`In` for `in`), as the pages showed."""
        n, seen = self.lowered[w.core]
        conf = (n + 1) / (seen + 2)
        if conf < propose_min:
            return []
        reading.record(i, w.lower)
        why = f"the proofread pages put ‘{w.core}’ in lower case mid-sentence {n} of {seen} times"
        return minimal(w.start, w.core, w.lower, LOWERED, why, round(conf, 3))


def _context_asks(st, reading, i: int, meant: str, read: str) -> float:
    """How much more (log10) word `i`'s neighbours favour `meant` over the word as read,
    by general English's pairs: a scan that repeats its misreading (`of tho`, `by tho`)
    would make it look at home beside them by its own counts."""
    prev, nxt = reading.neighbours(i)
    return st.ctxm.general_gain(meant, prev, nxt) - st.ctxm.general_gain(read, prev, nxt)


def _in_title_case(ws, i: int) -> bool:
    """A heading set in Title Case (`Trouble Is Expected`): its capitals are meant."""
    near = [ws[j] for j in (i - 1, i + 1) if 0 <= j < len(ws) and ws[j].line == ws[i].line]
    return any(x.core[:1].isupper() for x in near)


def extra_words(cfg: dict) -> list[str]:
    """Words the proofreader kept that no lexicon had: a learned profile's
    `words.extra_words`, added to the lexicon's user layer."""
    return [str(w) for w in cfg.get("extra_words", []) if str(w).strip()]


_SHAPES = {  # table -> (what a row is, its types)
    "scannos": ("[read, meant, times corrected, times seen]", (str, str, int, int)),
    "lowered": ("[read, times lowered, times seen]", (str, int, int)),
    "learned_support": ("[read, meant, count]", (str, str, int)),
    "inserted_letters": ("[letter, next letter, \"start\" or \"inside\", cost, count]", (str, str, str, (int, float), int)),
    "glyph_pairs": ("[read, meant, cost]", (str, str, (int, float))),
}


def table_problem(words: dict) -> str | None:
    """What is wrong with a profile's learned tables, if anything (for a clear error)."""
    for name, (shape, types) in _SHAPES.items():
        rows = words.get(name)
        if rows is None:
            continue
        if not isinstance(rows, list):
            return f"words.{name} must be a list of {shape}"
        for row in rows:
            ok = isinstance(row, list) and len(row) in (len(types), len(types) - (name == "scannos"))
            ok = ok and all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(row, types))
            if not ok:
                return f"words.{name}: {row!r} is not {shape}"
    extra = words.get("extra_words")
    if extra is not None and not (isinstance(extra, list) and all(isinstance(w, str) for w in extra)):
        return "words.extra_words must be a list of words"
    return None
