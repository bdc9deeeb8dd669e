"""Spacing inside paragraphs: runs of spaces become one."""
from __future__ import annotations

import re

from ..document import Proposal

# two or more spaces between non-spaces; the pattern opens with the literal space
# (the lookbehind then checks the character before it) so the regex engine skips
# from space to space instead of trying the lookbehind at every character
_RUN = re.compile(r" (?<=\S )[ ]+(?=\S)")


def propose(text: str, cfg: dict, ctx) -> list[Proposal]:
    if not cfg["collapse_spaces"]:
        return []
    return [Proposal(m.start(), m.end(), " ", "space-run", "several spaces between words are one", 1.0)
            for m in _RUN.finditer(text)]
