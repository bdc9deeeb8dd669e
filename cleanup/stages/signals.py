"""Layout signals shared by the paragraphs and notes stages."""
from __future__ import annotations

import re
from functools import lru_cache

# a sentence ends: final punctuation, maybe closed by quotes or brackets
SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$|[\"”’][.!?]?$")


def footnote_marker(paragraph: str, markers: str) -> re.Match | None:
    """`♦See V. I. Lenin, …—Ed.` or `* See …`: a marker, then a capitalised note."""
    if not markers or paragraph.startswith("* * *"):
        return None
    return _marker_pattern(markers)(paragraph)


@lru_cache(maxsize=16)
def _marker_pattern(markers: str):
    return re.compile(r"([" + re.escape(markers) + r"])\s*(?=[A-Z])").match
