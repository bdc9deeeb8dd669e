"""Words of the text as the word stage sees them: a core of letters (and the
marks OCR put inside it) with the punctuation around it, in text coordinates."""
from __future__ import annotations

import re
from dataclasses import dataclass

# One match per piece of a whitespace-separated token (dashes between words split
# a token into pieces): the marks before the first letter or digit, the core up to
# the last one, the marks after. One regex pass: this runs over every word of a book.
_SEP = r"\s—–"  # what separates pieces: whitespace, and dashes between words
_MARK = rf"(?:[^\w{_SEP}]|_)"  # neither letter, digit nor separator
_PIECE = re.compile(rf"(?P<lead>{_MARK}*)(?P<core>[^\W_](?:[^{_SEP}]*[^\W_])?)?(?P<trail>[^{_SEP}]*)")
# every piece of the text in one scan, with the separators before it (whitespace, dashes);
# the gap is possessive and the piece optional, so a run of separators ending the text
# is one match without a piece (lead None), not a failed match retried at each of its
# characters (quadratic in the run's length)
_PIECES = re.compile(rf"(?P<gap>[{_SEP}]*+)(?:(?=[^{_SEP}])" + _PIECE.pattern + ")?").finditer
# A piece whose core is letters only (digits inside: `tact1essness`, a misreading),
# its core found without making Words: for counting a text's word forms fast
_LETTER_PIECE = re.compile(rf"(?:(?<=[{_SEP}])|^){_MARK}*([^\W\d_]+(?:\d+[^\W\d_]+)*){_MARK}*(?=[{_SEP}]|$)", re.M)
_SENTENCE_END = set(".!?:")
_CLOSERS = "\"'”’)]»*"


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
    lower: str  # core.lower(), made once
    mark_after: bool = False  # a free-standing mark follows before the next word


def words(text: str) -> list[Word]:
    out: list[Word] = []
    line = 0
    prev: Word | None = None
    append = out.append
    ends = _ends_sentence
    for m in _PIECES(text):
        gap, lead, core, trail = m.groups()
        if lead is None:  # the separators that end the text: no word follows
            break
        dashed = False
        if gap:
            if "\n" in gap:
                line += gap.count("\n")
                prev = None
            dashed = "—" in gap or "–" in gap  # (the rest of a gap is whitespace)
        if core is None:
            if prev is not None:
                prev.mark_after = True  # a bare mark: context stops here
            continue
        cs = m.start(3)
        initial = prev is None or ends(prev)
        # joined: only whitespace (no dash, no mark) since the previous word
        joined = prev is not None and not prev.trail and not prev.mark_after and not lead and not dashed
        w = Word(cs, cs + len(core), core, lead, trail, initial, joined, line, core.lower())
        append(w)
        prev = w
    return out


def _ends_sentence(w: Word) -> bool:
    t = w.trail.rstrip(_CLOSERS)
    return bool(t) and t[-1] in _SENTENCE_END


def letter_cores(text: str) -> list[str]:
    """The cores of the text's pieces that are letters (digits only inside), in order:
    the `core` of each Word `words` would make of such a piece, one regex pass."""
    return _LETTER_PIECE.findall(text)


def first_letter_core(text: str, core: str) -> int:
    """Where `core` first stands as a letter piece's core in `text`, -1 if nowhere:
    found as a substring, then checked from the start of its piece."""
    p = text.find(core)
    while p >= 0:
        s = p
        while s > 0 and not (text[s - 1].isspace() or text[s - 1] in "—–"):
            s -= 1
        m = _LETTER_PIECE.match(text, s)
        if m and m.start(1) == p and m.end(1) == p + len(core):
            return p
        p = text.find(core, p + 1)
    return -1
