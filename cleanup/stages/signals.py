"""Layout signals shared by the paragraphs and notes stages."""
from __future__ import annotations

import re
from functools import lru_cache

# a sentence ends: final punctuation, maybe closed by quotes or brackets
SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$|[\"”’][.!?]?$")
_CAN_END = ".!?:;\"”’')]"  # every character SENTENCE_END's match can end with


def ends_sentence(line: str) -> bool:
    """SENTENCE_END.search(line), asked of every line. `search` tries a match at
    each position of the line, so first settle the lines whose last character
    (before a final newline, where `$` also matches) no match can end with."""
    tail = line[-2:-1] if line.endswith("\n") else line[-1:]
    return tail in _CAN_END and SENTENCE_END.search(line) is not None


def footnote_marker(paragraph: str, markers: str) -> re.Match | None:
    """`♦See V. I. Lenin, …—Ed.` or `* See …`: a marker, then a capitalised note."""
    if not markers or paragraph.startswith("* * *"):
        return None
    return _marker_pattern(markers)(paragraph)


@lru_cache(maxsize=16)
def _marker_pattern(markers: str):
    return re.compile(r"([" + re.escape(markers) + r"])\s*(?=[A-Z])").match
