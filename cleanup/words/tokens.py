"""Words of the text as the word stage sees them: a core of letters (and the
marks OCR put inside it) with the punctuation around it, in text coordinates."""
from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\S+")
_PIECE = re.compile(r"[^—–]+")  # dashes between words split a token into words
_ALNUM = re.compile(r"[^\W_]")
_SENTENCE_END = set(".!?:")
_CLOSERS = set("\"'”’)]»*")


@dataclass(slots=True)
class Word:
    start: int  # of the core, in the text
    end: int
    core: str
    lead: str  # punctuation before the core, in the same token piece
    trail: str
    initial: bool  # first word of a line (paragraph) or after a sentence end
    joined_left: bool  # no punctuation between this word and the previous one
    line: int  # index of the line (paragraph) in the text
    mark_after: bool = False  # a free-standing mark follows before the next word
    lower: str = ""

    def __post_init__(self):
        self.lower = self.core.lower()


def words(text: str) -> list[Word]:
    out: list[Word] = []
    line = 0
    last_end = 0
    prev: Word | None = None
    for m in _TOKEN.finditer(text):
        nl = text.count("\n", last_end, m.start())
        last_end = m.start()
        if nl:
            line += nl
            prev = None
        tok = m.group()
        for pm in _PIECE.finditer(tok):
            piece = pm.group()
            first = _ALNUM.search(piece)
            if not first:
                if prev is not None:
                    prev.mark_after = True  # a bare mark: context stops here
                continue
            a = first.start()
            b = len(piece)
            while not _ALNUM.match(piece[b - 1]):
                b -= 1
            start = m.start() + pm.start() + a
            initial = prev is None or _ends_sentence(prev)
            joined = (prev is not None and not prev.trail and not prev.mark_after and not piece[:a]
                      and pm.start() == 0)
            w = Word(start, start + (b - a), piece[a:b], piece[:a], piece[b:], initial, joined, line)
            out.append(w)
            prev = w
    return out


def _ends_sentence(w: Word) -> bool:
    t = w.trail.rstrip("".join(_CLOSERS))
    return bool(t) and t[-1] in _SENTENCE_END
