"""Line ends and control characters: CRLF and lone CR become LF, a form feed
(a page break in some exports) a blank line, tabs a space, NULs and other
control characters nothing. Line-end hyphen marks other than `-` (`¬` of some
OCR engines, a soft hyphen, the `=` of Fraktur-era print) become `-`, so the
paragraphs stage joins the word as it joins any hyphenated one; a `¬` or soft
hyphen between letters inside a line (`prepara¬ tions`, lines the OCR merged)
joins the word there."""
from __future__ import annotations

import re

from ..document import Proposal

_PATTERN = re.compile(r"\r\n|\r|\f|\t|[\x00-\x08\x0b\x0e-\x1f\x7f]")


# a hyphen mark after a letter at a line's end, before a line (maybe after blank ones)
# that starts with a lower-case letter
_END_MARK = re.compile(r"(?<=[^\W\d_])([¬\u00ad=])[ \t]*(?=\n[ \t\n]*[^\W\d_A-Z])")
# inside a line: letters, the mark, maybe a space, lower-case letters
_INNER_MARK = re.compile(r"(?<=[^\W\d_])(?:¬ ?|\u00ad)(?=[a-z])")


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    out = _hyphen_marks(text, cfg)
    tab = " " if cfg["tab_to_space"] else "\t"
    for m in _PATTERN.finditer(text):
        s = m.group()
        if s in ("\r\n", "\r"):
            out.append(Proposal(m.start(), m.end(), "\n", "line-end", "line ends are LF"))
        elif s == "\f":
            out.append(Proposal(m.start(), m.end(), "\n\n", "form-feed", "a form feed marks a page break"))
        elif s == "\t":
            if tab != "\t":
                out.append(Proposal(m.start(), m.end(), tab, "tab", "tabs are spacing, not content"))
        else:
            out.append(Proposal(m.start(), m.end(), "", "control-char", f"control character U+{ord(s):04X} is not text"))
    return out


def _hyphen_marks(text: str, cfg: dict) -> list[Proposal]:
    marks = cfg["hyphen_marks"]
    if not marks or not any(m in text for m in marks):
        return []
    out = []
    for m in _END_MARK.finditer(text):
        # `=` also sets formulas: only after three letters (`con=`), never `x=`
        if m.group(1) in marks and (m.group(1) != "=" or text[max(0, m.start() - 3): m.start()].isalpha()):
            out.append(Proposal(m.start(1), m.end(), "-", "hyphen-mark",
                                f"{m.group(1)!r} at a line end marks a word broken there, as '-' does", 0.95))
    for m in _INNER_MARK.finditer(text):
        if m.group()[0] in marks:
            out.append(Proposal(m.start(), m.end(), "", "hyphen-mark-inline",
                                f"{m.group()[0]!r} inside a line: a word broken at a line end the OCR merged", 0.9))
    return out
