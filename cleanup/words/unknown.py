"""The proofreader's list (`BOOK.unknown.tsv`): the words of the cleaned text no
lexicon knows, with suggestions for each.

Made from the document and the lexicon alone, never from a stage's state: the
list of a document read back from its log is the list of the same document
cleaned anew. Suggestions are the words one OCR operation (a letter inserted, a
look-alike, a letter misread) from the listed one, priced by the general
channel, the likeliest first; the words of the text count too (its names:
`Zetkm` → `Zetkin`)."""
from __future__ import annotations

import math
from collections import Counter

from ..lexicon import AFFIX_LEN, Lexicon, affix_sets
from .candidates import Generator
from .channel import Channel
from .tokens import first_letter_core, letter_cores

SUGGESTIONS = 3


def unknown_words_tsv(doc, profile: dict | None = None, lexicon: Lexicon | None = None) -> str:
    """Every word of the cleaned text (`doc.text`) that no lexicon knows: count, first
    source line, and the likeliest suggestions. Tab-separated, most frequent first.
    `profile`: the one the document was cleaned with (default: its context's);
    `lexicon`: that profile's, if already loaded."""
    ctx = getattr(doc, "context", None)  # (the pipeline's: its profile, and the lexicon it loaded)
    if profile is None and ctx is not None:
        profile = ctx.profile
        lexicon = lexicon or ctx.lexicon()
    if profile is None:
        from .. import profile as profiles

        profile = profiles.load()
    cfg = profile["words"]
    lexicon = lexicon or Lexicon.load(cfg)
    text = doc.text
    cores = letter_cores(text)  # (the words' cores that are letters, without making Words: fast)
    every = Counter(cores)
    known, in_user = lexicon.known, lexicon.in_user
    counts = {core: n for core, n in every.items()
              if not (len(core) <= 2 or known(core.lower()) or in_user(core))}
    lines = _first_lines(doc, counts)
    suggest = _Suggester(cfg, lexicon, every, len(cores))
    rows = ["word\tcount\tfirst_line\tsuggestions"]
    for core, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower())):
        rows.append(f"{core}\t{n}\t{lines[core]}\t{', '.join(suggest(core))}")
    return "\n".join(rows) + "\n"


class _Suggester:
    """The words one cheap OCR operation or one misread letter from a form, known to
    the lexicon or printed as a name in the text, by frequency × channel."""

    def __init__(self, cfg: dict, lexicon: Lexicon, every: Counter, n_words: int):
        self.lex = lexicon
        # the text's names: capitalised forms it prints again and again
        min_names = int(cfg["book_name_min_count"])
        self.names = {f.lower(): n for f, n in every.items() if n >= min_names and f[:1].isupper() and f.isalpha()}
        self.n_words = max(n_words, 1)
        pre, suf = affix_sets(lexicon.user_lower | set(self.names))
        general = lexicon.general
        # (either set, unmerged: a copy of the general ones costs more than the searches)
        affixes = (_Either(pre, general.prefixes), _Either(suf, general.suffixes), AFFIX_LEN)
        self.gen = Generator(Channel(cfg), (lexicon.general.zipf, lexicon.user_lower, self.names), affixes,
                             cfg["inner_punctuation"])

    def zipf(self, word: str) -> float:
        """General English frequency, or a name's frequency in the text, on one scale."""
        z = self.lex.zipf(word)
        n = self.names.get(word.lower())
        return z or (math.log10(n / self.n_words) + 9 if n else 0.0)

    def __call__(self, core: str) -> list[str]:
        found = self.gen.candidates(core, depth=1, dear=True)
        cands = [k for k in found.values() if k.word.lower() != core.lower()]
        ranked = sorted(cands, key=lambda k: self.zipf(k.word) - k.cost, reverse=True)[:SUGGESTIONS]
        return [k.word for k in ranked]


class _Either:
    """Membership in either of two sets."""

    __slots__ = ("a", "b")

    def __init__(self, a: set, b: set):
        self.a, self.b = a, b

    def __contains__(self, x) -> bool:
        return x in self.a or x in self.b


def _first_lines(doc, counts: dict[str, int]) -> dict[str, int]:
    """Source line of each listed form's first occurrence in the cleaned text."""
    text = doc.text
    first = {core: first_letter_core(text, core) for core in counts}
    positions = sorted(set(first.values()))
    lines = {p: doc.line_of(src) for p, src in zip(positions, doc.source_offsets(positions))}
    return {k: lines.get(v, 0) for k, v in first.items()}
