"""Punctuation OCR put on or between words where the page had none, or misread.

The evidence is the book's own punctuation habits, counted per word: a period
glued to a word and followed by a lower-case word is no sentence end unless the
word is an abbreviation (which the book then prints with a period most times);
a mark after a word the book almost never punctuates (`the`, `of`, `a`) is a
speck; a `/`, `*` or digit glued to a word's end inside an unclosed quotation
is the closing quote misread (`life/` for `life,’`, `women.5` for `women.’`).
"""
from __future__ import annotations

import re
from collections import Counter

from ..document import Proposal
from .reading import Reading
from .tokens import Word

_PUNCT = ".,;:!?"
_QUOTE_DIGIT = re.compile(r"([A-Za-z]{2,}[.,]?)(\d)\Z")  # women.5, isms1
_CLOSE_FOR = {"‘": "’", "“": "”"}


class PunctStats:
    """How often the book follows each (lower-case) word with punctuation."""

    def __init__(self, ws: list[Word]):
        # (Counters of lists, not loops adding one: this runs over every word of a book)
        alpha = [w for w in ws if w.core.isalpha()]
        punctuated = [w for w in alpha if w.trail and w.trail[0] in _PUNCT]
        self.n = Counter([w.lower for w in alpha])
        self.punct = Counter([w.lower for w in punctuated])
        self.period = Counter([w.lower for w in punctuated if w.trail[0] == "."])

    def never_punctuated(self, lower: str, min_count: int, max_rate: float) -> bool:
        n = self.n.get(lower, 0)
        return n >= min_count and self.punct.get(lower, 0) <= max_rate * n

    def abbreviation(self, lower: str, min_count: int, ratio: float) -> bool:
        """Printed with a period most times (etc., viz.), or too rare to tell."""
        n = self.n.get(lower, 0)
        return n < min_count or self.period.get(lower, 0) > ratio * n


def _next_on_line(text: str, ws: list[Word], i: int) -> tuple[Word | None, str]:
    """The next word if on the same line, and the text between the two cores."""
    w = ws[i]
    if i + 1 < len(ws) and ws[i + 1].line == w.line:
        return ws[i + 1], text[w.end : ws[i + 1].start]
    return None, text[w.end : w.end + len(w.trail)]


def stray_punctuation(st, text: str, i: int, w: Word, reading: Reading) -> list[Proposal]:
    """`in. which`, `of. the`, `The; Red`, `the! autumn`, `nothing . worthwhile`."""
    cfg = st.cfg
    lower = reading.word(i)
    if not (w.core.isalpha() and st.known(lower)):
        return []
    nxt, gap = _next_on_line(text, st.ws, i)
    if nxt is None or not nxt.core[:1].isalpha() or nxt.lead:
        return []
    if not st.known(reading.word(i + 1).split("-")[0]):
        return []
    stats = st.punct_stats

    def ends_no_sentence() -> bool:  # a period between lower-case words, after no abbreviation
        return (w.core.islower() and nxt.core.islower() and not stats.abbreviation(
            lower, int(cfg["punct_min_count"]), float(cfg["abbreviation_period_ratio"])))

    if len(gap) == 2 and gap[0] in ".;:!" and gap[1] == " ":
        mark = gap[0]
        # a sentence may well end on `of` or `to` (`what Marx speaks of.`): periods only by the next rule
        if mark != "." and stats.never_punctuated(lower, int(cfg["never_punct_min_count"]),
                                  float(cfg["never_punct_max_rate"])):
            return [Proposal(w.end, w.end + 1, "", "unusual-punctuation",
                             f"‘{mark}’ after ‘{w.core}’, a word this book almost never punctuates after", 0.95)]
        if mark == "." and ends_no_sentence():
            return [Proposal(w.end, w.end + 1, "", "stray-period",
                             f"a period after ‘{w.core}’ before lower-case ‘{nxt.core}’ ends no sentence "
                             f"(the book rarely prints ‘{w.core}.’)", 0.95)]
    if gap == " . " and ends_no_sentence():
        return [Proposal(w.end, w.end + 2, "", "stray-period",
                         f"a lone period between ‘{w.core}’ and lower-case ‘{nxt.core}’", 0.95)]
    return []


def _open_quote(text: str, line_start: int, pos: int) -> str | None:
    """The quotation mark opened before `pos` in its paragraph and not yet closed."""
    stack: list[str] = []
    for k in range(line_start, pos):
        c = text[k]
        if c in _CLOSE_FOR and (k == line_start or not text[k - 1].isalnum()):
            stack.append(c)
        elif c in "’”" and stack and (k + 1 >= len(text) or not text[k + 1].isalpha()):
            if _CLOSE_FOR[stack[-1]] == c:
                stack.pop()
    return stack[-1] if stack else None


