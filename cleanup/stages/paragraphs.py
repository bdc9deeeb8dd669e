"""Lines and paragraphs: every line boundary becomes a space, nothing (a word
broken at the line end, hyphen or not), or a paragraph break.

The signals are the ones a reader uses: the line's length against the page's
measure, sentence-final punctuation, a capital or opening quote next, an
indented next line, headings, and the vocabulary (a joined form that occurs in
the book or the dictionary, against the two halves as words)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Proposal
from .signals import ends_sentence, footnote_marker
from ..vocab import WORD, BookVocabulary, join_log_odds, known, listed_pair

_OPENERS = "“‘\"'([*♦"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# the last word of a line's last token (`WORD.finditer`'s last match, if it runs to the end)
_LAST_WORD = re.compile(f"(?:{WORD.pattern})$")
_DATE = re.compile(rf"^(?:\w+ )?(?:{_MONTHS})(?: \d{{1,2}},?)? \d{{4}}\.?$|^\d{{1,2}} (?:{_MONTHS}),? \d{{4}}\.?$")


# a letter's closing at a line's end, after a sentence (`man ! Yours in all sympathy,`)
_CLOSINGS = "Yours|Your|Truly|Ever yours|Faithfully|Affectionately|Sincerely|Very truly|Believe me"
_CLOSING = re.compile(rf"(?:^|(?<=[.!?”\"’'] ))(?:{_CLOSINGS})\b[^.!?]{{0,50}}$")
# ...or a whole line of closing and signature (`Yours for the cause, H. B. STOWE.`)
_CLOSING_LINE = re.compile(rf"^(?:{_CLOSINGS})\b[^.!?]{{0,50}},\s+[A-Z][A-Z. ]+\.$")


@dataclass(slots=True)  # one per line of the book
class Line:
    start: int  # offset of the line's first character
    text: str
    body: str = field(init=False)  # the text without surrounding space (asked for often)

    def __post_init__(self):
        self.body = self.text.strip()


def _measure(lines: list[Line]) -> int:
    """The page's measure: the length most full lines reach."""
    lengths = sorted(len(l.body) for l in lines if len(l.body) >= 10)
    if not lengths:
        return 60
    return lengths[int(0.9 * (len(lengths) - 1))]


@lru_cache(maxsize=4096)  # pure, and asked of each line from both its boundaries
def is_heading(line: str, measure: int) -> bool:
    """A line in capitals short of the measure, a date line, or a scene break."""
    s = line.strip()
    if len(s) <= 0.8 * measure:
        letters = sum(map(str.isalpha, s))
        if letters < 2:
            return s == "* * *"
        if letters >= 3 and sum(map(str.isupper, s)) >= 0.8 * letters:
            return True
    return bool(_DATE.match(s))


def _capitals(s: str) -> bool:
    """A line set in capitals (a heading's, at any length)."""
    letters = sum(map(str.isalpha, s))
    return letters >= 3 and sum(map(str.isupper, s)) >= 0.8 * letters


def _signature(s: str) -> bool:
    """A letter's signature line: a few words in capitals ending with a stop
    (`H. B. STOWE.`, `GEORGIANA.`)."""
    return len(s) <= 40 and len(s.split()) <= 5 and s.endswith(".") and _capitals(s)


def _letter_endings(lines: list[Line], content: list[int]) -> tuple[dict[int, int], set[int]]:
    """Where letters end: {line: offset of its closing formula} for a closing
    before a signature line, and the lines that open with a closing (a break
    goes before them). Closing and signature are one paragraph."""
    closing: dict[int, int] = {}
    opens: set[int] = set()
    for i, j in zip(content, content[1:]):
        a, b = lines[i].body, lines[j].body
        if _signature(b) and (m := _CLOSING.search(a)):
            closing[i] = m.start()
            if m.start() == 0:
                opens.add(i)
        elif _CLOSING_LINE.match(b):
            opens.add(j)
    return closing, opens


def _number_alone(s: str) -> bool:
    return s.strip("-—–. ").isdigit()


def _starts_upper(c: str) -> bool:
    """Does a line whose first character is `c` start a sentence?"""
    return c.isupper() or c.isdigit() or (c in _OPENERS and c != "(")


