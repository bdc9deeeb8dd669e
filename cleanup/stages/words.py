"""Word repair that never makes clean text worse.

1. Lexicon check: a word is known if general English, a user dictionary or (for
   names) the book's own recurring vocabulary knows it (cleanup/lexicon.py).
2. Learn the channel: every non-word with one clear candidate (an unambiguous
   repair) counts its operation; rates per opportunity replace the priors.
3. Non-words: candidates from OCR operations (cleanup/words/candidates.py),
   scored by frequency × context × channel against keeping the word as read.
4. Real words: changed only through operations this scan has shown it makes
   often (learned support), and only when the context strongly prefers it.

Every change is a Proposal with its rule, a reason, and a confidence; the pipeline
applies it when the confidence reaches its rule's threshold (cleanup/rules.py), and
where the evidence is weak the rule says so (`prior-only-repair`, `own-spelling`).
Protected: user-dictionary words, names (capitalised mid-sentence) unless the
evidence is strong, internal capitals, numbers and citations, bracketed text,
words with non-English letters, runs of unknown words (foreign phrases).
In a passage of another language (told by its function words, cleanup/words/
foreign.py) repairs are only proposed: its words are not misread English ones.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from ..document import Proposal
from ..lexicon import AFFIX_LEN, Lexicon, affix_sets
from ..words.candidates import Generator, sane_case
from ..words.channel import RULE_OF, Channel, general_channel, op_label
from ..words import foreign, learned, marks
from .. import rules
from ..words.context import ContextModel
from ..words.tokens import Word, words
from . import minimal

_APOS = "'’"
_CONTRACTION_TAILS = {"s", "t", "ll", "re", "ve", "d", "m"}
_SPACED_OPEN_QUOTE = re.compile(r"(?:(?<=\s)|^)“ (?=[A-Z])", re.M)
_LONE_OPEN_SINGLE = re.compile(r"(?<=[a-z,;] )‘ (?=[a-z])")
_CLOSING_SINGLE = re.compile(r"’(?![A-Za-z])")
# letters each followed by a period: an abbreviation (`a.m.`, `e.g.`, `U.S.A.`), not
# a word with specks in it (the core holds all but the last period, which must be there)
_INITIALS = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")
# a mark then a hyphen between letters: the period-dash of old print, not damage
_PERIOD_DASH = re.compile(r"(?<=[A-Za-z])[.,;:!?]-(?=[A-Za-z])")
_INNER_PUNCT = re.compile(r"(?<=[A-Za-z])[.,;:!?](?=[A-Za-z])")
# a whitespace- or dash-separated piece whose core (between its marks) is all letters,
# or letters with digits inside (`tact1essness`: a misreading no repair explained)
_ALPHA_PIECE = re.compile(r"(?:(?<=[\s—–])|^)[^\w\s—–]*([^\W\d_]+(?:\d+[^\W\d_]+)*)[^\w\s—–]*(?=[\s—–]|$)", re.M)


class _State:
    """What one run of the stage knows: lexicon, book counts, channel, context."""

    def __init__(self, text: str, cfg: dict, ctx):
        cache = getattr(ctx, "cache", None)
        if cache is None:
            cache = {}
        lex = cache.get("lexicon")
        if lex is None:
            lex = Lexicon.load(cfg)
            cache["lexicon"] = lex
        self.lex = lex
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
        self.gap_marks = set(cfg["word_gap_marks"])
        self.text = text
        self.punct_stats = marks.PunctStats(self.ws)
        self.linked = marks.links(self.ws, cfg, self.quote_noise)
        punct = cfg["inner_punctuation"]
        general, user, names = lex.general.zipf, lex.user_lower, self.book_names
        self.known = lambda lower: lower in general or lower in user  # lower-case forms
        pre, suf = affix_sets(user | names)  # and the general layer's, cached with it
        affixes = (pre | lex.general.prefixes, suf | lex.general.suffixes, AFFIX_LEN)
        self.nonwords: set[str] | None = None  # the forms no lexicon knows (see _nonword_forms)
        self.token_candidates: dict[tuple, list] = {}  # (form, in a compound) -> its repairs (_repair_token)
        self.misread_common: dict | None = None
        self.foreign: dict[int, str] = {}  # word index -> its passage of another language (propose)
        self.own_spelling: dict[tuple, int] = {}  # operation class -> forms it spells (_own_spelling)
        self.op_forms: dict[tuple, int] = {}  # operation -> how many forms it alone repairs (_learn)
        self.letter_forms: dict[str, set] = {}  # inserted letter -> the forms it is inserted in
        self.gen = Generator(self.ch, (general, user, names), affixes, punct)
        self.known_or_name = self.gen.known  # lower-case forms: a word, or one of the book's names

    def zipf(self, w: str) -> float:
        return self.lex.zipf(w) or (self.ctxm.lp(w.lower()) + 9 if w.lower() in self.book_names else 0.0)


def propose(text: str, cfg: dict, ctx) -> list:
    st = _State(text, cfg, ctx)
    _learn(st)
    out: list = []
    fixed: dict[int, str] = {}  # word index -> corrected lower form, for context
    protected = _protected(st)
    ws = st.ws
    st.foreign = foreign.passages(ws, st.lex.zipf, cfg)
    quotes = _closing_quotes(st, text, protected)
    out.extend(p for ps in quotes.values() for p in ps)
    scannos = learned.Scannos(cfg)  # from a learned profile (cleanup/words/learned.py)
    nonwords = _nonword_forms(st)
    # Without learned scannos only lone letters, non-words and the general table's
    # forms can change: the rest (most words: known) are skipped by form.
    every = bool(scannos)
    if cfg["general_channel"]:
        scannos.add_general(general_channel().get("scannos", []))
    general = scannos.general
    looked_at = [i for i, w in enumerate(ws) if every or len(w.core) == 1 or w.core in nonwords or w.lower in general]
    for i in looked_at:
        w = ws[i]
        if i in protected or i in quotes or i in fixed:
            continue  # (the second half of a word joined forward)
        ps = scannos.repair(st, i, w, fixed, _neighbours) if scannos else None
        if ps is None and len(w.core) == 1:
            ps = _repair_lone_letter(st, i, w, fixed)
        elif ps is None and w.core in nonwords:
            ps = _join_fragment(st, i, w, fixed, protected) or _repair_nonword(st, i, w, fixed)
        out.extend(_in_passage(st, i, ps or []))
    min_support = int(cfg["min_support"])
    pooled_min = int(cfg["letter_min_support"])
    # at a place where the scan inserts many letters, every letter it has inserted there
    places = [k for k, n in st.ch.counts.items() if n and st.ch.at_busy_place(k, pooled_min)]
    # supported(): shown by the scan or by a learned profile
    trigger = _trigger(st.ch.supported(min_support) + places)
    # the operations a real word may change through: shown often enough, or at a busy place
    ch = st.ch
    learned_ops = {k for k in set(ch.counts) | set(ch.shown)
                   if ch.support(k) >= min_support or ch.at_busy_place(k, pooled_min)}
    # the tests on the form alone, once per form (most forms fail them)
    triggered = {f for f in {f.lower() for f in st.forms} if trigger(f)} if trigger else set()
    # per form too: most triggered forms no learned misreading of a word could make
    misread = {f: options for f in st.forms
               if f.lower() in triggered and (options := _realword_options(st, f, learned_ops))}
    for i in [i for i, w in enumerate(ws) if w.core in misread]:
        if i not in protected and i not in fixed:
            out.extend(_in_passage(st, i, _repair_realword(st, i, ws[i], misread[ws[i].core], fixed)))
    glyph_reads = {f: reads for f in st.forms if (reads := _glyph_words(st, f))}
    for i in [i for i, w in enumerate(ws) if w.core in glyph_reads]:
        if i not in protected and i not in fixed:
            w = ws[i]
            out.extend(_in_passage(st, i, _repair_realword_glyph(st, i, w, glyph_reads[w.core], fixed)))
    out.extend(_marks(st, text, protected | set(quotes), fixed))
    if getattr(ctx, "cache", None) is not None:
        ctx.cache["words"] = st  # the unknown-words report reuses what was learned
    return out


# -- protection -------------------------------------------------------------------
def _nonword_forms(st: _State) -> set[str]:
    """The book's forms no lexicon knows: judged per form (a book repeats its words)."""
    if st.nonwords is None:
        st.nonwords = {f for f in st.forms if _nonword_form(st, f)}
    return st.nonwords