def misread_closing_quote(st, text: str, i: int, w: Word) -> list[Proposal]:
    """`life/ as` → `life,’ as`, `action* shook` → `action’ shook`, `women.5 We` → `women.’ We`."""
    nxt, _ = _next_on_line(text, st.ws, i)
    m = _QUOTE_DIGIT.match(w.core)
    if m:
        at, mark = w.start + m.end(1), m.group(2)
    elif w.trail[:1] in ("/", "*") and w.core.isalpha():
        at, mark = w.end, w.trail[0]
    else:
        return []
    after_mark = text[at + 1 : at + 2]
    if after_mark not in ("", " ", "\n", "’", "”"):
        return []
    opened = _open_quote(text, text.rfind("\n", 0, w.start) + 1, w.start)  # within the paragraph
    # a slash is a comma or period with its quote, either quote; a star or digit is the
    # thin single quote alone (inside double quotes it is as likely a period)
    if opened is None or (mark != "/" and opened != "‘"):
        return []
    close = _CLOSE_FOR[opened]
    lower_next = nxt is not None and nxt.core[:1].islower()
    if mark == "/":  # a comma or period with its quote: ,’ before lower case, .’ otherwise
        stop = "," if lower_next else "."
        after = stop if after_mark in "’”" and after_mark else stop + close
    elif after_mark in ("’", "”"):
        return []
    else:
        after = close
    return [Proposal(at, at + 1, after, "misread-closing-quote",
                     f"‘{mark}’ glued to ‘{w.core}’ inside an unclosed quotation is its closing ‘{close}’", 0.92)]


def _speck_lead(w: Word, marks: str, quote_noise: bool) -> bool:
    """A lone mark opening a lower-case word mid-sentence, which `glued_marks` removes."""
    c = w.lead
    return (len(c) == 1 and not w.initial and w.core[:1].islower()
            and (c in marks or c in ".," or (c == "'" and quote_noise)))


def links(ws: list[Word], cfg: dict, quote_noise: bool) -> list[bool]:
    """Whether each word reads on from the one before (its context), seeing through
    the specks this stage removes: the context a repair is judged in must be the one
    its output will show, or cleaning the cleaned text would judge it again, differently."""
    marks = cfg["glued_marks"]
    trail_marks = marks.replace("*", "").replace("-", "")
    out = [False] * len(ws)
    for i in range(1, len(ws)):
        a, b = ws[i - 1], ws[i]
        if a.line != b.line or a.mark_after:
            continue
        if b.joined_left:
            out[i] = True
        elif not a.trail and _speck_lead(b, marks, quote_noise):
            out[i] = True
        elif len(a.trail) == 1 and not b.lead and b.start - a.end == 2 and (
                a.trail in trail_marks
                or (a.trail in ("*", "'") and b.core[:1].islower() and (a.trail == "*" or quote_noise))):
            out[i] = True
    return out


def _lower_follows(st, i: int) -> bool:
    """The next word is on the same line, one space on, and starts lower case."""
    ws = st.ws
    return (i + 1 < len(ws) and ws[i + 1].line == ws[i].line and not ws[i + 1].lead
            and ws[i + 1].start == ws[i].end + len(ws[i].trail) + 1 and ws[i + 1].core[:1].islower())


def _unmatched_lead(st, i: int, w: Word) -> bool:
    """`the (authorities were`, `drudge in ’involuntary`: a `(` no `)` closes in the
    paragraph, or a closing quote opening a common word (no elision) with no quote
    open before it: specks."""
    if w.initial or len(w.lead) != 1 or w.lead not in "(’" or not w.core.islower():
        return False
    text = st.text
    line_start = text.rfind("\n", 0, w.start) + 1
    line_end = text.find("\n", w.end)
    if w.lead == "(":  # inside a running lower-case sentence (not after a name: `Raw (trading as`)
        prev = st.ws[i - 1]
        return (prev.core[:1].islower() and not prev.trail
                and text.find(")", w.end, line_end if line_end >= 0 else len(text)) < 0)
    # elisions are of short words (’tis, ’cause, ’round, ’gainst)
    return (len(w.core) >= 7 and st.zipf(w.core) >= float(st.cfg["split_min_zipf"])
            and _open_quote(text, line_start, w.start - 1) is None)


def _letter_before(st, core: str) -> str | None:
    """A word one letter longer at its start that is common (`(he` for `the`, `(rand`
    for `grand`): the mark may be that letter misread."""
    zipf, word = st.letter_reading("", core)
    return word[0] if zipf >= float(st.cfg["misread_mark_min_zipf"]) and zipf > st.lex.zipf(core) else None


def _period_before_capital(prev: Word, w: Word) -> bool:
    return (w.lead == "." and not w.initial and prev.line == w.line and not prev.trail
            and prev.core[:1].islower() and w.start - 1 - prev.end == 1
            and len(w.core) >= 2 and w.core[0].isupper() and w.core[1:].islower())


