"""Page debris: page numbers, printer's signature marks, running heads, stray
marks opening or closing a line, and letter-spaced headings.

Each rule looks at whole lines, because debris is a property of the printed
page's layout, not of the words. A plain text shows its pages only through its
blank lines: page furniture stands at a page's top or foot, so beside a blank
line (or the text's start or end), and it recurs from page to page, a page's
length apart: page numbers count up, running heads repeat (in the OCR's varying
readings of them)."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from ..document import Proposal
from ..vocab import ONE_LETTER_WORDS
from .signals import ends_sentence

# sheet-job page: `3—398 33` (a printer's signature mark at a sheet's first page)
_SIGNATURE = re.compile(r"^\s*+\d{1,3}\s*+[—–-]\s*+\d{2,5}\s++\d{1,4}\s*+\*?\s*+$")  # possessive: no backtracking over space runs
_PAGE_NUMBER = re.compile(r"^\s*+[-—–]?\s*+(?:\d{1,4}|[ivxlcdm]{1,7})\s*+[-—–]?\s*+$", re.IGNORECASE)
# a sheet's signature number at a page foot: `6`, or `6*` for the sheet's second mark
_SHEET = re.compile(r"^\s*+\d{1,3}\s?\*?\s*+$")
_SPACED = re.compile(r"^(\s*)((?:[A-Z]\s){3,}[A-Z])(\s*)$")
# a token of a page number as OCR reads it at a head's end: digits, or letters
# that look like them (`2 IO`, `2II`, `S7`), or a signature mark (`6*`)
_NUMERAL_TOKEN = re.compile(r"^[-—–.,]*[\dIlOoSQ%*]{1,4}[-—–.,]*$")
# an upright stroke (`I`, `l`, `|`) alone on a line, maybe with a dash: a speck
_STROKE = re.compile(r"^\s*[Iil|][-—–.\s]*$")
_DIGIT = re.compile(r"\d")
# what is left of a garbled page number: a short number (not a year), or a mark (`f>`, `^2`); a
# clean line with a head's words is the chapter or book title the head repeats
_GARBLED = re.compile(r"(?<![\d-])\d{1,3}(?![\d-])|[^\sA-Za-z0-9'\"“”‘’.,;:!?()—–-]")
_LOOKALIKE = str.maketrans("IlOoSQ", "110059")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _lines(text: str):
    """(start offset, line without its newline) for every line."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _blank(line: str | None) -> bool:
    return line is None or not line.strip()


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    lines = list(_lines(text))
    out: list[Proposal] = []
    heads = _running_heads(lines, cfg)
    numbers = _page_numbers(lines, heads, cfg)
    marks = cfg["stray_marks"]
    notes_markers = ctx.profile["notes"]["footnote_markers"]
    lead = re.compile(r"^(\s*)(?:[" + re.escape(marks) + r"]+|t\.)\s+(?=[“‘\"'(A-Za-z])") if marks else None
    lone = re.compile(r"^\s*[" + re.escape(marks) + r"a-z]{1,2}\s*$") if marks else None
    for i, (pos, line) in enumerate(lines):
        prev = lines[i - 1][1] if i else None
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None
        whole = (pos, pos + len(line) + (1 if i + 1 < len(lines) else 0))
        if _SIGNATURE.match(line):
            out.append(Proposal(*whole, "", "signature-mark", "printer's signature mark (sheet—job page)", 0.95))
        elif _STROKE.match(line) and _blank(prev) != _blank(nxt) and numbers.get(i, ("",))[0] != "page-number":
            out.append(Proposal(*whole, "", "stray-line", "a lone stroke at a text block's edge is a speck", 0.8))
        elif i in numbers:
            rule, why, conf = numbers[i]
            # (an unconfirmed one, at 0.6, is below its rule's auto_apply: only proposed)
            out.append(Proposal(*whole, "", rule, why, conf))
        elif i in heads:
            rule, why, conf = heads[i]
            out.append(Proposal(*whole, "", rule, why, conf))
        elif _plate_caption(lines, i, heads, numbers):
            out.append(Proposal(*whole, "", "plate-caption", "a quoted line alone between blank lines, "
                                "inside a sentence the text runs on past it: a plate's caption", 0.8))
        elif lone and lone.match(line) and line.strip() and _blank(prev) != _blank(nxt) and not line.strip().isalpha():
            out.append(Proposal(*whole, "", "stray-line", "a speck read as a mark, alone on a line", 0.8))
        elif lone and line.strip() and len(line.strip()) == 1 and line.strip().islower() and _blank(nxt) and not _blank(prev) and prev.strip().isupper():
            out.append(Proposal(*whole, "", "lone-letter-line", "a lone letter under a heading is a speck", 0.7))
        elif (len(s := line.strip()) == 1 and s.islower() and s not in ONE_LETTER_WORDS
              and _blank(prev) and _blank(nxt)):
            # (a text wrapped to a page's measure leaves no one-letter line, least of all a non-word)
            out.append(Proposal(*whole, "", "lone-letter-line",
                                f"a lone ‘{s}’ between blank lines is no word: a speck", 0.8))
        elif m := _SPACED.match(line):
            letters = m.group(2).replace(" ", "")
            if len(letters) >= cfg["spaced_heading_min_letters"]:
                out.append(Proposal(pos + m.start(2), pos + m.end(2), letters, "letter-spaced-heading",
                                    "letters spaced out for a heading are one word", 0.95))
        elif (words := _letter_spaced(line, cfg)) is not None:
            body = line.strip()
            start = pos + line.index(body)
            out.append(Proposal(start, start + len(body), words, "letter-spaced-words",
                                "a heading's spaced letters read back as the words they spell", 0.9))
        elif lead and (m := lead.match(line)) and not line.lstrip().startswith("* * *") and not _footnote_start(line, notes_markers, _blank(nxt)):
            out.append(Proposal(pos + m.start() + len(m.group(1)), pos + m.end(), "", "stray-mark-line-start",
                                f"{m.group().strip()!r} opening a line is a speck, not text", 0.85))
    return out


