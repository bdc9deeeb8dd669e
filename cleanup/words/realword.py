"""Real-word repair: a word as read that a misreading this scan has shown it makes
(learned support, or a common look-alike) turned into another word, only where the
context strongly prefers the other and the book's own word pairs agree."""
from __future__ import annotations

import re

from ..stages import minimal
from .candidates import sane_case
from .channel import op_label
from .ops import GlyphRead, glyph
from .reading import Reading
from .stats import BookStats, confidences
from .tokens import Word


def as_read(st: BookStats, lw: str, prev: str | None, nxt: str | None) -> tuple[float, float]:
    """Keeping the real word `lw` as read: its score and its context gain. A rare word
    that is in the text is likelier there than its general frequency says (books
    repeat their rare words): its prior is floored before comparing."""
    floor = float(st.cfg["real_word_floor_zipf"]) - 9
    gain = st.ctxm.gain(lw, prev, nxt)
    return max(st.ctxm.lp(lw), floor) + gain, gain


def misreading_trigger(keys):
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


def realword_options(st: BookStats, core: str, learned_ops: set[tuple]) -> list:
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
    return [k for k in cands.values() if k.cost <= max_cost and st.known(k.word.lower())]


def pairs_say(st: BookStats, read: str, cand: str | None, prev: str | None, nxt: str | None) -> bool:
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


def glyph_words(st: BookStats, core: str) -> list:
    """A GlyphRead for each of the commonest words (every pair they
    make is in the bigram list, so that the read word's pairs are not tells more
    than a rare word's would) a cheap look-alike glyph turns into the word `core`."""
    if st.misread_common is None:
        st.misread_common = misread_common(st)
    found = st.misread_common.get(core)
    if not found or not st.known(core) or st.lex.in_user(core):
        return []
    max_cost = float(st.cfg["real_word_glyph_max_cost"])
    return [GlyphRead(c, cost, r, p) for c, r, p in found if (cost := st.ch.cost(glyph(r, p))) <= max_cost]


def misread_common(st: BookStats) -> dict[str, list]:
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


def repair_realword_glyph(st: BookStats, i: int, w: Word, reads: list, reading: Reading) -> list:
    """A real word read through a look-alike glyph the scan has not shown (`reads`:
    from `glyph_words`), only where the pairs say so (`could riot behave`: `not`,
    `party arid keep`: `and`)."""
    core = w.core
    prev, nxt = reading.neighbours(i)
    if prev is None or nxt is None or not pairs_say(st, core, None, prev, nxt):
        return []
    options = [(st.ctxm.score(g.word, prev, nxt) - g.cost, g.word, g.read, g.meant) for g in reads
               if pairs_say(st, core, g.word, prev, nxt)]
    if not options:
        return []
    s_obs, _ = as_read(st, core, prev, nxt)
    options.sort(reverse=True)
    p_best = confidences([s_obs] + [o[0] for o in options])[1]
    _, c, r, p = options[0]
    if p_best < st.propose_min:
        return []
    reading.record(i, c)
    reason = (f"‘{core}’ is a word, but no one prints ‘{prev} {core}’ or ‘{core} {nxt}’, and both "
              f"‘{prev} {c}’ and ‘{c} {nxt}’ are common: ‘{p}’ read as the look-alike ‘{r}’")
    return minimal(w.start, core, c, "real-word-glyph", reason, round(p_best, 3))


def repair_realword(st: BookStats, i: int, w: Word, options: list, reading: Reading) -> list:
    """A real word read through a learned misreading (`options`: from `realword_options`)."""
    cfg = st.cfg
    core = w.core
    if not (core.islower() or w.initial):
        return []  # (a Title-case word: only where a sentence begins)
    prev, nxt = reading.neighbours(i)
    if prev is None and nxt is None:
        return []
    lw = core.lower()
    s_obs, g_obs = as_read(st, lw, prev, nxt)
    scored = []
    for cand in options:
        lc = cand.word.lower()
        sc = st.ctxm.score(lc, prev, nxt)  # once: the same value both times
        scored.append((sc - cand.cost, sc - st.ctxm.lp(lc), cand.word, cand.cost, cand.ops))
    scored.sort(key=lambda t: t[0], reverse=True)
    s, g, c, cost, keys = scored[0]
    probs = confidences([s_obs] + [t[0] for t in scored])
    p = probs[1]
    if p < st.propose_min or g - g_obs < float(cfg["min_context_gain"]):
        return []
    # neither pair the word makes is printed anywhere, both the alternative makes are
    rule = "real-word-unseen-pair" if pairs_say(st, lw, c.lower(), prev, nxt) else "real-word-context"
    ops = "; ".join(f"{op_label(k)} (seen {st.ch.support(k)}× in this scan)" for k in keys)
    ctx_s = " ".join(x for x in (prev, "_", nxt) if x)
    reason = (f"‘{core}’ is a word, but in ‘{ctx_s}’ ‘{c}’ is far likelier "
              f"(context {g - g_obs:+.1f}, channel cost {cost:.1f}) given {ops}")
    reading.record(i, c.lower())
    return minimal(w.start, core, c, rule, reason, round(p, 3))