def _nonword_form(st: _State, core: str) -> bool:
    if core.isalpha() and core.isascii():
        return not st.known_or_name(core.lower()) and not st.lex.in_user(core)
    return True


def _protected(st: _State) -> set[int]:
    """Words the stage never touches."""
    window = int(st.cfg["foreign_window"])
    # foreign phrases are runs of lower-case unknowns (capitalised ones are names)
    lower_nonwords = {f for f in _nonword_forms(st) if f.isalpha() and f[0].islower()}
    nonword = [w.core in lower_nonwords for w in st.ws]
    memo: dict[int, bool] = {}

    def unknown(j: int) -> bool:  # a non-word no cheap operation repairs
        if j not in memo:
            memo[j] = nonword[j] and not st.gen.candidates(st.ws[j].core, depth=1, dear=False)
        return memo[j]

    abbr_len = int(st.cfg["abbreviation_max_len"])
    in_user = st.lex.in_user
    # a number with its unit or ordinal (`6in`, `20ft`, `3rd`, `10d`): no misread word
    units = {u.lower() for u in st.cfg["number_units"]}

    def protected_form(core: str) -> bool:
        if core.isalpha():
            digits, letters = 0, len(core)
        else:
            digits = sum(c.isdigit() for c in core)
            letters = sum(c.isalpha() for c in core)
        if digits and core[:1].isdigit() and core.lstrip("0123456789").lower() in units:
            return True
        return (letters < 1 or digits >= 2 or digits > letters or in_user(core)
                or (not core.isascii() and any(c.isalpha() and not c.isascii() for c in core))
                or (core.isupper() and letters <= abbr_len))

    protected_forms = {f for f in st.forms if protected_form(f)}  # the tests on the form alone, once per form
    initials = {f for f in st.forms if _INITIALS.fullmatch(f)}
    out = {i for i, w in enumerate(st.ws) if w.core in protected_forms or "[" in w.lead
           or (w.core in initials and w.trail[:1] == ".")}  # `a.m.`, not `a.s` (as)
    # A run of words no lexicon knows and no operation repairs: a foreign phrase.
    for i in [i for i, nw in enumerate(nonword) if nw and i not in out]:
        near = range(max(0, i - window), min(len(st.ws), i + window + 1))
        if any(nonword[j] for j in near if j != i) and unknown(i) and any(unknown(j) for j in near if j != i):
            out.add(i)
    return out


def _in_passage(st: _State, i: int, ps: list) -> list:
    """Repairs of a word in a passage of another language, only proposed: whatever
    English word lies one letter from `wunder` or `sich`, it is no misreading of it."""
    passage = st.foreign.get(i)
    if passage is None:
        return ps
    return [p._replace(rule="foreign-passage", reason=f"{p.reason} ({p.rule}); only proposed: {passage}")
            for p in ps]


# -- learning the channel ----------------------------------------------------------------
def _op_class(key: tuple) -> tuple:
    """An operation without its place: `e` inserted anywhere, `u` read for `v`."""
    return key[:2] if key[0] == "ins" else key[:3]


def _own_spelling(st: _State, targets: dict[tuple, set], forms_of: dict[tuple, set],
                  max_ratio: float) -> dict[tuple, int]:
    """Operation classes that are the text's own spelling, not damage (`haue`, `goe`,
    `tyme` in an old book), with how many forms show each: letters added or exchanged
    (not look-alike glyphs: misreading those is what OCR does) in several forms,
    whose would-be repairs include several of the commonest words, which the text
    rarely prints so. OCR damage is sporadic: the words it hits occur undamaged far
    more often, common words most of all."""
    min_words = int(st.cfg["spelling_min_common_words"])
    min_forms = int(st.cfg["spelling_min_forms"])
    min_zipf = float(st.cfg["spelling_common_zipf"])
    damaged: Counter = Counter()
    words: dict[tuple, set] = {}
    forms: dict[tuple, set] = {}
    for k, cands in targets.items():
        if k[0] in ("ins", "sub"):
            cls = _op_class(k)
            damaged[cls] += st.ch.counts[k]
            words.setdefault(cls, set()).update(cands)
            forms.setdefault(cls, set()).update(forms_of[k])
    return {cls: len(forms[cls]) for cls, ws in words.items()
            if len(forms[cls]) >= min_forms
            and sum(st.lex.zipf(w) >= min_zipf for w in ws) >= min_words
            and damaged[cls] > max_ratio * sum(st.lower_counts.get(w, 0) for w in ws)}