_ROMAN_NUMERAL = re.compile(r"^(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")


_CAPS_TOKEN = re.compile(r"[A-Z]+[.,;:]?")
_CAPS_RUN = re.compile(r"([A-Z]+)([.,;:]?)")


def _letter_spaced(line: str, cfg: dict) -> str | None:
    """`L ETT E R V III.` → `LETTER VIII.`: a line of capitals most of them
    standing alone, where OCR lost which gaps part words; the letters are read
    back into the fewest words the lexicon knows (roman numerals too)."""
    toks = line.split()
    if len(toks) < cfg["spaced_heading_min_letters"] or not all(_CAPS_TOKEN.fullmatch(t) for t in toks):
        return None
    if sum(len(t.rstrip(".,;:")) == 1 for t in toks) < cfg["spaced_letters_share"] * len(toks):
        return None
    from ..vocab import known  # the lexicon loads on first use only
    out = []
    for run, mark in _CAPS_RUN.findall("".join(toks)):
        words = _segment(run, known)
        if words is None:
            return None
        out.append(" ".join(words) + mark)
    joined = " ".join(out)
    return joined if joined != line.strip() else None


def _segment(run: str, known) -> list[str] | None:
    """The fewest known words (or a roman numeral) that spell `run`."""
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 20), end):
            w = run[start:end]
            if best[start] is None or not (len(w) > 1 or w in "AI") or not (
                    known(w) or _ROMAN_NUMERAL.match(w)):
                continue
            if best[end] is None or len(best[start]) + 1 < len(best[end]):
                best[end] = best[start] + [w]
    return best[len(run)]


def _plate_caption(lines, i: int, heads, numbers) -> bool:
    """A plate bound in mid-sentence: its caption, a line wholly in quotes alone
    between blank lines, sits where the text before it breaks off unfinished and
    the text after it (past page furniture) goes on in lower case."""
    s = lines[i][1].strip()
    if len(s) < 8 or s[0] not in "\"“" or s[-1] not in "\"”":
        return False
    if not (_blank(lines[i - 1][1] if i else None) and _blank(lines[i + 1][1] if i + 1 < len(lines) else None)):
        return False
    before = next((lines[k][1].strip() for k in range(i - 1, -1, -1) if lines[k][1].strip()), "")
    after = next((lines[k][1].strip() for k in range(i + 1, len(lines))
                  if lines[k][1].strip() and k not in heads and k not in numbers), "")
    return bool(before) and not ends_sentence(before) and not before.endswith("-") and after[:1].islower()


def _footnote_start(line: str, markers: str, at_foot: bool = False) -> bool:
    """`* See …` and `♦See …` open a footnote: the notes stage owns those; so
    does a marker and a capitalised word on the last line of a block, where a
    page's foot is (`* Tommaso Costa.`)."""
    s = line.lstrip()
    if not s or s[0] not in markers:
        return False
    # (at a foot, a whole note: ending its sentence, as a paragraph cut by the page
    # break, `* Clara Zetkin was elected … as she`, does not)
    return bool(re.match(r".\s*(?:See|Cf\.|Ibid|[A-Z][a-z]+ [a-z])", s) or (
        at_foot and re.match(r".\s*[A-Z][a-z]+\b", s) and ends_sentence(s.rstrip())))


