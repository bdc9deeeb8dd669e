"""Word repair that never makes clean text worse.

1. Lexicon check: a word is known if general English, a user dictionary or (for
   names) the book's own recurring vocabulary knows it (cleanup/lexicon.py).
2. Learn the channel: every non-word with one clear candidate (an unambiguous
   repair) counts its operation; rates per opportunity replace the priors.
3. Non-words: candidates from OCR operations (cleanup/words/candidates.py),
   scored by frequency × context × channel against keeping the word as read.
4. Real words: changed only through operations this scan has shown it makes
   often (learned support), and only when the context strongly prefers it.

Steps 3-4 and the marks are `PASSES`, run in order over one `Reading` (the words
as repaired so far): each judges its words in the context the passes before it
left, and leaves the words they repaired alone.

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
from dataclasses import dataclass

from ..document import Proposal
from ..words.channel import general_channel
from ..words import foreign, learned, marks
from ..words.joins import join_fragment
from ..words.nonword import op_class, repair_nonword
from ..words.realword import as_read, glyph_words, misreading_trigger, realword_options, repair_realword, repair_realword_glyph
from ..words.ops import glyph
from ..words.reading import Reading
from ..words.stats import BookStats, confidences
from ..words.tokens import Word
from . import minimal

_SPACED_OPEN_QUOTE = re.compile(r"(?:(?<=\s)|^)“ (?=[A-Z])", re.M)
_LONE_OPEN_SINGLE = re.compile(r"(?<=[a-z,;] )‘ (?=[a-z])")
_CLOSING_SINGLE = re.compile(r"’(?![A-Za-z])")
# letters each followed by a period: an abbreviation (`a.m.`, `e.g.`, `U.S.A.`), not
# a word with specks in it (the core holds all but the last period, which must be there)
_INITIALS = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")


def propose(text: str, cfg: dict, ctx) -> list:
    st = BookStats(text, cfg, ctx)
    _learn(st)
    # the forms no lexicon knows: judged per form (a book repeats its words)
    nonwords = {f for f in st.forms if _nonword_form(st, f)}
    protected = _protected(st, nonwords)
    # decided on the text as read, before any pass: a misread closing quote (`life/`)
    quotes = _closing_quotes(st, text, protected)
    scannos = learned.Scannos(cfg)  # from a learned profile (cleanup/words/learned.py)
    if cfg["general_channel"]:
        scannos.add_general(general_channel().get("scannos", []))
    scope = Scope(protected, set(quotes), nonwords, scannos,
                  foreign.passages(st.ws, st.lex.zipf, cfg), foreign.dialect_passages(st.ws, st.known_or_name, cfg))
    out: list = [p for ps in quotes.values() for p in ps]
    reading = Reading(st.ws, st.linked)
    for step in PASSES:
        out.extend(step(st, reading, scope))
    return out


@dataclass(slots=True)
class Scope:
    """What the passes share, worked out before them from the text as read."""
    protected: set[int]  # word indices the stage never touches (_protected)
    quoted: set[int]  # words whose misread closing quote is repaired: the misread-word and marks passes leave them
    nonwords: set[str]  # the forms no lexicon knows
    scannos: learned.Scannos  # whole-word misreadings: a learned profile's, then the general table's
    foreign: dict[int, str]  # word index -> its passage of another language (cleanup/words/foreign.py)
    dialect: dict[int, str]  # word index -> its paragraph of dialect speech


# -- the passes, in order ---------------------------------------------------------------
# Each reads its words' neighbours as the passes before it repaired them (`Reading`),
# records what it repairs, and leaves the words already repaired alone.
def _misread_words(st: BookStats, reading: Reading, scope: Scope) -> list:
    """Each word no lexicon knows, a lone letter, or a word a scanno table lists, in
    reading order: a whole-word misreading (learned or general), a lone look-alike
    letter, a word cut in two, or a non-word repair. First: the damage is surest
    here, and the real-word passes judge their words between these repairs."""
    scannos, nonwords = scope.scannos, scope.nonwords
    # Without learned scannos only lone letters, non-words and the general table's
    # forms can change: the rest (most words: known) are skipped by form.
    every = bool(scannos.table or scannos.lowered)
    general = scannos.general
    ws = st.ws
    out: list = []
    looked_at = [i for i, w in enumerate(ws) if every or len(w.core) == 1 or w.core in nonwords or w.lower in general]
    # Words of one or two letters last: their neighbours tell what they are, so those
    # are repaired first (`will bo dono with`: `done`, then `be`).
    looked_at.sort(key=lambda i: (len(ws[i].core) <= 2, i))
    for i in looked_at:
        w = ws[i]
        if i in scope.protected or i in scope.quoted or reading.repaired(i):
            continue  # (the second half of a word joined forward)
        ps = scannos.repair(st, i, w, reading) if scannos else None
        if ps is None and len(w.core) == 1:
            ps = _repair_lone_letter(st, i, w, reading)
        elif ps is None and w.core in nonwords:
            ps = join_fragment(st, i, w, reading, scope.protected) or repair_nonword(st, i, w, reading)
        out.extend(_in_passage(scope, i, ps or []))
    return out


def _learned_real_words(st: BookStats, reading: Reading, scope: Scope) -> list:
    """Real words a misreading this scan has shown could have made (`land` for `and`),
    where the context favours the other word. After the non-words: their repairs are
    its context, and what the scan has shown is learned from them."""
    cfg = st.cfg
    ch = st.ch
    min_support = int(cfg["min_support"])
    pooled_min = int(cfg["letter_min_support"])
    # at a place where the scan inserts many letters, every letter it has inserted there
    places = [k for k, n in ch.counts.items() if n and ch.at_busy_place(k, pooled_min)]
    # supported(): shown by the scan or by a learned profile
    trigger = misreading_trigger(ch.supported(min_support) + places)
    # the operations a real word may change through: shown often enough, or at a busy place
    learned_ops = {k for k in set(ch.counts) | set(ch.shown)
                   if ch.support(k) >= min_support or ch.at_busy_place(k, pooled_min)}
    # the tests on the form alone, once per form (most forms fail them)
    triggered = {f for f in {f.lower() for f in st.forms} if trigger(f)} if trigger else set()
    # per form too: most triggered forms no learned misreading of a word could make
    misread = {f: options for f in st.forms
               if f.lower() in triggered and (options := realword_options(st, f, learned_ops))}
    out: list = []
    for i in [i for i, w in enumerate(st.ws) if w.core in misread]:
        if i not in scope.protected and not reading.repaired(i):
            out.extend(_in_passage(scope, i, repair_realword(st, i, st.ws[i], misread[st.ws[i].core], reading)))
    return out


def _look_alike_real_words(st: BookStats, reading: Reading, scope: Scope) -> list:
    """The commonest words read through a look-alike the scan has not shown (`could
    riot behave`), only where no one prints the pairs the read word makes. After the
    learned real words: the scan's own evidence speaks first."""
    glyph_reads = {f: reads for f in st.forms if (reads := glyph_words(st, f))}
    out: list = []
    for i in [i for i, w in enumerate(st.ws) if w.core in glyph_reads]:
        if i not in scope.protected and not reading.repaired(i):
            w = st.ws[i]
            out.extend(_in_passage(scope, i, repair_realword_glyph(st, i, w, glyph_reads[w.core], reading)))
    return out