def _learn(st: _State) -> None:
    margin = float(st.cfg["learn_margin"])
    min_z = float(st.cfg["learn_min_zipf"])
    targets: dict[tuple, set] = {}
    forms_of: dict[tuple, set] = {}  # per operation, the forms it would repair
    # per form, not per word (`forms` keeps the order of first occurrence)
    seen = {f: n for f, n in st.forms.items() if f.islower() and 2 <= len(f) <= 20}
    for form, n in seen.items():
        if (form.isalpha() and st.known(form)) or "-" in form or "'" in form or "’" in form:
            continue
        cands = st.gen.candidates(form, depth=1, dear=True)
        ranked = sorted(((st.zipf(c) - cost, c, keys) for c, (cost, keys) in cands.items()), reverse=True)
        if not ranked:
            continue
        best = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else -math.inf
        if best[0] - second >= margin and st.zipf(best[1]) >= min_z:
            st.ch.observe(list(best[2]), n)
            for k in best[2]:
                targets.setdefault(k, set()).add(best[1].lower())
                forms_of.setdefault(k, set()).add(form)
    # OCR damage is sporadic: the words it hits also occur undamaged, far more often.
    # A "repair" whose targets rarely occur as such is the text's own spelling
    # (archaic `haue`, `olde`), not damage: it teaches the channel nothing.
    max_ratio = float(st.cfg["max_damage_ratio"])
    st.own_spelling = _own_spelling(st, targets, forms_of, max_ratio)
    st.op_forms = {k: len(v) for k, v in forms_of.items()}
    for k, v in forms_of.items():  # an inserted letter anywhere: in how many forms
        if k[0] == "ins":
            st.letter_forms.setdefault(k[1], set()).update(v)
    for k, cands in targets.items():
        clean = sum(st.lower_counts.get(c, 0) for c in cands)
        if st.ch.counts[k] > max_ratio * clean:
            st.ch.counts[k] = 0
    min_support = int(st.cfg["min_support"])
    known_types = {t: n for t, n in st.lower_counts.items() if st.known(t)}  # (lower_counts: letters only)
    known_text = " ".join(t for t, n in known_types.items() for _ in range(n))
    starts: Counter = Counter()
    for t, n in known_types.items():
        starts[t[0]] += n
    st.ch.learn(known_text.count, starts, st.n)
    # A recurring capitalised form is a name, unless a misreading this scan makes
    # turns a word the book prints far more often into it (`Piarty` for `Party`).
    for name in list(st.book_names):
        if st.lex.known(name):
            continue
        form = name.capitalize()
        for c, (_cost, keys) in st.gen.candidates(form, depth=1, dear=False).items():
            if (c.lower() != name and st.known(c.lower())
                    and all(st.ch.support(k) >= min_support for k in keys if k[0] != "stray")
                    and st.lower_counts.get(c.lower(), 0) >= 2 * st.lower_counts.get(name, 0)):
                st.book_names.discard(name)
                break
    # An inserted letter that makes another word (and -> land) is never seen as a
    # non-word, so count as opportunities only the places where it would be seen.
    for key in [k for k, n in st.ch.counts.items() if k[0] == "ins" and n >= min_support and k[2] != "$"]:
        _, c, x, where = key
        st.ch.set_opportunities(key, _insertion_opportunities(st, known_types, c, x, where == "start"))
    st.gen._memo.clear()  # candidates were priced with the priors
    st.nonwords = None  # and names were dropped


def _insertion_opportunities(st: _State, known_types: dict[str, int], c: str, x: str, at_start: bool) -> int:
    """Occurrences of the book's known words with a letter `x` (at the start, or
    inside) before which inserting `c` makes no word."""
    if len(x) != 1:
        return 0  # (a letter whose lower case is two: no one letter equals it)
    opp = 0
    for t, n in known_types.items():
        if at_start:
            if t[0] == x and not st.known(c + t):
                opp += n
            continue
        p = t.find(x, 1)  # (find, not a scan letter by letter: asked of every known word)
        while p >= 0:
            if not st.known(t[:p] + c + t[p:]):
                opp += n
            p = t.find(x, p + 1)
    return opp


# -- neighbours ----------------------------------------------------------------------------
def _neighbours(st: _State, i: int, fixed: dict[int, str]) -> tuple[str | None, str | None]:
    ws = st.ws
    prev = nxt = None
    if i > 0 and st.linked[i]:
        prev = fixed.get(i - 1, ws[i - 1].lower)
    if i + 1 < len(ws) and st.linked[i + 1]:
        nxt = fixed.get(i + 1, ws[i + 1].lower)
    return prev, nxt


def _confidence(scores: list[float]) -> list[float]:
    m = max(scores)
    ex = [10 ** (s - m) for s in scores]
    t = sum(ex)
    return [e / t for e in ex]


def _emit(st, w, after, rule, reason, conf):
    return minimal(w.start, w.core, after, rule, reason, conf)


# -- non-words -----------------------------------------------------------------------------
def _repair_nonword(st: _State, i: int, w: Word, fixed: dict[int, str]) -> list:
    core = w.core
    if _PERIOD_DASH.search(core):
        return []  # old print's period-dash between sentences (`true.-Mr.`, `so,-and`)
    if "-" in core:
        return _repair_compound(st, i, w, fixed)
    # an elision ('em, 'tis, th', o'), unless the book's quotes are curly and this
    # straight one is a speck (`can not 'siave`)
    if w.lead and w.lead[-1] in _APOS and core.isalpha() and not (st.quote_noise and w.lead[-1] == "'"):
        return []
    if w.trail and w.trail[0] in _APOS and core.isalpha() and not (st.quote_noise and w.trail[0] == "'"):
        return []
    if any(a in core for a in _APOS):
        if "'" in core and not st.quote_noise:
            return []  # straight apostrophes are the book's own: elisions, contractions
        res = _repair_apostrophe(st, w)
        if res is not None:
            return res
    gaps = [k for k, c in enumerate(core) if c in st.gap_marks and 0 < k < len(core) - 1]
    if len(gaps) == 1:
        res = _repair_gap_mark(st, w, gaps[0])
        if res is not None:
            return res
    if _INNER_PUNCT.search(core):
        res = _repair_inner_punct(st, w)
        if res is not None:
            return res
    return _repair_token(st, i, w, core, w.start, fixed)


