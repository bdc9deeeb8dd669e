"""Passages in another language inside an English text (a quoted verse, a motto),
and passages of eye dialect (`walkin' roun' an' roun'`).

Such a passage is told by its function words: a window of words holding several
distinct common function words of one other language (`und`, `der`, `ich`; `les`,
`est`, `dans`), words English seldom prints, and fewer common English words
(`the`, `of`, `and`) than those. Damaged English, however many unknown words
its misreadings make, keeps its own function words: it is not taken for one.
A text in the spelling of before 1700 is told the same way, by spellings no later
text prints (`haue`, `vnto`). The tables: cleanup/data/function_words.toml.
"""
from __future__ import annotations

import tomllib
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _table() -> dict:
    ref = Path(__file__).parent.parent / "data" / "function_words.toml"
    return tomllib.loads(ref.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    """Language name -> its commonest function words (lower case)."""
    return {lang: frozenset(text.split()) for lang, text in _table()["languages"].items()}


@lru_cache(maxsize=1)
def elided_words() -> frozenset[str]:
    """The English words eye dialect prints elided (`an'`, `o'`), from the same table."""
    return frozenset(_table()["dialect"]["elided"].split())


@lru_cache(maxsize=1)
def old_spelling_forms() -> frozenset[str]:
    """Spellings no English after about 1700 prints (`haue`, `vnto`), from the same table."""
    return frozenset(_table()["old_spelling"]["forms"].split())


def old_spelling(ws: list, cfg: dict) -> list[str]:
    """The old spellings the text prints, if at least old_spelling_min_forms distinct
    ones (a text in the spelling of before 1700), else none."""
    seen = sorted({w.lower for w in ws} & old_spelling_forms())
    return seen if len(seen) >= int(cfg["old_spelling_min_forms"]) else []


def passages(ws: list, zipf, cfg: dict) -> dict[int, str]:
    """Word index -> a reason naming the language, for the words of foreign passages.

    `ws`: the words (with `.lower`); `zipf(lower)`: the English frequency (0 if unknown)."""
    max_english = float(cfg["foreign_max_english_zipf"])
    english_min = float(cfg["foreign_english_function_zipf"])
    min_words = int(cfg["foreign_min_function_words"])
    english_freq = {f: zipf(f) for f in {w.lower for w in ws}}
    out: dict[int, str] = {}
    for lang, table in function_words().items():
        # its words English seldom prints; and English's own commonest, unless shared
        marks = {f for f, z in english_freq.items() if f in table and z < max_english}
        if len(marks) < min_words:
            continue  # (most books: no passage of this language at all)
        english = {f for f, z in english_freq.items() if z >= english_min and f not in table}
        for first, last, seen in _spans(ws, marks, english, int(cfg["foreign_passage_window"]), min_words):
            reason = f"in a passage of {lang} ({', '.join(sorted(seen)[:4])})"
            for j in range(first, last + 1):
                out.setdefault(j, reason)
    return out


def _spans(ws: list, marks: set, english: set, width: int, min_words: int):
    """(first, last, forms) of each window of `width` words from one of `marks` to
    the last in it, holding `min_words` distinct ones and fewer `english` words."""
    at = [i for i, w in enumerate(ws) if w.lower in marks]
    for k, first in enumerate(at):
        run = at[k:bisect_left(at, first + width, k)]
        seen = {ws[j].lower for j in run}
        if len(seen) < min_words:
            continue
        last = run[-1]
        if sum(ws[j].lower in english for j in range(first, last + 1)) < len(run):
            yield first, last, seen  # (else English with a few foreign-looking names or misreadings)


# -- eye dialect -----------------------------------------------------------------------
_APOSTROPHES = "'’"


def elided(w, known) -> bool:
    """A word printed with its last letters dropped and an apostrophe in their place,
    as dialect speech is spelt: `walkin'` (`walking` a word), `an'`, `o'`, `wi'`."""
    if not w.trail[:1] or w.trail[0] not in _APOSTROPHES or not w.core.isalpha():
        return False
    low = w.lower
    return low in elided_words() or (len(low) > 3 and low.endswith("in") and known(low + "g"))


def dialect_passages(ws: list, known, cfg: dict) -> dict[int, str]:
    """Word index -> a reason, for the words of paragraphs written in eye dialect: at
    least dialect_min_elisions elided words (`walkin'`, `an'`) in the paragraph. Its
    other odd spellings (`axin`, `parf`, `cloes`) are the author's, not the scan's, far
    more often than a misreading: the repairs are only proposed."""
    need = int(cfg["dialect_min_elisions"])
    by_line: dict[int, list[int]] = {}
    for i, w in enumerate(ws):
        by_line.setdefault(w.line, []).append(i)
    out: dict[int, str] = {}
    for idx in by_line.values():
        marks = [ws[i].core + ws[i].trail[0] for i in idx if elided(ws[i], known)]
        if len(marks) >= need:
            reason = f"in a paragraph of dialect speech ({', '.join(dict.fromkeys(marks[:4]))})"
            out.update((i, reason) for i in idx)
    return out