def decide(a: Line, b: Line, blanks: int, measure: int, cfg: dict, a_opens: bool = False,
           page_breaks: bool = False, paragraphed: bool = False) -> tuple[str, str, float]:
    """How the boundary between lines a and b is read: ('break'|'join', reason,
    confidence). `a_opens`: line a opens a paragraph, so print indented it.
    `page_breaks`: the text's blank lines part pages, not paragraphs (Google's
    OCR), or it has none, so a blank line says nothing of a paragraph.
    `paragraphed`: every line stands between blank lines and the lines are not
    a page's measure: one paragraph a line already."""
    ratio = cfg["short_line_ratio"]
    at, bt = a.body, b.body
    indent = cfg["first_line_indent"] if a_opens else 0
    short = len(at) < ratio * (measure - indent)
    # a justified line breaks where the next word no longer fits: if it would have
    # fitted (with some slack for letters of different widths), the break was chosen
    nxt_word = bt.split(None, 1)[0] if bt else ""
    # (only where blank lines do not already show the paragraphs)
    if page_breaks:
        short = short or len(at) + 1 + len(nxt_word) + cfg["fit_slack"] <= measure - indent
    ends = ends_sentence(at)
    first = bt[:1]  # bodies are stripped
    upper = _starts_upper(first)
    lower = first.islower()
    indented = b.text.startswith(" ") and not a.text.startswith(" ")
    markers = cfg["footnote_markers"]
    if footnote_marker(bt, markers):
        return "break", "a footnote stands apart (the notes stage places it)", 0.9
    if footnote_marker(at, markers):
        if blanks == 0 and not ends and not is_heading(bt, measure):
            return "join", "a footnote runs on to its next line", 0.9
        return "break", "a footnote stands apart (the notes stage places it)", 0.9
    if blanks and paragraphed:
        # the text is one paragraph a line already (a cleaned text): its blank lines
        # stand, but where a sentence runs on into a lower-case line (not after a
        # heading, a date or a number, which stand alone whatever follows)
        if lower and not ends and not _capitals(at) and not _DATE.match(at) and not _number_alone(at):
            return "join", "a page or column break inside a sentence", 0.9
        return "break", "the text sets one paragraph a line already", 0.95
    if is_heading(at, measure) or is_heading(bt, measure):
        if (blanks == 0 and _capitals(at) and _capitals(bt) and at[-1:].isalpha()
                and not _DATE.match(at) and not _DATE.match(bt)):
            # `CULTIVATION OF THE HEART, AND THE` / `MORAL HABITS.`: one heading in two lines
            return "join", "a heading runs on to the next line (no stop at its end)", 0.85
        return "break", "a heading stands alone", 0.85
    if blanks and (_number_alone(at) or _number_alone(bt)):
        # a number alone beside a blank line that debris kept (an unconfirmed page
        # number left for review, a section number) never runs into a paragraph
        return "break", "a number alone beside a blank line stands apart", 0.9
    if blanks and page_breaks and not lower:
        if ends and short and (upper or indented):
            return "break", "a page ends in a short line that ends a sentence", 0.85
        return "join", "a page break: the page's last line runs to the measure", cfg["page_join_confidence"]
    if blanks == 0:
        if ends and short and (upper or indented):
            return "break", "a short line ends a sentence and the next starts one", 0.9
        if indented and short and ends:
            return "break", "short sentence end, then an indented line", 0.8
        return "join", "lines of one paragraph", 0.95
    if lower:
        return "join", "a page or column break inside a sentence", 0.95
    if ends or short:
        return "break", "a blank line after a sentence or a short line", 0.85
    return "join", "a page break: the line runs to the measure without ending a sentence", 0.9


def book_vocabulary(text: str, ctx) -> BookVocabulary:
    """The book's own words and pairs (made once a run), with the run's user words."""
    book = ctx.cache.get("book_vocabulary")
    if book is None:
        book = ctx.cache["book_vocabulary"] = BookVocabulary(text, ctx.lexicon().user_lower)
    return book


def _name_halves(a: str, b: str, prev: str | None) -> bool:
    """A capitalised half mid-sentence with a lower-case one no one prints after it
    (`Mary`/`borough`, `Darling`/`hurst`): a name broken at the line end, which is
    printed whole, not a compound."""
    mid_sentence = prev is not None and not ends_sentence(prev)
    return a[:1].isupper() and b[:1].islower() and mid_sentence and not listed_pair(a, b)