def _repair_compound(st, i, w, fixed):
    core = w.core
    parts = core.split("-")
    joined = "".join(parts)
    # A printer never leaves one letter before a line-break hyphen or carries two
    # or fewer to the next line: such a hyphen is a speck (`b-rief`, `Almo-st`);
    # longer halves may be a line break the layout kept (`mani-fested`): left alone.
    short = len(parts) == 2 and (len(parts[0]) == 1 or len(parts[1]) <= 2)
    if short and all(p for p in parts) and not all(st.known_or_name(p.lower()) for p in parts if p.isalpha()):
        attested = st.forms.get(joined, 0) >= int(st.cfg["attested_min"])  # printed whole elsewhere
        if joined.isalpha() and ((st.known_or_name(joined.lower())
                                  and st.zipf(joined) >= float(st.cfg["dehyphen_min_zipf"])) or attested):
            return _emit(st, w, joined, "hyphen-in-word", f"‘{core}’ → ‘{joined}’: a hyphen inside a word "
                         f"whose parts are not words ({st.lex.why(joined)})", 0.95)
    out, pos = [], w.start
    for p in parts:
        if p and len(p) >= 2 and not (p.isalpha() and st.known_or_name(p.lower())):
            out.extend(_repair_token(st, i, w, p, pos, fixed, in_compound=True))
        pos += len(p) + 1
    return out


def _repair_apostrophe(st, w):
    core = w.core
    for a in _APOS:
        if a not in core:
            continue
        head, _, tail = core.partition(a)
        if tail.lower() in _CONTRACTION_TAILS and head.isalpha():
            if tail.lower() == "t" and head.lower().endswith("n"):
                return []  # n't: don't, shouldn't, won't, can't
            plain = head + tail
            # in a book set with curly quotes, a straight one inside a common word whose head is
            # a far rarer word (`Wha't`, `pu't`) is a speck, not a contraction
            speck = (a == "'" and st.quote_noise and st.known(plain.lower()) and sane_case(plain)
                     and st.zipf(plain) >= max(float(st.cfg["apostrophe_speck_min_zipf"]),
                                               st.zipf(head) + 2))
            if not speck and (st.known_or_name(head.lower())
                              or st.forms.get(head, 0) + st.forms.get(head + a + "s", 0) >= 2):
                return []  # a possessive or contraction of a word or a recurring name
            if speck:
                return _emit(st, w, plain, "apostrophe-in-word", f"‘{core}’ → ‘{plain}’: a straight apostrophe in a book "
                             f"set with curly ones, inside a word ({st.lex.why(plain)})", 0.95)
            return _repair_token(st, -1, w, head, w.start, {}, in_compound=False)
    plain = core.replace("'", "").replace("’", "")
    if plain.isalpha() and st.known_or_name(plain.lower()) and sane_case(plain):
        return _emit(st, w, plain, "apostrophe-in-word", f"‘{core}’ → ‘{plain}’: an apostrophe inside a word that is not "
                     f"a contraction or possessive ({st.lex.why(plain)})", 0.95)
    head, _, tail = core.replace("’", "'").partition("'")
    # two short words need a curly book (a straight mark is then a speck) and common words
    short_ok = st.quote_noise and "'" in core and min(st.zipf(head), st.zipf(tail)) >= 5
    if (head.isalpha() and tail.isalpha() and ((len(head) >= 3 and len(tail) >= 3) or short_ok)
            and st.zipf(head) >= 3 and st.zipf(tail) >= 3 and tail.islower()):
        after = f"{head} {tail}"
        return _emit(st, w, after, "mark-between-words", f"‘{core}’ → ‘{after}’: two words joined by a stray apostrophe",
                     0.9)
    return None


def _look_alike_digit(st, key: tuple) -> bool:
    """An operation on a digit that looks like a letter (`1` for `l`, or inserted)."""
    return key[0] in ("ins", "glyph") and key[1] in st.ch.look_alike_digits


def _repair_gap_mark(st, w, k):
    """`movement^the`, `the^motherland`: a speck where the page had a space."""
    core = w.core
    left, right = core[:k], core[k + 1:]
    min_z = float(st.cfg["split_min_zipf"])
    if (left.isalpha() and right.isalpha() and right.islower() and sane_case(left)
            and st.known(left.lower()) and st.known(right) and st.zipf(left) >= min_z and st.zipf(right) >= min_z
            and not st.known((left + right).lower())):
        after = f"{left} {right}"
        return _emit(st, w, after, "mark-between-words", f"‘{core}’ → ‘{after}’: a stray ‘{core[k]}’ between two words",
                     0.92)
    return None


def _repair_inner_punct(st, w):
    core = w.core
    m = _INNER_PUNCT.search(core)
    left, right = core[: m.start()], core[m.end():]
    if not (left.isalpha() and right.isalpha()):
        return None
    if len(left) >= 2 and len(right) >= 2 and right.islower() and st.zipf(left) >= 3 and st.zipf(right) >= 3:
        after = f"{left} {right}"
        return _emit(st, w, after, "mark-between-words", f"‘{core}’ → ‘{after}’: a stray ‘{m.group()}’ between two words",
                     0.92)
    joined = left + right
    if (len(left) >= 2 or len(right) >= 2) and st.known(joined.lower()) and st.zipf(joined) >= 3 and sane_case(joined):
        return _emit(st, w, joined, "mark-in-word", f"‘{core}’ → ‘{joined}’: a stray ‘{m.group()}’ inside a word",
                     0.92)
    return None


def _sprinkled(st: _State, keys: tuple) -> bool:
    """Every operation inserts a letter this scan sprinkles everywhere (`i` read from
    specks hundreds of times): a non-word such a letter explains is rarely genuine."""
    n = int(st.cfg["sprinkled_min"])
    ins = [k for k in keys if k[0] != "stray"]
    return bool(n) and bool(ins) and all(k[0] == "ins" and k[1].isalpha() and _sprinkled_key(st, k, n)
                                         for k in ins)


def _sprinkled_key(st: _State, k: tuple, n: int) -> bool:
    # that letter anywhere, or any letter at that place (specks before a word's `a`
    # read as `i`, `l`, `t`: `iand`, `lalley`)
    return st.ch.letter_support(k) >= n or st.ch.at_busy_place(k, n)