def _at_edge(lines, i: int) -> bool:
    """Beside a blank line or the text's start or end: where a page's top or foot can be."""
    return _blank(lines[i - 1][1] if i else None) or _blank(lines[i + 1][1] if i + 1 < len(lines) else None)


def _key(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower())


def _split_numeral(s: str) -> tuple[str, str] | None:
    """A head line's words and its page number, which stands at either end
    (`A G R A N D F A T H E R . 47`, `48 L E T T E R S OF`, `J. J. ROUSSEAU 2 I 3`),
    or None when neither end holds a numeral with a digit in it."""
    toks = s.split()
    if len(toks) < 2:
        return None
    for order in (toks, toks[::-1]):
        if not _NUMERAL_TOKEN.match(order[0]):
            continue
        k = 0
        while k < len(order) - 1 and _NUMERAL_TOKEN.match(order[k]) and len(order[k]) <= 4:
            k += 1
        if k and any(_DIGIT.search(t) for t in order[:k]):
            rest = order[k:] if order is toks else order[k:][::-1]
            num = "".join(order[:k] if order is toks else order[:k][::-1])
            return " ".join(rest), num
    return None


def _running_heads(lines, cfg) -> dict[int, tuple[str, str, float]]:
    """Lines at a page's top or foot whose words recur there, at least N times
    and each time a page or more apart. Two kinds:
    - with a page number at one end, matched fuzzily (the OCR reads a head
      differently on each page: `The Duchefs of Trajetto.`, `A G. r. A N D`);
    - without one, matched exactly, and never a sentence (no final stop)."""
    max_words = cfg["running_head_max_words"]
    max_chars = cfg["running_head_max_chars"]
    need = cfg["running_head_min_repeats"]
    gap = cfg["running_head_min_gap"]
    similar = cfg["running_head_similarity"]
    exact: dict[str, list[int]] = {}
    numbered: list[tuple[int, str]] = []
    plain: list[tuple[int, str]] = []  # unnumbered edge lines: variants of a numbered head?
    for i, (_, line) in enumerate(lines):
        s = line.strip()
        if not s or len(s) > max_chars or s == "* * *" or not _at_edge(lines, i):
            continue
        split = _split_numeral(s)
        if split and len(k := _key(split[0])) >= cfg["running_head_min_letters"]:
            numbered.append((i, k))
            continue
        k = _key(s)
        if len(s.split()) <= max_words and len(k) >= cfg["running_head_min_letters"] and _GARBLED.search(s):
            plain.append((i, k))
        if len(s.split()) > max_words or s.endswith((".", ",", ";", ":", "?", "!", "”", "’", '"')):
            continue
        if len(k) >= 4:
            exact.setdefault(k, []).append(i)
    out: dict[int, tuple[str, str, float]] = {}
    for v in exact.values():
        # a running head recurs a page apart, not in consecutive lines
        if len(v) >= need and all(b - a >= gap for a, b in zip(v, v[1:])):
            out.update({i: ("running-head", f"recurs {len(v)} times at page breaks", 0.9) for i in v})
    if len(numbered) >= need:
        keys = [k for _, k in numbered]
        for a, (i, k) in enumerate(numbered):
            hits = process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=similar, limit=None)
            like = [numbered[b][0] for _, _, b in hits if abs(numbered[b][0] - i) >= gap or b == a]
            if len(like) >= need:
                out[i] = ("numbered-running-head",
                          f"a page number and words read alike at {len(like)} page edges", 0.95)
        # the same head where the OCR lost or garbled its number (`" Unc Edinbitrg f>`)
        confirmed = [k for i, k in numbered if i in out]
        for i, k in plain:
            if i in out or len(confirmed) < need:
                continue
            hits = process.extract(k, confirmed, scorer=fuzz.ratio, score_cutoff=similar, limit=need)
            if len(hits) >= need:
                out[i] = ("running-head-variant", "reads like a running head found at other page edges", 0.9)
    return out


