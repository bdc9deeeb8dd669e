"""The text's words as the word stage's passes have repaired them so far.

A repair is judged in its context: the neighbours as already repaired (`iand the`
judged after `tlie` became `the`), and a word one pass repaired is left alone by
the later ones. The passes run in order (cleanup/stages/words.py `PASSES`), each
reading and recording here."""
from __future__ import annotations

from .tokens import Word


class Reading:
    """Word index -> its repaired lower-case form, for the words repaired so far."""

    __slots__ = ("_ws", "_linked", "_forms")

    def __init__(self, ws: list[Word], linked: list[bool]):
        self._ws = ws
        self._linked = linked  # whether each word reads on from the one before (marks.links)
        self._forms: dict[int, str] = {}

    def word(self, i: int) -> str:
        """Word `i` in lower case, as repaired if a pass has repaired it."""
        return self._forms.get(i, self._ws[i].lower)

    def repaired(self, i: int) -> bool:
        return i in self._forms

    def record(self, i: int, form: str) -> None:
        """Word `i` repaired to `form` (lower case): later passes read it so and leave it."""
        self._forms[i] = form

    def neighbours(self, i: int) -> tuple[str | None, str | None]:
        """The words either side of word `i` it is read with (None where its context
        stops: a line end, a mark between), as repaired so far."""
        prev = nxt = None
        if i > 0 and self._linked[i]:
            prev = self.word(i - 1)
        if i + 1 < len(self._ws) and self._linked[i + 1]:
            nxt = self.word(i + 1)
        return prev, nxt