def _token_candidates(st: _State, s: str, in_compound: bool) -> list:
    """(word, cost, operation keys) for each repair of the form `s`: the words the
    search finds, and two words run together (not inside a compound)."""
    cands = st.gen.candidates(s, depth=2, dear=True, drops=True)
    out = [(c, cost, keys) for c, (cost, keys) in cands.items()]
    if s.isalpha() and not in_compound:
        out += st.gen.splits(s, st.zipf, float(st.cfg["split_min_zipf"]),
                             lambda r: r.lower() in st.book_names or st.forms.get(r, 0) >= 1)
    return out


def _repair_token(st: _State, i: int, w: Word, s: str, start: int, fixed: dict[int, str],
                  in_compound: bool = False) -> list:
    cfg = st.cfg
    if len(s) < 2 or len(s) > int(cfg["max_word_len"]):
        return []
    if s.isalpha() and st.known_or_name(s.lower()):
        return []
    propose_min = st.propose_min
    min_support = int(cfg["min_support"])
    cand_list = st.token_candidates.get((s, in_compound))  # per form: the same for every occurrence
    if cand_list is None:
        cand_list = st.token_candidates[(s, in_compound)] = _token_candidates(st, s, in_compound)
    if not cand_list:
        return []
    prev, nxt = (None, None) if in_compound else _neighbours(st, i, fixed)
    name_like = s[:1].isupper() and not w.initial and not in_compound
    # Keeping the word as read: an unknown word. How often the book repeats it is no
    # evidence either way (a scan repeats its misreadings too), and it falls as the
    # repeats are repaired: a second cleaning would then judge the rest differently.
    keep = st.ctxm.oov
    if name_like:
        keep += float(cfg["name_bonus"])
    if s.isalpha() and not sane_case(s):
        keep -= float(cfg["odd_case_penalty"])  # no word is printed `TEnergetic`, `hSppen`
    mid_sentence = not w.initial and nxt is not None and not name_like
    scored = []
    for c, cost, keys in cand_list:
        lw = c.lower()
        if " " in lw:
            a, b = lw.split(" ", 1)
            sc = st.ctxm.score(a, prev, b) + st.ctxm.score(b, None, nxt) - cost
            # a name run on to a word: scored as names are kept (a name the user's word
            # list or the book knows is still a name, not a general word)
            if c.split(" ", 1)[1][:1].isupper() and b not in st.lex.general.zipf:
                sc += float(cfg["name_bonus"])
        else:
            sc = st.ctxm.score(lw, prev, nxt) - cost
        if (name_like or len(s) <= 2 or len(c) == 1) and not all(
                st.ch.support(k) >= min_support or k[0] == "stray" or (mid_sentence and _look_alike_digit(st, k))
                for k in keys):
            continue  # names and tiny words change only by misreadings this scan has shown
            # (or a look-alike digit glued to a word between two words: `wrote 1a letter`)
        scored.append((sc, c, cost, keys))
    if not scored:
        return []
    scored.sort(key=lambda t: t[0], reverse=True)
    if _sprinkled(st, scored[0][3]):
        keep -= float(cfg["sprinkled_keep_penalty"])
    probs = _confidence([keep] + [t[0] for t in scored])
    p_best = probs[1]
    if p_best < propose_min:
        return []
    sc, c, cost, keys = scored[0]
    # Applied only with evidence beyond the general priors: the damage is visible
    # (marks, digits, odd capitals), or the scan has shown these misreadings, or the
    # repaired word occurs elsewhere in the text as printed. Otherwise: proposed.
    look_alike = st.ch.look_alike_digits
    evident = (any(ch in st.ch.stray_marks or ch in look_alike for ch in s)
               or (s.isalpha() and not sane_case(s)))
    pooled_min = int(cfg["letter_min_support"])
    learned = all(st.ch.support(k) >= min_support or st.ch.letter_support(k) >= pooled_min
                  for k in keys if k[0] != "stray")
    # attested: the repaired word is printed elsewhere, clearly more often than this form
    need = max(int(cfg["attested_min"]), 2 * st.forms.get(s, 1))
    attested = all(st.lower_counts.get(part, 0) >= need for part in c.lower().split())
    if in_compound:
        attested = False  # a compound's part may be a line-break fragment (`ap-pointed`)
    # A short word has many one-letter neighbours (`ias`: as, is, has, was): which
    # one was meant only the scan's own misreadings tell; without them, a second
    # cleaning (which no longer sees the repaired cases) could choose differently.
    short = len(s) <= int(cfg["short_word_len"])
    # ...unless the context leaves no doubt (`shock group oan be picked`): one letter
    # misread (a dropped or inserted one may be an archaic spelling or a line-break
    # fragment: `myn`, `ble`) between words the lexicon knows (unknown neighbours
    # are old or foreign text: `gratious ayd`)
    # A long word (few words lie one letter from it) needs no attestation when the
    # letter is a look-alike (not any letter: `prouide`, `subiect` are old spellings)
    # and both neighbours are there.
    long_word = (len(s) >= int(cfg["long_word_len"]) and keys[0][0] == "glyph"
                 and prev is not None and nxt is not None)
    sure = ((short and attested or long_word) and p_best >= float(cfg["short_word_sure"])
            and len(keys) == 1 and keys[0][0] in ("sub", "glyph") and len(c) == len(s)
            and bool(prev or nxt) and all(x is None or st.known_or_name(x) for x in (prev, nxt)))
    # (A dropped letter needs the same evidence: unattested, `continous` or `commitee`
    # may be what the page printed, which the text must keep.)
    # Misreadings every OCR engine makes (look-alikes of the table, or ones real OCR
    # showed often: cleanup/data/ocr_channel.toml), one or two letter groups in a word
    # of three letters or more: channel × language model decide it even in a paragraph.
    # (Two look-alikes that together make a word are rarely chance: `oolleotor`.)
    # (Not a compound's part: it may be a line-break fragment, `transfor-mation`.)
    common = (not in_compound and len(keys) <= int(cfg["common_max_ops"]) and len(s) >= 3 and len(c) >= 2
              and all(k[0] == "glyph" and st.ch.common(k, int(cfg["general_min_support"])) for k in keys))
    by_common = common and not (evident or learned or (attested and not short) or sure)
    rule = RULE_OF.get(keys[0][0], "glyph-confusion")
    if any(k[0] == "split" for k in keys):
        rule = "split-word"
    elif any(k[0] == "ins" for k in keys):
        rule = "inserted-letter"
    elif by_common:
        rule = "common-misreading"
    elif any(k[0] in ("glyph", "sub") for k in keys):
        rule = "glyph-confusion"
    if not (evident or learned or (attested and not short) or sure or common):
        rule = "prior-only-repair"
    # The book's own say against it: a letter more at a word's end this scan has not
    # shown (`slipt`), or a plain form the text repeats (a dialect's `pa`).
    book_keeps = _book_says_keep(st, s, c, keys, common)
    if book_keeps:
        rule = {"own-form": "own-spelling", "ins-at-end": "prior-only-repair"}[book_keeps]
    # A text with its own spelling (`haue`, `goe`) drops letters its own way too
    # (`shal`, `entred`, with `shall` printed beside them): there a restored letter
    # is only proposed.
    if keys[0][0] == "drop" and st.own_spelling:
        rule = "own-spelling"
    # The text's own spelling (`shee`, with `she` printed too: old books vary) is
    # proposed, never applied, unless a learned profile has shown the misreading.
    spelled = [k for k in keys if _op_class(k) in st.own_spelling and st.ch.shown.get(k, 0) < min_support]
    if spelled and not evident:
        rule = "own-spelling"
    ops = "; ".join(op_label(k) for k in keys)
    alt = f"; next best ‘{scored[1][1]}’" if len(scored) > 1 else ""
    reason = (f"‘{s}’ is in no lexicon; ‘{c}’ ({st.lex.why(c.split()[0])}) by {ops}"
              f" (channel cost {cost:.1f}){alt}")
    if by_common:
        reason += "; a misreading OCR commonly makes (general channel)"
    if book_keeps:
        reason += {"own-form": f"; only proposed: the text prints ‘{s}’ {st.forms.get(s, 0)} times, and this "
                               "misreading in no other word (a spelling of its own?)",
                   "ins-at-end": "; only proposed: a letter more at a word's end, which this scan has not shown"
                   }[book_keeps]
    if spelled and not evident:
        k = spelled[0]
        how = f"‘{k[1]}’ added" if k[0] == "ins" else f"‘{k[1]}’ for ‘{k[2]}’"
        reason += (f"; only proposed: this text spells so ({how} in {st.own_spelling[_op_class(k)]} "
                   "forms whose words it seldom prints otherwise)")
    if not in_compound:
        fixed[i] = c.lower()
    return minimal(start, s, c, rule, reason, round(p_best, 3))


