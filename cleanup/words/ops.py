"""The OCR operations a repair undoes, and a repair candidate, as named tuples.

An operation is a tuple whose first field names its kind; the channel prices and
counts operations by it (cleanup/words/channel.py keys its tables by the equal
plain tuples, `("glyph", "rn", "m")`, and so do the learned profiles' rows).
Named tuples are tuples: equal and hashing alike, so either finds the other.
"""
from __future__ import annotations

from typing import NamedTuple


class Inserted(NamedTuple):
    """A letter or digit OCR read where the page had none (`iand`)."""
    kind: str  # "ins"
    letter: str  # lower case
    before: str  # the letter after it (lower case), "$" at the word's end
    where: str  # "start" of the word or "inside"


class Glyph(NamedTuple):
    """A look-alike read for what the page had (`rn` for `m`), from the confusion table."""
    kind: str  # "glyph"
    read: str
    meant: str


class Substituted(NamedTuple):
    """Any other letter read for the page's one (dear: no look-alike)."""
    kind: str  # "sub"
    read: str
    meant: str


class Dropped(NamedTuple):
    """A letter of the page OCR lost (`goverment`)."""
    kind: str  # "drop"
    letter: str


class Stray(NamedTuple):
    """A speck read as a mark inside a word (`fea^ture`)."""
    kind: str  # "stray"
    mark: str


class Split(NamedTuple):
    """Two words read as one (`ofthe`)."""
    kind: str  # "split"


class Space(NamedTuple):
    """A speck read as a letter where the page had a space (`themtmore`)."""
    kind: str  # "space"
    mark: str


def inserted(letter: str, before: str, at_start: bool) -> Inserted:
    return Inserted("ins", letter, before, "start" if at_start else "inside")


def glyph(read: str, meant: str) -> Glyph:
    return Glyph("glyph", read, meant)


def substituted(read: str, meant: str) -> Substituted:
    return Substituted("sub", read, meant)


def dropped(letter: str) -> Dropped:
    return Dropped("drop", letter)


def stray(mark: str) -> Stray:
    return Stray("stray", mark)


SPLIT = Split("split")


def space(mark: str) -> Space:
    return Space("space", mark)


class Candidate(NamedTuple):
    """A word an OCR reading may have been, as symspellpy's `SuggestItem`: the word,
    the channel cost (-log10 probability) of the operations that turn it into what
    was read, and those operations."""
    word: str
    cost: float
    ops: tuple


class GlyphRead(NamedTuple):
    """One of the commonest words, read through a look-alike as another word."""
    word: str
    cost: float
    read: str
    meant: str