def _marks(st: BookStats, reading: Reading, scope: Scope) -> list:
    """Specks and misread punctuation on and between words (cleanup/words/marks.py).
    Last: whether a mark is a speck depends on the words as repaired (`tlie. man`)."""
    text = st.text
    protected = scope.protected | scope.quoted
    out = []
    ws = st.ws
    # (only words with marks on or after them: most words have none)
    for i in [i for i, w in enumerate(ws) if w.lead or w.trail or w.mark_after]:
        if i in protected:
            continue
        w = ws[i]
        if w.lead or w.trail:
            out.extend(marks.glued_marks(st, i, w, reading))
        if (w.trail and w.trail[0] in ".;:!") or w.mark_after:
            out.extend(marks.stray_punctuation(st, text, i, w, reading))
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


PASSES = (_misread_words, _learned_real_words, _look_alike_real_words, _marks)


# -- protection -------------------------------------------------------------------
def _nonword_form(st: BookStats, core: str) -> bool:
    if core.isalpha() and core.isascii():
        return not st.known_or_name(core.lower()) and not st.lex.in_user(core)
    return True


def _protected(st: BookStats, nonwords: set[str]) -> set[int]:
    """Words the stage never touches (`nonwords`: the forms no lexicon knows)."""
    window = int(st.cfg["foreign_window"])
    # foreign phrases are runs of lower-case unknowns (capitalised ones are names)
    lower_nonwords = {f for f in nonwords if f.isalpha() and f[0].islower()}
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
    # A run of words no lexicon knows and no operation repairs: a foreign phrase; not
    # two halves of one word a line break cut (`nu merous`).
    min_zipf = float(st.cfg["fragment_min_zipf"])

    def halves(j: int, k: int) -> bool:
        return 0 <= j and k < len(st.ws) and st.zipf(st.ws[j].lower + st.ws[k].lower) >= min_zipf

    for i in [i for i, nw in enumerate(nonword) if nw and i not in out]:
        near = range(max(0, i - window), min(len(st.ws), i + window + 1))
        if halves(i - 1, i) or halves(i, i + 1):
            continue
        if any(nonword[j] for j in near if j != i) and unknown(i) and any(unknown(j) for j in near if j != i):
            out.add(i)
    return out


def _in_passage(scope: Scope, i: int, ps: list) -> list:
    """Repairs of a word in a passage of another language or of dialect speech, only
    proposed: whatever English word lies one letter from `wunder` or `axin`, it is no
    misreading of it."""
    passage, rule = scope.foreign.get(i), "foreign-passage"
    if passage is None:
        passage, rule = scope.dialect.get(i), "dialect-passage"
    if passage is None:
        return ps
    return [p._replace(rule=rule, reason=f"{p.reason} ({p.rule}); only proposed: {passage}") for p in ps]