def _dangling_hyphen(st, i: int, w: Word) -> bool:
    """`personages’- he`, `notorious- “emancipation`: no word is hyphenated across a
    quotation mark (a suspended hyphen, `pre- and post-war`, is followed by a word)."""
    t = w.trail
    if not t.endswith("-") or len(t) > 2 or (len(t) == 2 and t[0] not in "’”"):
        return False
    ws = st.ws
    if i + 1 >= len(ws) or ws[i + 1].line != w.line:
        return False
    nxt = ws[i + 1]
    return len(t) == 2 or nxt.lead[:1] in ("“", "‘")


def _star_splits_word(st, i: int) -> bool:
    """`com* rades`: the second half is no word and the two read as one."""
    if not _lower_follows(st, i):
        return False
    a, b = st.ws[i], st.ws[i + 1]
    joined = (a.core + b.core).lower()
    return (b.core.isalpha() and not st.known(b.lower) and st.known(joined)
            and st.zipf(joined) >= float(st.cfg["split_min_zipf"]))


def glued_marks(st, i: int, w: Word, reading: Reading) -> list[Proposal]:
    """`-clearly`, `<be`, `.and` mid-sentence, `to>`, `do-,`: marks glued onto a word
    where the page had none. A straight `'` opening a word counts only in a book
    whose quotes are curly (so a straight one is a misread speck)."""
    cfg = st.cfg
    word = reading.word(i)
    if not (w.core.isalpha() and st.known(word.lower())):
        return []
    marks = cfg["glued_marks"]
    out = []
    lead = w.lead
    if i > 0 and st.ws[i - 1].line == w.line and _speck_lead(w, marks, st.quote_noise):
        out.append(Proposal(w.start - 1, w.start, "", "glued-mark",
                            f"‘{lead}’ glued to the start of ‘{w.core}’ mid-sentence is a speck, not punctuation", 0.95))
    elif i > 0 and _period_before_capital(st.ws[i - 1], w):
        # the period was the previous word's sentence end, or a speck: either way the text
        # is nearer the page without it here (`were .With us`)
        out.append(Proposal(w.start - 1, w.start, "", "glued-period",
                            f"a period glued to the start of ‘{w.core}’, away from the word before", 0.9))
    elif i > 0 and st.ws[i - 1].line == w.line and _unmatched_lead(st, i, w):
        letter = _letter_before(st, w.core) if lead == "(" else None
        why = f"‘{lead}’ opening ‘{w.core}’ mid-sentence matches nothing in its paragraph"
        out.append(Proposal(w.start - 1, w.start, "", "unmatched-opening", why, 0.92) if letter is None else
                   Proposal(w.start - 1, w.start, "", "unmatched-opening",
                            f"{why}; only proposed: it may be a misread letter (‘{letter}{w.core}’)", 0.6))
    trail = w.trail
    if trail and trail[0] in marks.replace("*", "").replace("-", ""):
        out.append(Proposal(w.end, w.end + 1, "", "glued-mark", f"‘{trail[0]}’ glued to the end of ‘{w.core}’", 0.95))
    elif trail == "'" and st.quote_noise and not word.endswith("s") and _lower_follows(st, i):
        # a straight quote in a book set with curly ones, mid-sentence: a speck
        out.append(Proposal(w.end, w.end + 1, "", "straight-quote-speck",
                            f"a straight ‘'’ after ‘{w.core}’ in a book set with curly quotes", 0.95))
    elif trail == "*" and _star_splits_word(st, i):
        nxt = st.ws[i + 1]
        out.append(Proposal(w.end, nxt.start, "", "star-in-word",
                            f"‘{w.core}* {nxt.core}’: a speck and a space inside ‘{w.core}{nxt.core}’", 0.92))
    elif trail[:1] == "*" and (trail[1:2] in tuple(",;:.!?") or (trail == "*" and _lower_follows(st, i))):
        # a footnote reference the notes stage found no footnote for, mid-sentence: a speck;
        # in a text without footnotes, as often a misread letter (`month*.` for `months.`)
        why = f"‘*’ glued to ‘{w.core}’ mid-sentence, with no footnote to refer to"
        out.append(Proposal(w.end, w.end + 1, "", "orphan-footnote-mark", why, 0.92) if st.has_footnotes else
                   Proposal(w.end, w.end + 1, "", "orphan-footnote-mark",
                            f"{why}; only proposed: the text has no footnotes, so it may be a misread letter", 0.6))
    elif _dangling_hyphen(st, i, w):
        at = w.end + len(trail) - 1
        out.append(Proposal(at, at + 1, "", "dangling-hyphen",
                            f"a hyphen after ‘{w.core}{trail[:-1]}’ that joins nothing (a quotation mark follows or precedes it)",
                            0.92))
    elif trail[:2] == ",," and trail[2:3] != ",":
        out.append(Proposal(w.end, w.end + 1, "", "doubled-comma", f"a doubled comma after ‘{w.core}’", 0.95))
    elif len(trail) >= 2 and trail[0] == "-" and trail[1] in ",;:.!?":
        out.append(Proposal(w.end, w.end + 1, "", "dangling-hyphen", f"a hyphen between ‘{w.core}’ and its punctuation",
                            0.95))
    return out