def join_words(left: str, right: str, book: BookVocabulary, cfg: dict,
               prev: str | None = None, nxt: str | None = None,
               hyphenating: bool = False) -> tuple[str, str, str, float]:
    """Join the halves of a line-end word: ('', …) glues them, (' ', …) keeps two
    words, ('-', …) keeps a line-end hyphen (a real compound). `left` may end
    with '-'; `hyphenating` says the printer marks broken words with hyphens, so
    two words at an unhyphenated line end stay two. Returns (separator, rule,
    reason, confidence)."""
    hyphen = left.endswith("-")
    l_word = left.rstrip("-")
    lm = _LAST_WORD.search(l_word)
    rm = WORD.match(right)
    if hyphen and l_word[-1:].isdigit() and right[:1].isdigit():
        return "-", "number-range-hyphen", "a hyphen between numbers is a range (1853-54)", 0.9
    if not lm or not rm:
        return (("", "dehyphenate", "a line-end hyphen before a non-word", 0.6) if hyphen
                else (" ", "line-join", "line end between words", 0.95))
    a, b = lm.group(), rm.group()
    joined = (a + b).lower()
    bare = lambda w: (m.group() if w and (m := WORD.search(w)) else None)  # noqa: E731
    if hyphen:
        hyph = f"{a}-{b}".lower()
        if b[0].isupper():
            return "-", "compound-hyphen", "a hyphen before a capital is part of the name", 0.9
        if book.hyphenated[hyph] > book.words[joined]:
            return "-", "compound-hyphen", f"'{a}-{b}' is printed with a hyphen elsewhere in the book", 0.9
        if book.words[joined] > book.hyphenated[hyph]:
            return "", "dehyphenate", f"'{a + b}' is printed whole elsewhere in the book", 0.9
        if joined in book.user:
            return "", "dehyphenate", f"'{a + b}' is in a user dictionary", 0.9
        if not known(joined, book):
            if known(a) and known(b) and not _name_halves(a, b, prev):
                return "-", "compound-hyphen", f"'{a}' and '{b}' are words and '{a + b}' is not: a compound", 0.8
            return "", "dehyphenate", "a line-end hyphen inside a word", 0.7
        # most line-end hyphens only break a word: keep one only where the
        # two-word reading is clearly likelier (`strong-willed`)
        odds = join_log_odds(bare(prev), a, b, bare(nxt))
        if odds > cfg["dehyphenate_log_odds"]:
            return "", "dehyphenate", f"'{a + b}' is likelier than '{a}-{b}' here (log10-odds {odds:.1f})", 0.85
        return "-", "compound-hyphen", f"'{a} {b}' is likelier than '{a + b}' here (log10-odds {odds:.1f})", 0.7
    if b[0].isupper():
        return " ", "line-join", "line end between words", 0.95
    bj, bp = book.words[joined], book.pairs[(a.lower(), b.lower())]
    ka, kb, kj = known(a, book), known(b, book), known(joined, book)
    if not kj and not (ka or kb):
        # measured: joined, such halves made the true word 1 time in 27 (training pages),
        # and broke words; apart, they stay as the scan read them
        return " ", "line-join", f"neither '{a}', '{b}' nor '{a + b}' is a word: left apart", 0.6
    if kj and not (ka and kb):
        return "", "word-join", f"'{a + b}' is a word and '{a}'/'{b}' are not both words", 0.9
    if joined in book.user:  # (both halves words too: the user's word is the reading)
        return "", "word-join", f"'{a + b}' is in a user dictionary", 0.9
    if hyphenating and not (bj and not bp):
        return " ", "line-join", "this printer hyphenates broken words: an unhyphenated line end is a space", 0.9
    if kj or bj:
        # both halves are words: weigh one word against two with a bigram
        # language model over the neighbours, plus the book's own usage
        odds = join_log_odds(bare(prev), a, b, bare(nxt))
        odds += cfg["book_evidence_weight"] * math.log10((bj + 1) / (bp + 1))
        if odds > cfg["join_log_odds"]:
            conf = 0.95 if odds > 3 else 0.85 if odds > 2 else 0.6
            return "", "word-join", f"'{a + b}' is likelier than '{a} {b}' here (log10-odds {odds:.1f})", conf
        return " ", "line-join", f"'{a} {b}' is likelier than '{a + b}' here (log10-odds {odds:.1f})", 0.9
    return " ", "line-join", "line end between words", 0.9


def _one_paragraph_a_line(lines: list[Line], content: list[int], measure: int, cfg: dict) -> bool:
    """Is the text set one paragraph a line, blank lines between (a cleaned text)?
    No two of its lines touch, and they are not the lines of a page set with a
    blank line after each (the OCR of some scans): those keep to the measure."""
    if len(content) < 2 or any(j == i + 1 for i, j in zip(content, content[1:])):
        return False
    if len(content) < cfg["spaced_lines_min"]:
        return True
    lo, hi = cfg["spaced_lines_band"]
    at_measure = sum(1 for i in content if lo * measure <= len(lines[i].body) <= hi * measure)
    return at_measure < cfg["spaced_lines_share"] * len(content)


