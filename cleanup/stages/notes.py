"""Notes: footnotes printed at the foot of a page become their own paragraph
right after the paragraph that holds their reference (`[*]`), and note numbers
glued to words become `[N]`.

Runs after the paragraphs stage, which leaves each footnote as a paragraph of
its own wherever the page put it."""
from __future__ import annotations

import re

from ..document import Proposal
from .paragraphs import book_vocabulary, join_words
from .signals import ends_sentence, footnote_marker

# Both open with what they match (the `*`, a digit) before looking behind it: the
# regex engine then fails fast at the book's other characters.
_GLUED_STAR = re.compile(r"\*(?<=[^\s*]\*)(?=[\s,.;:!?’”)\]]|$)")
_GLUED_NUMBER = re.compile(r"(?=\d)(?<=[A-Za-z.,;:!?’”'\"])(\d{1,3})(?=[\s,.;:!?’”)\]]|$)")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph's text, without the line ends around it (a
    note put after the last paragraph then goes before the final newline)."""
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            out.append((pos + lead, pos + len(chunk.rstrip("\n"))))
        pos += len(chunk) + 2
    return out


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    out = _references(text, cfg)
    taken = {p.start for p in out}
    out += [p for p in _footnotes(text, cfg, ctx) if p.start not in taken]
    return out


def _footnotes(text: str, cfg: dict, ctx) -> list[Proposal]:
    markers = cfg["footnote_markers"]
    paras = _paragraphs(text)
    out: list[Proposal] = []
    search_from = 0
    for k, (s, e) in enumerate(paras):
        m = footnote_marker(text[s:e], markers)
        if not m or e - s > cfg["max_footnote_chars"] or k == 0:
            continue
        note = "[*] " + text[s + m.end() : e]
        refs = list(_GLUED_STAR.finditer(text, search_from, s))
        search_from = e
        ref_at = refs[-1].start() if refs else None
        r = next((i for i, (ps, pe) in enumerate(paras) if ps <= ref_at <= pe), None) if refs else None
        if ref_at is not None:
            out.append(Proposal(ref_at, ref_at + 1, "[*]", "footnote-reference", "the asterisk the footnote refers to", 0.85))
        prev_s, prev_e = paras[k - 1]
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        split = nxt is not None and _continues(text[prev_s:prev_e], text[nxt[0] : nxt[1]])
        if split:
            left = text[prev_s:prev_e].split()[-1]
            right = text[nxt[0] : nxt[1]].split()[0]
            sep, _, how, _ = join_words(left, right, book_vocabulary(text, ctx), ctx.profile["paragraphs"])
            start = prev_e - 1 if left.endswith("-") and sep == "" else prev_e
            out.append(Proposal(start, nxt[0], sep if sep != "-" else "", "footnote-move",
                                f"a footnote split this paragraph at a page foot; {how}", 0.8))
            target = nxt[1] if r is None or r >= k - 1 else paras[r][1]
            out.append(Proposal(target, target, "\n\n" + note, "footnote-move",
                                "the footnote follows the paragraph that holds its reference", 0.8))
        elif r is not None and r < k - 1:
            out.append(Proposal(prev_e, e, "", "footnote-move", "moved to follow its reference's paragraph", 0.8))
            out.append(Proposal(paras[r][1], paras[r][1], "\n\n" + note, "footnote-move",
                                "the footnote follows the paragraph that holds its reference", 0.8))
        else:
            out.append(Proposal(s, s + m.end(), "[*] ", "footnote-marker", "a footnote is marked [*]", 0.9))
    return out


def _continues(before: str, after: str) -> bool:
    """Do two paragraphs a footnote separated read as one (a page break mid-sentence)?"""
    first = after.lstrip()[:1]
    return first.islower() or not ends_sentence(before.rstrip())


def _references(text: str, cfg: dict) -> list[Proposal]:
    """Numbers glued to words that follow the note sequence 1, 2, 3 … through the
    book. A glued digit out of sequence is a misread letter or quote, left for
    word repair (`women.5` for `women.’`)."""
    limit = 10 ** cfg["max_reference_digits"]
    found, expected = [], 1
    for m in _GLUED_NUMBER.finditer(text):
        n = int(m.group(1))
        if n == expected and n < limit:
            found.append(m)
            expected += 1
    if len(found) < cfg["min_sequence"]:
        return []  # a lone `1` is as likely a misread `l` as a note
    return [Proposal(m.start(1), m.end(1), f"[{m.group(1)}]", "note-reference",
                     f"note {m.group(1)} in the book's note sequence", 0.85) for m in found]