def _book_says_keep(st: _State, s: str, c: str, keys: tuple, common: bool) -> str | None:
    """Why the book's own evidence says a repair the priors favour is only to be
    proposed (None if it says nothing against it): `ins-at-end` or `own-form`."""
    cfg = st.cfg
    min_support = int(cfg["min_support"])
    pooled_min = int(cfg["letter_min_support"])
    min_forms = int(cfg["spelling_min_forms"])
    # A letter "too many" at a word's end is as often the page's own (`slipt`, `wifes`)
    # or a letter misread (`allv` for `ally`, `takeu` for `taken`) as a speck: applied
    # only where the scan has shown that insertion, or inserts that letter often.
    if any(k[0] == "ins" and k[2] == "$" and st.ch.support(k) < min_support
           and st.ch.letter_support(k) < pooled_min for k in keys):
        return "ins-at-end"
    # A plain lower-case non-word the text prints again and again is its own spelling
    # (a dialect's `pa`, `ax`, `sont`): OCR damage is sporadic. Proposed, unless the
    # scan makes the misreading in several words (`wero`, `liko`, `gamo`; or sprinkles
    # the letter everywhere; or a learned profile has shown it: the book's count of a
    # misreading shown by this one form alone is no such evidence), or it is one OCR
    # commonly makes and the text prints the repaired word far more often (`tbe`
    # beside a hundred `the`).
    repeats = st.forms.get(s, 0)
    if repeats < int(cfg["own_form_min_count"]) or not (s.isalpha() and s.islower()):
        return None
    habit = all(st.op_forms.get(k, 0) >= min_forms or st.ch.shown.get(k, 0) >= min_support
                or (k[0] == "ins" and st.ch.letter_support(k) >= pooled_min
                    and len(st.letter_forms.get(k[1], ())) >= min_forms)
                for k in keys if k[0] != "stray")
    sporadic = common and repeats <= float(cfg["max_damage_ratio"]) * st.lower_counts.get(c.lower(), 0)
    return None if habit or sporadic else "own-form"


# -- punctuation ------------------------------------------------------------------------
def _closing_quotes(st: _State, text: str, protected: set[int]) -> dict[int, list]:
    """Closing quotes OCR misread as `/`, `*` or a digit, by word index."""
    if not st.curly:
        return {}
    out = {}
    digit_ended = {f for f in st.forms if f[-1:].isdigit() and f[:1].isalpha()}  # per form
    suspects = [i for i, w in enumerate(st.ws) if w.trail[:1] in ("/", "*") or w.core in digit_ended]
    for i in suspects:
        if i not in protected:
            w = st.ws[i]
            ps = marks.misread_closing_quote(st, text, i, w)
            if ps:
                out[i] = ps
    return out


def _marks(st: _State, text: str, protected: set[int], fixed: dict[int, str]) -> list:
    out = []
    ws = st.ws
    # (only words with marks on or after them: most words have none)
    for i in [i for i, w in enumerate(ws) if w.lead or w.trail or w.mark_after]:
        if i in protected:
            continue
        w = ws[i]
        if w.lead or w.trail:
            out.extend(marks.glued_marks(st, i, w, fixed))
        if (w.trail and w.trail[0] in ".;:!") or w.mark_after:
            out.extend(marks.stray_punctuation(st, text, i, w, fixed))
    # an opening double quote never stands apart from the word it opens
    out.extend(Proposal(m.end() - 1, m.end(), "", "spaced-open-quote", "a space after an opening ‘“’", 0.95)
               for m in _SPACED_OPEN_QUOTE.finditer(text))
    for m in _LONE_OPEN_SINGLE.finditer(text):
        line_end = text.find("\n", m.end())
        rest = text[m.end(): line_end if line_end >= 0 else len(text)]
        if not _CLOSING_SINGLE.search(rest):  # it opens nothing: a speck
            out.append(Proposal(m.start(), m.end(), "", "lone-open-quote",
                                "a lone ‘‘’ mid-sentence that no closing quote matches", 0.92))
    return out


