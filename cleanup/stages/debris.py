"""Page debris: page numbers, printer's signature marks, running heads, stray
marks opening or closing a line, and letter-spaced headings.

Each rule looks at whole lines, because debris is a property of the printed
page's layout, not of the words."""
from __future__ import annotations

import re

from ..document import Proposal

# sheet-job page: `3—398 33` (a printer's signature mark at a sheet's first page)
_SIGNATURE = re.compile(r"^\s*+\d{1,3}\s*+[—–-]\s*+\d{2,5}\s++\d{1,4}\s*+\*?\s*+$")  # possessive: no backtracking over space runs
_PAGE_NUMBER = re.compile(r"^\s*+[-—–]?\s*+(?:\d{1,4}|[ivxlcdm]{1,7})\s*+[-—–]?\s*+$", re.IGNORECASE)
_SPACED = re.compile(r"^(\s*)((?:[A-Z]\s){3,}[A-Z])(\s*)$")


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
        elif _PAGE_NUMBER.match(line) and (_blank(prev) or _blank(nxt)):
            out.append(Proposal(*whole, "", "page-number", "a number alone on a line beside a page break", 0.9))
        elif i in heads:
            out.append(Proposal(*whole, "", "running-head", f"recurs {heads[i]} times at page breaks", 0.9))
        elif lone and lone.match(line) and line.strip() and _blank(prev) != _blank(nxt) and not line.strip().isalpha():
            out.append(Proposal(*whole, "", "stray-line", "a speck read as a mark, alone on a line", 0.8))
        elif lone and line.strip() and len(line.strip()) == 1 and line.strip().islower() and _blank(nxt) and not _blank(prev) and prev.strip().isupper():
            out.append(Proposal(*whole, "", "lone-letter-line", "a lone letter under a heading is a speck", 0.7))
        elif m := _SPACED.match(line):
            letters = m.group(2).replace(" ", "")
            if len(letters) >= cfg["spaced_heading_min_letters"]:
                out.append(Proposal(pos + m.start(2), pos + m.end(2), letters, "letter-spaced-heading",
                                    "letters spaced out for a heading are one word", 0.95))
        elif lead and (m := lead.match(line)) and not line.lstrip().startswith("* * *") and not _footnote_start(line, notes_markers):
            out.append(Proposal(pos + m.start() + len(m.group(1)), pos + m.end(), "", "stray-mark-line-start",
                                f"{m.group().strip()!r} opening a line is a speck, not text", 0.85))
    return out


def _footnote_start(line: str, markers: str) -> bool:
    """`* See …` and `♦See …` open a footnote: the notes stage owns those (and its
    table, [notes] footnote_markers, says what marks one)."""
    s = line.lstrip()
    return bool(s) and s[0] in markers and bool(re.match(r".\s*(?:See|Cf\.|Ibid|[A-Z][a-z]+ [a-z])", s))


def _running_heads(lines, cfg) -> dict[int, int]:
    """Lines whose letters recur at least N times, each time beside a blank line
    and at least a page apart, short, and not a sentence: a running head or foot."""
    def key(s: str) -> str:
        return re.sub(r"[^a-z]", "", s.lower())

    max_words = cfg["running_head_max_words"]
    cands: dict[str, list[int]] = {}
    for i, (_, line) in enumerate(lines):
        s = line.strip()
        if not s or len(s.split()) > max_words or s.endswith((".", ",", ";", ":", "?", "!", "”", "’", '"')) or s == "* * *":
            continue
        prev = lines[i - 1][1] if i else None
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None
        if _blank(prev) or _blank(nxt):
            k = key(s)
            if len(k) >= 4:
                cands.setdefault(k, []).append(i)
    need = cfg["running_head_min_repeats"]
    gap = cfg["running_head_min_gap"]
    out: dict[int, int] = {}
    for v in cands.values():
        # a running head recurs a page apart, not in consecutive lines
        if len(v) >= need and all(b - a >= gap for a, b in zip(v, v[1:])):
            out.update({i: len(v) for i in v})
    return out