def _blank_lines_part_pages(lines: list[Line], content: list[int], cfg: dict) -> bool:
    """Google's OCR sets no blank line between paragraphs, only between pages: most
    of its blank lines then fall inside a sentence (a page ends mid-sentence more
    often than not), where between paragraphs none does. Blocks must also be
    page-long: several lines each."""
    gaps = [(i, j) for i, j in zip(content, content[1:]) if j - i > 1]
    if not gaps:
        return True  # one block: no blank line shows a paragraph either
    if len(gaps) < cfg["page_style_min_gaps"]:
        return False
    inside = sum(1 for i, j in gaps if not ends_sentence(lines[i].body) or lines[j].body[:1].islower())
    block_lines = len(content) / (len(gaps) + 1)
    return (inside >= cfg["page_style_mid_sentence_share"] * len(gaps)
            and block_lines >= cfg["page_style_min_block_lines"])


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(pos, raw))
        pos += len(raw) + 1
    content = [i for i, l in enumerate(lines) if l.body]
    if not content:  # nothing but blank lines: no paragraph, so no line end either
        return [Proposal(0, len(text), "", "blank-text", "a text of blank lines holds no paragraph", 1.0)] if text else []
    measure = _measure([lines[i] for i in content])
    book = book_vocabulary(text, ctx)
    # A printer who marks broken words with a hyphen leaves none at a plain line end.
    ends = [lines[i].body for i in content]
    hyphen_rate = sum(1 for e in ends if len(e) > 1 and e[-1] == "-" and e[-2].isalpha()) / len(ends)
    hyphenating = hyphen_rate >= cfg["hyphenating_printer_rate"]
    # footnote markers belong to the notes table; the decision needs them too
    signals_cfg = {**cfg, "footnote_markers": ctx.profile["notes"]["footnote_markers"]}
    out: list[Proposal] = []
    first = lines[content[0]]
    lead = len(first.text) - len(first.text.lstrip())
    if first.start + lead > 0:
        out.append(Proposal(0, first.start + lead, "", "leading-space", "blank space before the text", 1.0))
    page_breaks = _blank_lines_part_pages(lines, content, cfg)
    paragraphed = _one_paragraph_a_line(lines, content, measure, cfg)
    closing, closing_opens = _letter_endings(lines, content)
    opens = True  # the line before the boundary opens a paragraph
    in_note = footnote_marker(first.body, signals_cfg["footnote_markers"]) is not None  # ...a footnote
    wide = measure > cfg["max_measure"]
    for i, j in zip(content, content[1:]):
        a, b = lines[i], lines[j]
        a_end = a.start + len(a.text.rstrip())
        b_start = b.start + len(b.text) - len(b.text.lstrip())
        rule_over = None
        if wide:
            kind, why, conf = "break", "lines far wider than a printed page are paragraphs already", 0.95
        elif i in closing:
            kind, why, conf = "join", "a letter's closing and its signature are one paragraph", 0.9
            rule_over = "letter-signature"
        elif j in closing_opens:
            kind, why, conf = "break", "a letter's closing stands apart from the letter", 0.9
            rule_over = "letter-closing"
        elif in_note and j - i > 1:
            kind, why, conf = "break", "a footnote ends at its page's foot", 0.9
        else:
            kind, why, conf = decide(a, b, j - i - 1, measure, signals_cfg, opens, page_breaks, paragraphed)
        opens = kind == "break"
        if opens:
            in_note = footnote_marker(b.body, signals_cfg["footnote_markers"]) is not None
        if kind == "break":
            out.append(Proposal(a_end, b_start, "\n\n", rule_over or "paragraph-break", why, conf))
            continue
        if rule_over:
            if closing[i] > 0:  # the closing ends the letter's last line: it opens a paragraph
                cut = a.start + len(a.text) - len(a.text.lstrip()) + closing[i]
                out.append(Proposal(cut - 1, cut, "\n\n", "letter-closing", "a letter's closing stands apart", conf))
            out.append(Proposal(a_end, b_start, " ", rule_over, why, conf))
            continue
        a_words, b_words = a.body.rsplit(None, 2), b.body.split(None, 2)  # the words next to the boundary
        left, right = a_words[-1], b_words[0]
        prev = a_words[-2] if len(a_words) > 1 else None
        nxt = b_words[1] if len(b_words) > 1 else None
        sep, rule, how, wconf = join_words(left, right, book, cfg, prev, nxt, hyphenating)
        rule = "page-break-join" if (j - i > 1 and rule == "line-join") else rule
        reason = f"{why}; {how}" if rule != "line-join" else why
        start = a_end - 1 if (left.endswith("-") and sep == "") else a_end
        if sep == "-":
            sep = ""
        if left.endswith("—") or right.startswith("—"):
            sep, rule, reason = "", "dash-join", f"{why}; dashes are printed closed up"
        out.append(Proposal(start, b_start, sep, rule, reason, min(conf, wconf)))
    last = lines[content[-1]]
    end = last.start + len(last.text.rstrip())
    if text[end:] != "\n":
        out.append(Proposal(end, len(text), "\n", "final-newline", "the text ends with one line end", 1.0))
    return out