# -- fragments ----------------------------------------------------------------------
def _join_fragment(st: _State, i: int, w: Word, fixed: dict[int, str], protected: set[int]) -> list:
    """A non-word and the word after or before it that together make a word: a word
    the line break or the letter spacing cut in two (`substantia ted`, `habita ble`,
    `career ist`)."""
    return (_join_pair(st, i, i + 1, i + 1, fixed, protected)
            or _join_pair(st, i - 1, i, i - 1, fixed, protected))


def _join_pair(st: _State, a: int, b: int, other: int, fixed: dict[int, str], protected: set[int]) -> list:
    """Words `a` and `b` (next to each other) joined into one, where `other` is the
    one that is not the non-word being repaired."""
    if a < 0 or b >= len(st.ws) or other in protected or other in fixed:
        return []
    first, second = st.ws[a], st.ws[b]
    if first.trail or not st.linked[b]:
        return []
    head, tail = first.core, second.core
    if not (head.isalpha() and tail.isalpha() and tail.islower() and sane_case(head) and not second.lead
            and min(len(head), len(tail)) >= 3):  # (`ag a` is no `aga`)
        return []
    if st.zipf(st.ws[other].core) >= float(st.cfg["fragment_tail_max_zipf"]):
        return []  # a common word beside an old or garbled one is itself (`goe the`)
    joined = head + tail
    if not st.known(joined.lower()) or st.zipf(joined) < float(st.cfg["fragment_min_zipf"]):
        return []
    fixed[a] = fixed[b] = joined.lower()
    before = st.text[first.start:second.end]
    broken, whole = (head, tail) if other == b else (tail, head)
    where = "after" if other == b else "before"
    reason = (f"‘{broken}’ is in no lexicon; with ‘{whole}’ {where} it, ‘{joined}’ ({st.lex.why(joined)}): "
              "a word cut in two")
    return minimal(first.start, before, joined, "fragment-join", reason, 0.95)


# -- lone letters -----------------------------------------------------------------
def _repair_lone_letter(st: _State, i: int, w: Word, fixed: dict[int, str]) -> list:
    """A lone lower-case letter that is no word, between two lower-case words:
    a look-alike glyph misread (`greatness m a leader`: `in`)."""
    core = w.core
    if not core.islower() or core in st.cfg["lone_letter_words"] or w.lead or w.trail:
        return []
    prev, nxt = _neighbours(st, i, fixed)
    if not (prev and nxt and prev.isalpha() and nxt.isalpha() and st.ws[i + 1].core.islower()):
        return []
    options = [(p, c) for p, c in st.ch.by_read.get(core, ()) if st.known(p.lower()) and len(p) > 1]
    if not options:
        return []
    cm = st.ctxm
    s_obs, _ = _as_read(st, core, prev, nxt)
    scored = sorted(((cm.score(p, prev, nxt) - st.ch.cost(("glyph", core, p)), p) for p, _ in options), reverse=True)
    probs = _confidence([s_obs] + [t[0] for t in scored])
    c = scored[0][1]
    if probs[1] < st.propose_min or cm.gain(c, prev, nxt) < cm.gain(core, prev, nxt):
        return []
    fixed[i] = c
    reason = f"a lone ‘{core}’ between ‘{prev}’ and ‘{nxt}’ is no word: ‘{c}’ misread as a look-alike glyph"
    return minimal(w.start, core, c, "lone-letter", reason, round(probs[1], 3))


# -- real words ----------------------------------------------------------------------------
def _as_read(st: _State, lw: str, prev: str | None, nxt: str | None) -> tuple[float, float]:
    """Keeping the real word `lw` as read: its score and its context gain. A rare word
    that is in the text is likelier there than its general frequency says (books
    repeat their rare words): its prior is floored before comparing."""
    floor = float(st.cfg["real_word_floor_zipf"]) - 9
    gain = st.ctxm.gain(lw, prev, nxt)
    return max(st.ctxm.lp(lw), floor) + gain, gain


def _trigger(keys):
    """A test for the words a learned misreading could have produced (most words
    could not: they are skipped before any candidate is generated)."""
    alts = []
    for k in keys:
        if k[0] == "ins":
            _, c, nxt, where = k
            tail = "$" if nxt == "$" else re.escape(nxt)
            alts.append(("^" if where == "start" else "(?<=.)") + re.escape(c) + tail)
        elif k[0] in ("glyph", "sub"):
            alts.append(re.escape(k[1].lower()))
    return re.compile("|".join(alts)).search if alts else None


def _realword_options(st: _State, core: str, learned_ops: set[tuple]) -> list:
    """The words a learned misreading (one of `learned_ops`) could have turned the form
    `core` into, if it is printed as a word (lower case, or Title case: then only
    where a sentence begins)."""
    if not (core.isalpha() and core.isascii() and len(core) >= 2
            and (core.islower() or (sane_case(core) and core[1:].islower()))):
        return []
    if not st.known(core.lower()) or st.lex.in_user(core):
        return []
    max_cost = float(st.cfg["real_word_max_cost"])
    cands = st.gen.learned_only(core, learned_ops.__contains__)
    return [(c, cost, keys) for c, (cost, keys) in cands.items() if cost <= max_cost and st.known(c.lower())]


def _pairs_say(st: _State, read: str, cand: str | None, prev: str | None, nxt: str | None) -> bool:
    """Neither pair the read word makes with its neighbours is known anywhere (general
    English, or this book beyond this place), and both pairs the alternative makes
    are (not asked if `cand` is None): `right land duty` / `right and duty`."""
    if prev is None or nxt is None:
        return False
    bigram, book = st.lex.bigram, st.ctxm.bb

    def seen(a: str, b: str) -> bool:  # (twice in the book: once may be this very place)
        return bigram(a, b) is not None or book.get((a, b), 0) >= 2

    if seen(prev, read) or seen(read, nxt):
        return False
    return cand is None or (seen(prev, cand) and seen(cand, nxt))


def _glyph_words(st: _State, core: str) -> list:
    """(word, cost, read, meant) for each of the commonest words (every pair they
    make is in the bigram list, so that the read word's pairs are not tells more
    than a rare word's would) a cheap look-alike glyph turns into the word `core`."""
    if st.misread_common is None:
        st.misread_common = _misread_common(st)
    found = st.misread_common.get(core)
    if not found or not st.known(core) or st.lex.in_user(core):
        return []
    max_cost = float(st.cfg["real_word_glyph_max_cost"])
    return [(c, cost, r, p) for c, r, p in found if (cost := st.ch.cost(("glyph", r, p))) <= max_cost]


