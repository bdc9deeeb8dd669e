"""Book statistics: what the word stage knows of one book before it repairs (its
lexicon, counts of forms and word pairs, names, channel, context model, marks)."""
from __future__ import annotations

from collections import Counter

from .. import rules
from ..lexicon import AFFIX_LEN, Lexicon, affix_sets
from . import marks
from .candidates import Generator
from .channel import Channel
from .context import ContextModel
from .tokens import words


class BookStats:
    """What one run of the stage knows: lexicon, book counts, channel, context."""

    def __init__(self, text: str, cfg: dict, ctx):
        # the run's lexicon, which the layout stages ask too (a bare context: this [words])
        self.lex = lex = ctx.lexicon() if hasattr(ctx, "lexicon") else Lexicon.load(cfg)
        self.cfg = cfg
        self.propose_min = float(ctx.profile["pipeline"]["propose_min"])  # (a dropped repair leaves no context)
        # a non-word's general scanno only where the training pages alone would apply it
        self.common_scanno_auto = rules.auto_apply(ctx.profile, "common-scanno")
        self.ws = ws = words(text)
        alpha = [w.core.isalpha() for w in ws]  # (lists, not generators, for Counter's C loop)
        self.forms = Counter([w.core for w in ws])
        self.lower_counts = Counter([w.lower for w, a in zip(ws, alpha) if a])
        self.n = len(ws)
        bigrams = Counter([(a.lower, b.lower) for a, b, fa, fb in zip(ws, ws[1:], alpha, alpha[1:])
                           if fa and fb and b.joined_left])
        # Names the book itself uses: capitalised forms recurring mid-sentence.
        min_names = int(cfg["book_name_min_count"])
        caps = Counter([w.core for w, a in zip(ws, alpha) if a and not w.initial and w.core[0].isupper()])
        self.book_names = {f.lower() for f, c in caps.items() if c >= min_names}
        self.ctxm = ContextModel(lex, self.lower_counts, bigrams, self.n,
                                 oov_zipf=float(cfg["oov_zipf"]))
        self.ch = Channel(cfg)
        straight, curly = text.count("'"), sum(text.count(q) for q in "‘’")
        # A book set with curly quotes: a straight one is a misread speck.
        self.quote_noise = curly >= float(cfg["curly_dominance"]) * max(straight, 1)
        self.curly = curly > 0
        self.has_footnotes = "[*]" in text  # (the notes stage marks every footnote it found so)
        self.gap_marks = set(cfg["word_gap_marks"])
        self.text = text
        self.punct_stats = marks.PunctStats(self.ws)
        self.linked = marks.links(self.ws, cfg, self.quote_noise)
        punct = cfg["inner_punctuation"]
        general, user, names = lex.general.zipf, lex.user_lower, self.book_names
        self.known = lambda lower: lower in general or lower in user  # lower-case forms
        pre, suf = affix_sets(user | names)  # and the general layer's, cached with it
        affixes = (pre | lex.general.prefixes, suf | lex.general.suffixes, AFFIX_LEN)
        self.token_candidates: dict[tuple, list] = {}  # (form, in a compound) -> its repairs (_repair_token)
        self.misread_common: dict | None = None
        self.own_spelling: dict[tuple, int] = {}  # operation class -> forms it spells (_own_spelling)
        self.old_spelling: list[str] = []  # the old spellings it prints (`haue`, `vnto`): foreign.old_spelling
        self.op_forms: dict[tuple, int] = {}  # operation -> how many forms it alone repairs (_learn)
        self.letter_forms: dict[str, set] = {}  # inserted letter -> the forms it is inserted in
        self.gen = Generator(self.ch, (general, user, names), affixes, punct)
        self.known_or_name = self.gen.known  # lower-case forms: a word, or one of the book's names

    def zipf(self, w: str) -> float:
        return self.lex.zipf(w) or (self.ctxm.lp(w.lower()) + 9 if w.lower() in self.book_names else 0.0)

    def letter_reading(self, left: str, right: str) -> tuple[float, str]:
        """The commonest word a letter between `left` and `right` makes, with its Zipf, or
        (0, ""): a mark in that place may be the letter misread (`Picture;que`:
        `picturesque`; `we.t`: `went`; `(he`: `the`)."""
        lower = (left + "\0" + right).lower()
        return max(((self.zipf(w), w) for w in (lower.replace("\0", x) for x in "abcdefghijklmnopqrstuvwxyz")
                    if self.known(w)), default=(0.0, ""))


def confidences(scores: list[float]) -> list[float]:
    """Scores (log10) as shares of one: each candidate's probability among them."""
    m = max(scores)
    ex = [10 ** (s - m) for s in scores]
    t = sum(ex)
    return [e / t for e in ex]
