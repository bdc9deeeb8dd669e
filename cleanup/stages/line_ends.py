"""Line ends and control characters: CRLF and lone CR become LF, a form feed
(a page break in some exports) a blank line, tabs a space, NULs and other
control characters nothing."""
from __future__ import annotations

import re

from ..document import Proposal

_PATTERN = re.compile(r"\r\n|\r|\f|\t|[\x00-\x08\x0b\x0e-\x1f\x7f]")


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    out = []
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