def _value(token: str) -> int | None:
    """The number a page-number line holds: arabic, or roman (front matter)."""
    t = token.strip(" -—–.")
    if t.isdigit():
        return int(t)
    # front matter prints roman page numbers in lower case; `XII` alone is a chapter
    if t and t.islower() and all(c in _ROMAN for c in t):
        vals = [_ROMAN[c] for c in t]
        n = sum(-v if k + 1 < len(vals) and v < vals[k + 1] else v for k, v in enumerate(vals))
        return n if n > 0 else None
    return None


def _completes(prev: str | None, cfg: dict) -> bool:
    """Does a number on the next line finish this line (`p.` / `108`, `March` / `12`)?"""
    if prev is None:
        return False
    words = prev.rstrip().rsplit(None, 1)
    return bool(words) and words[-1].lower().rstrip(",") in cfg["number_takers"]


def _sheet_fits(k: int, sheets, pages, cfg) -> bool:
    """A printer's sheet number: another such number one sheet on (or the same
    sheet's second mark), several pages' lines away, and page numbers nearby
    several times larger."""
    i, v = sheets[k]
    ratio = cfg["sheet_page_ratio"]
    near_pages = [p for j, p in pages if abs(j - i) <= cfg["page_lines"][1] * 2]
    if not near_pages or v < 1 or min(near_pages) < ratio * v:
        return False
    apart = cfg["sheet_min_pages"] * cfg["page_lines"][0]
    return any(0 <= (w - v) * (1 if j > i else -1) <= 1 and abs(j - i) >= apart
               for j, w in sheets[max(0, k - 2): k] + sheets[k + 1: k + 3])


def _title_like(words: str, cfg: dict) -> bool:
    """A head's words are few and set as a title: every longer word capitalised
    (`FROM OVER THE SEA.`, `Rest and Peace.`), unlike a notes entry's sentence
    that also opens with a number (`8 The Communist Labour Party of Germany—an …`)."""
    toks = words.split()
    return 0 < len(toks) <= cfg["running_head_max_words"] and all(
        t[:1].isupper() for t in re.findall(r"[A-Za-z]{4,}", words))


def _page_numbers(lines, heads, cfg) -> dict[int, tuple[str, str, float]]:
    """Lines holding only a number, at a page edge, confirmed by the book's page
    sequence: another page number (alone or in a head) one to a few pages on,
    that many pages' lines away, counting the same way. A number that finishes
    the line before it is text. Unconfirmed ones are only proposed."""
    per_page = cfg["page_lines"]
    reach = cfg["page_sequence_reach"]
    found: list[tuple[int, int]] = []  # (line, value) of every numbered page edge
    bare: list[int] = []
    sheets: list[tuple[int, int]] = []
    max_chars = cfg["running_head_max_chars"]
    for i, (_, line) in enumerate(lines):
        if not line.strip() or len(line) > max_chars or not _at_edge(lines, i):
            continue
        if "*" in line and _SHEET.match(line):
            sheets.append((i, int(line.strip(" *"))))
        elif _PAGE_NUMBER.match(line):
            v = _value(line)
            if v is not None:
                found.append((i, v))
                bare.append(i)
        elif (split := _split_numeral(line.strip())) and _title_like(split[0], cfg):
            v = _value(split[1].translate(_LOOKALIKE))
            if v is not None:
                found.append((i, v))
    out: dict[int, tuple[str, str, float]] = {}
    for k, (i, v) in enumerate(found):
        if i in heads:
            continue
        prev = lines[i - 1][1] if i else None
        if _completes(prev, cfg):
            continue
        near = found[max(0, k - reach): k] + found[k + 1: k + 1 + reach]
        fits = any(0 < (w - v) * (j - i) and 1 <= abs(w - v) <= reach
                   and per_page[0] * abs(w - v) <= abs(j - i) <= per_page[1] * abs(w - v) for j, w in near)
        if fits and i in bare:
            out[i] = ("page-number", "a number alone at a page edge, in the book's page sequence", 0.95)
        elif fits:
            out[i] = ("page-sequence-head", "a head line whose page number fits the book's page sequence", 0.9)
        elif i in bare:
            out[i] = ("page-number-unconfirmed",
                      "a number alone at a page edge that no neighbouring page number confirms", 0.6)
            if _SHEET.match(lines[i][1]):
                sheets.append((i, v))
    pages = [(i, v) for i, v in found if i in heads or out.get(i, ("",))[0] in ("page-number", "page-sequence-head")]
    sheets.sort()
    for k, (i, v) in enumerate(sheets):
        if _sheet_fits(k, sheets, pages, cfg):
            out[i] = ("signature-number", "a sheet's number at a page foot: counts up by sheets, "
                      "far below the page numbers around it", 0.9)
    return out