# -- learning the channel ----------------------------------------------------------------
def _own_spelling(st: BookStats, targets: dict[tuple, set], forms_of: dict[tuple, set],
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
            cls = op_class(k)
            damaged[cls] += st.ch.counts[k]
            words.setdefault(cls, set()).update(cands)
            forms.setdefault(cls, set()).update(forms_of[k])
    return {cls: len(forms[cls]) for cls, ws in words.items()
            if len(forms[cls]) >= min_forms
            and sum(st.lex.zipf(w) >= min_zipf for w in ws) >= min_words
            and damaged[cls] > max_ratio * sum(st.lower_counts.get(w, 0) for w in ws)}


def _learn(st: BookStats) -> None:
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
        ranked = sorted(((st.zipf(k.word) - k.cost, k.word, k.ops) for k in cands.values()), reverse=True)
        if not ranked:
            continue
        score, word, ops = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else -math.inf
        if score - second >= margin and st.zipf(word) >= min_z:
            st.ch.observe(list(ops), n)
            for k in ops:
                targets.setdefault(k, set()).add(word.lower())
                forms_of.setdefault(k, set()).add(form)
    # OCR damage is sporadic: the words it hits also occur undamaged, far more often.
    # A "repair" whose targets rarely occur as such is the text's own spelling
    # (archaic `haue`, `olde`), not damage: it teaches the channel nothing.
    max_ratio = float(st.cfg["max_damage_ratio"])
    st.own_spelling = _own_spelling(st, targets, forms_of, max_ratio)
    st.old_spelling = foreign.old_spelling(st.ws, st.cfg)
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
        for cand in st.gen.candidates(form, depth=1, dear=False).values():
            c = cand.word
            if (c.lower() != name and st.known(c.lower())
                    and all(st.ch.support(k) >= min_support for k in cand.ops if k.kind != "stray")
                    and st.lower_counts.get(c.lower(), 0) >= 2 * st.lower_counts.get(name, 0)):
                st.book_names.discard(name)
                break
    # An inserted letter that makes another word (and -> land) is never seen as a
    # non-word, so count as opportunities only the places where it would be seen.
    for key in [k for k, n in st.ch.counts.items() if k[0] == "ins" and n >= min_support and k[2] != "$"]:
        _, c, x, where = key
        st.ch.set_opportunities(key, _insertion_opportunities(st, known_types, c, x, where == "start"))
    st.gen._memo.clear()  # candidates were priced with the priors


def _insertion_opportunities(st: BookStats, known_types: dict[str, int], c: str, x: str, at_start: bool) -> int:
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


# -- punctuation ------------------------------------------------------------------------
def _closing_quotes(st: BookStats, text: str, protected: set[int]) -> dict[int, list]:
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


# -- lone letters -----------------------------------------------------------------
def _repair_lone_letter(st: BookStats, i: int, w: Word, reading: Reading) -> list:
    """A lone lower-case letter that is no word, between two known words: a look-alike
    glyph misread (`greatness m a leader`: `in`; `once n week`: `a`)."""
    core = w.core
    if not core.islower() or core in st.cfg["lone_letter_words"] or w.lead or w.trail:
        return []
    prev, nxt = reading.neighbours(i)
    # (between words the lexicon knows: beside a garbled one the letter may be a piece of it)
    if not (prev and nxt and st.known(prev) and st.known(nxt) and st.ws[i + 1].core.islower()):
        return []
    # the word its look-alike makes: `in` for `m`, and the one-letter `a` for `n`, `u`
    options = [(p, c) for p, c in st.ch.by_read.get(core, ()) if st.known(p.lower()) and (len(p) > 1 or p == "a")]
    if not options:
        return []
    cm = st.ctxm
    s_obs, _ = as_read(st, core, prev, nxt)
    scored = sorted(((cm.score(p, prev, nxt) - st.ch.cost(glyph(core, p)), p) for p, _ in options), reverse=True)
    probs = confidences([s_obs] + [t[0] for t in scored])
    c = scored[0][1]
    if probs[1] < st.propose_min or cm.gain(c, prev, nxt) < cm.gain(core, prev, nxt):
        return []
    reading.record(i, c)
    reason = f"a lone ‘{core}’ between ‘{prev}’ and ‘{nxt}’ is no word: ‘{c}’ misread as a look-alike glyph"
    return minimal(w.start, core, c, "lone-letter", reason, round(probs[1], 3))


def learned_stats(text: str, ctx) -> BookStats:
    """The book statistics with the channel learned from `text`, as `propose` has them
    before it repairs (what the stage knows of a book, for tools and tests)."""
    st = BookStats(text, ctx.profile.get("words", {}), ctx)
    _learn(st)
    return st
