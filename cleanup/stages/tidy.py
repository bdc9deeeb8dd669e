"""Spacing inside paragraphs: runs of spaces become one; the space a scan sets
inside double quotes (`" I am seated`, `" Uncle Tom "`) goes where it does so
habitually; the space a lost apostrophe left (`lady s`, `Was n t`) is the
apostrophe again."""
from __future__ import annotations

import re

from ..document import Proposal
from ..vocab import zipf

# two or more spaces between non-spaces; the pattern opens with the literal space
# (the lookbehind then checks the character before it) so the regex engine skips
# from space to space instead of trying the lookbehind at every character
_RUN = re.compile(r" (?<=\S )[ ]+(?=\S)")


# a double quote opening a paragraph, then one space before a capital (or a nested
# quote and a capital): a paragraph opens with a capital, so a space before a small
# letter may be a word the OCR lost (`" women` for `"O women`)
_OPENING_QUOTE_SPACE = re.compile(r"(?:^|(?<=\n\n))[\"“]( )(?=[A-Z]|['‘][A-Z])")


# a word, one space, a lone `s` ending the token: a possessive whose apostrophe the
# scan lost (`that lady s desire`, `M. Belloc s.`)
_LONE_S = re.compile(r" (s)(?=[\s.,;:!?)\]]|$)")  # (found by its tail, a literal: a pattern that
# starts with the word would be tried at every letter of the book; the word is read back)
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")


# a contraction whose apostrophe the scan read as a space (`Was n t`, `o clock`, `I m`):
# the word, then the contraction's tail ending the token
_SPLIT_CONTRACTION = re.compile(r" (n t|t|m|d|ll|re|ve|clock)(?=([\s.,;:!?)\]]|$))(?: ([a-z]+))?")


def _word_before(text: str, end: int) -> str:
    """The word (all letters, a whole token's start) that ends at `end`, or ""."""
    m = _WORD_BEFORE.search(text, max(0, end - 40), end)
    if not m or (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")):
        return ""
    return m.group()


def _lost_apostrophes(text: str, max_zipf: float) -> list[Proposal]:
    """`lady s` → `lady's`: the word before is one a possessive follows (a word no
    more common than `max_zipf`: not `of s`, `by s`, where the `s` is a fragment).
    `Was n t` → `Wasn't`, `o clock` → `o'clock`: where English has that contraction."""
    apostrophe = "’" if text.count("’") > text.count("'") else "'"
    why = "whose apostrophe the scan lost"
    out = []
    for m in _LONE_S.finditer(text):
        word = _word_before(text, m.start())
        if len(word) >= 2 and 0 < zipf(word) <= max_zipf:
            out.append(Proposal(m.start(), m.start(1), apostrophe, "lost-apostrophe",
                                f"a lone ‘s’ after ‘{word}’: a possessive {why}", 0.9))
    for m in _SPLIT_CONTRACTION.finditer(text):
        word, tail, nxt = _word_before(text, m.start()), m.group(1), m.group(3)
        joined = f"{word}n't" if tail == "n t" else f"{word}'{tail}"
        # not a word cut in two (`you re quest`: `request`), nor a lower-case `i` (`2 i m.`: p.m.)
        if word and zipf(joined) > 0 and not (nxt and zipf(tail + nxt) > 0) and word != "i":
            out.append(Proposal(m.start(), m.end(1), joined[len(word):].replace("'", apostrophe), "lost-apostrophe",
                                f"‘{word} {tail}’: the contraction ‘{joined}’ {why}", 0.9))
    return out


_QUOTE = re.compile('"')


def _spaced_quotes(text: str, min_count: int) -> list[Proposal]:
    """`the story of " Uncle Tom " in`: inside each pair of straight double quotes of
    a paragraph (an even number of them: told apart in order, opening then closing),
    the space a scan sets after the opening one, or before the closing one, where it
    does so habitually (at least `min_count` times, and more often than not)."""
    opening, closing = [], []  # (quote position, spaced?)
    base = 0
    for para in text.split("\n"):
        start, base = base, base + len(para) + 1
        if '"' not in para:
            continue
        quotes = [m.start() for m in _QUOTE.finditer(para)]
        if len(quotes) % 2:
            continue  # (a quotation running on into the next paragraph: no pairs to tell)
        for n, k in enumerate(quotes):
            if n % 2 == 0:  # opening: a space, then the quoted text
                opening.append((start + k, para[k + 1: k + 2] == " " and para[k + 2: k + 3] not in ("", " ", '"')))
            else:  # closing: the quoted text, then a space
                closing.append((start + k, k >= 2 and para[k - 1] == " " and para[k - 2] not in (" ", '"')))
    out = []
    for found, side, space_at in ((opening, "after the opening", 1), (closing, "before the closing", -1)):
        n = sum(spaced for _, spaced in found)
        if n >= min_count and 2 * n > len(found):
            why = f"the scan sets a space {side} quote ({n} of {len(found)} times): print sets it close"
            out += [Proposal(k + space_at, k + space_at + 1, "", "quote-space", why, 0.9) for k, spaced in found if spaced]
    return out


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    out = []
    if cfg["collapse_spaces"]:
        out += [Proposal(m.start(), m.end(), " ", "space-run", "several spaces between words are one", 1.0)
                for m in _RUN.finditer(text)]
    spaced = list(_OPENING_QUOTE_SPACE.finditer(text))
    # only a scan that does it habitually: one spaced quote may be the print's own
    if len(spaced) >= cfg["opening_quote_space_min"]:
        out += [Proposal(m.start(1), m.end(1), "", "opening-quote-space",
                         f"the scan spaces the quote opening a paragraph ({len(spaced)} times): "
                         "print sets it close to its first word", 0.9) for m in spaced]
    if cfg["possessive_max_zipf"]:
        out += _lost_apostrophes(text, float(cfg["possessive_max_zipf"]))
    if cfg["opening_quote_space_min"]:
        # (a paragraph's opening quote is the rule above's too: the first proposal of a
        # span is the one logged, Document.apply)
        out += _spaced_quotes(text, int(cfg["opening_quote_space_min"]))
    return out