def _misread_common(st: _State) -> dict[str, list]:
    """Read form -> (word, read, meant): the commonest words as each look-alike would
    misread them (a few hundred words: built once, then looked up per form)."""
    min_z = float(st.cfg["real_word_glyph_min_zipf"])
    pairs = tuple(sorted((r, p) for r, pcs in st.ch.by_read.items() for p, _ in pcs if p.islower() and r.islower()))
    key = ("misread_common", min_z, pairs)
    memo = st.lex.general.derived  # per process: the same for every book
    if key not in memo:
        out: dict[str, list] = {}
        common = [w for w, z in st.lex.general.zipf.items()
                  if z >= min_z and len(w) >= 2 and w.isalpha() and w.islower()]
        for c in common:
            for r, p in pairs:
                k = c.find(p)
                while k >= 0:
                    read = c[:k] + r + c[k + len(p):]
                    if len(read) >= 2:
                        out.setdefault(read, []).append((c, r, p))
                    k = c.find(p, k + 1)
        memo[key] = out
    return memo[key]


def _repair_realword_glyph(st: _State, i: int, w: Word, reads: list, fixed: dict[int, str]) -> list:
    """A real word read through a look-alike glyph the scan has not shown (`reads`:
    from `_glyph_words`), only where the pairs say so (`could riot behave`: `not`,
    `party arid keep`: `and`)."""
    core = w.core
    prev, nxt = _neighbours(st, i, fixed)
    if prev is None or nxt is None or not _pairs_say(st, core, None, prev, nxt):
        return []
    options = [(st.ctxm.score(c, prev, nxt) - cost, c, r, p) for c, cost, r, p in reads
               if _pairs_say(st, core, c, prev, nxt)]
    if not options:
        return []
    s_obs, _ = _as_read(st, core, prev, nxt)
    options.sort(reverse=True)
    p_best = _confidence([s_obs] + [o[0] for o in options])[1]
    _, c, r, p = options[0]
    if p_best < st.propose_min:
        return []
    fixed[i] = c
    reason = (f"‘{core}’ is a word, but no one prints ‘{prev} {core}’ or ‘{core} {nxt}’, and both "
              f"‘{prev} {c}’ and ‘{c} {nxt}’ are common: ‘{p}’ read as the look-alike ‘{r}’")
    return minimal(w.start, core, c, "real-word-glyph", reason, round(p_best, 3))


def _repair_realword(st: _State, i: int, w: Word, options: list, fixed: dict[int, str]) -> list:
    """A real word read through a learned misreading (`options`: from `_realword_options`)."""
    cfg = st.cfg
    core = w.core
    if not (core.islower() or w.initial):
        return []  # (a Title-case word: only where a sentence begins)
    prev, nxt = _neighbours(st, i, fixed)
    if prev is None and nxt is None:
        return []
    lw = core.lower()
    s_obs, g_obs = _as_read(st, lw, prev, nxt)
    scored = []
    for c, cost, keys in options:
        sc = st.ctxm.score(c.lower(), prev, nxt)  # once: the same value both times
        s = sc - cost
        g = sc - st.ctxm.lp(c.lower())
        scored.append((s, g, c, cost, keys))
    scored.sort(key=lambda t: t[0], reverse=True)
    s, g, c, cost, keys = scored[0]
    probs = _confidence([s_obs] + [t[0] for t in scored])
    p = probs[1]
    if p < st.propose_min or g - g_obs < float(cfg["min_context_gain"]):
        return []
    # neither pair the word makes is printed anywhere, both the alternative makes are
    rule = "real-word-unseen-pair" if _pairs_say(st, lw, c.lower(), prev, nxt) else "real-word-context"
    ops = "; ".join(f"{op_label(k)} (seen {st.ch.support(k)}× in this scan)" for k in keys)
    ctx_s = " ".join(x for x in (prev, "_", nxt) if x)
    reason = (f"‘{core}’ is a word, but in ‘{ctx_s}’ ‘{c}’ is far likelier "
              f"(context {g - g_obs:+.1f}, channel cost {cost:.1f}) given {ops}")
    fixed[i] = c.lower()
    return minimal(w.start, core, c, rule, reason, round(p, 3))


# -- the proofreader's list ------------------------------------------------------------------
def unknown_words_tsv(doc, ctx=None) -> str:
    """Every word of the cleaned text that no lexicon knows: count, first source
    line, and the best suggestions. Tab-separated, most frequent first. Reuses
    the run's learned state (`ctx`, the pipeline's context) when there is one."""
    ctx = ctx if ctx is not None else getattr(doc, "context", None)
    st = ctx.cache.get("words") if ctx is not None else None
    text = doc.text
    if st is None:
        from ..pipeline import Context
        from .. import profile as profiles

        ctx = ctx or Context(profile=profiles.load())
        st = _State(text, ctx.profile.get("words", {}), ctx)
        _learn(st)
    first: dict[str, int] = {}
    counts: Counter = Counter()
    listed: dict[str, bool] = {}  # per form, judged once
    for m in _ALPHA_PIECE.finditer(text):  # a regex, not the tokenizer: only letter cores count
        core = m.group(1)
        ok = listed.get(core)
        if ok is None:
            ok = listed[core] = not (len(core) <= 2 or st.lex.known(core.lower()) or st.lex.in_user(core))
        if not ok:
            continue
        counts[core] += 1
        if core not in first:
            first[core] = m.start(1)
    lines = _source_lines(doc, sorted(set(first.values())))
    first = {k: lines.get(v, 0) for k, v in first.items()}
    rows = ["word\tcount\tfirst_line\tsuggestions"]
    for core, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower())):
        # the repair's own candidates where it searched; a cheap search for the rest
        # (names and protected words, which it never searched)
        cands = st.gen.searched(core) or st.gen.candidates(core, depth=1, dear=False)
        cands = {c: v for c, v in cands.items() if c.lower() != core.lower()}
        ranked = sorted(cands.items(), key=lambda kv: st.zipf(kv[0]) - kv[1][0], reverse=True)[:3]
        rows.append(f"{core}\t{n}\t{first[core]}\t{', '.join(c for c, _ in ranked)}")
    return "\n".join(rows) + "\n"


def _source_lines(doc, positions: list[int]) -> dict[int, int]:
    """Source line of each current-text offset in sorted `positions`."""
    return {p: doc.line_of(src) for p, src in zip(positions, doc.source_offsets(positions))}
