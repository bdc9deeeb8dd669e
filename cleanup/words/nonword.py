"""Non-word repair: a form no lexicon knows turned into the word an OCR operation
explains best (frequency × context × channel against keeping it as read), and the
mark repairs inside such a form (apostrophes, gaps, inner punctuation, compounds)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..stages import minimal
from .candidates import sane_case
from .channel import RULE_OF, general_channel, op_label
from .foreign import function_words
from .reading import Reading
from .stats import BookStats, confidences
from .tokens import Word

_APOS = "'’"
_CONTRACTION_TAILS = {"s", "t", "ll", "re", "ve", "d", "m"}
# a mark then a hyphen after a letter (before a word, a mark or a digit): the
# period-dash of old print, not damage (`true.-Mr.`, `MACQUARIE.-1`)
_PERIOD_DASH = re.compile(r"(?<=[A-Za-z])[.,;:!?]-(?=[^\s-])")
# marks that end a clause: run on to a word, the page's mark with its space lost
_CLAUSE_MARKS = ",;:"
_INNER_PUNCT = re.compile(r"(?<=[A-Za-z])[.,;:!?](?=[A-Za-z])")


def op_class(key: tuple) -> tuple:
    """An operation without its place: `e` inserted anywhere, `u` read for `v`."""
    return key[:2] if key[0] == "ins" else key[:3]


def _emit(st, w, after, rule, reason, conf):
    return minimal(w.start, w.core, after, rule, reason, conf)


def repair_nonword(st: BookStats, i: int, w: Word, reading: Reading) -> list:
    core = w.core
    if _PERIOD_DASH.search(core):
        return []  # old print's period-dash between sentences (`true.-Mr.`, `so,-and`)
    if "-" in core:
        return _repair_compound(st, i, w, reading)
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
    return _repair_token(st, i, w, core, w.start, reading)


def _repair_compound(st, i, w, reading):
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
                                  and st.zipf(joined) >= float(st.cfg["dehyphen_min_zipf"])) or attested) \
                and st.letter_reading(parts[0], parts[1])[0] < st.zipf(joined):
            return _emit(st, w, joined, "hyphen-in-word", f"‘{core}’ → ‘{joined}’: a hyphen inside a word "
                         f"whose parts are not words ({st.lex.why(joined)})", 0.95)
    out, pos = [], w.start
    for p in parts:
        if p and len(p) >= 2 and not (p.isalpha() and st.known_or_name(p.lower())):
            out.extend(_repair_token(st, i, w, p, pos, reading, in_compound=True))
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
            return _repair_token(st, -1, w, head, w.start, Reading(st.ws, st.linked), in_compound=False)
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


def _mark_as_letter(st, s: str, keys: tuple, c: str) -> str | None:
    """The commoner word a letter in place of a dropped mark between letters makes
    (`we.t` → `went`, where the repair is `wet`), if there is one."""
    marks = {k[1] for k in keys if k[0] == "stray"}
    for k, ch in enumerate(s):
        if ch in marks and 0 < k < len(s) - 1 and s[k - 1].isalpha() and s[k + 1].isalpha():
            zipf, word = st.letter_reading(s[:k], s[k + 1:])
            if zipf > st.zipf(c):
                return word
    return None


def _repair_inner_punct(st, w):
    core = w.core
    m = _INNER_PUNCT.search(core)
    left, right = core[: m.start()], core[m.end():]
    if not (left.isalpha() and right.isalpha()):
        return None
    letter = st.letter_reading(left, right)[0]
    if (len(left) >= 2 and len(right) >= 2 and right.islower() and st.zipf(left) >= 3 and st.zipf(right) >= 3
            and not (letter and st.lex.bigram(left, right) is None)):  # (two words no one prints together)
        if m.group() in _CLAUSE_MARKS:  # `promises,and`: the mark is the page's, the space was lost
            after = f"{left}{m.group()} {right}"
            return _emit(st, w, after, "space-after-mark", f"‘{core}’ → ‘{after}’: a space lost after a ‘{m.group()}’",
                         0.92)
        after = f"{left} {right}"
        return _emit(st, w, after, "mark-between-words", f"‘{core}’ → ‘{after}’: a stray ‘{m.group()}’ between two words",
                     0.92)
    joined = left + right
    if ((len(left) >= 2 or len(right) >= 2) and st.known(joined.lower()) and st.zipf(joined) >= 3 and sane_case(joined)
            and letter < st.zipf(joined)):
        return _emit(st, w, joined, "mark-in-word", f"‘{core}’ → ‘{joined}’: a stray ‘{m.group()}’ inside a word",
                     0.92)
    return None


def _sprinkled(st: BookStats, keys: tuple) -> bool:
    """Every operation inserts a letter this scan sprinkles everywhere (`i` read from
    specks hundreds of times): a non-word such a letter explains is rarely genuine."""
    n = int(st.cfg["sprinkled_min"])
    ins = [k for k in keys if k[0] != "stray"]
    return bool(n) and bool(ins) and all(k[0] == "ins" and k[1].isalpha() and _sprinkled_key(st, k, n)
                                         for k in ins)


def _sprinkled_key(st: BookStats, k: tuple, n: int) -> bool:
    # that letter anywhere, or any letter at that place (specks before a word's `a`
    # read as `i`, `l`, `t`: `iand`, `lalley`)
    return st.ch.letter_support(k) >= n or st.ch.at_busy_place(k, n)


def _token_candidates(st: BookStats, s: str, in_compound: bool) -> list:
    """The Candidates for repairs of the form `s`: the words the search finds, and
    two words run together (not inside a compound)."""
    out = list(st.gen.candidates(s, depth=2, dear=True, drops=True).values())
    if s.isalpha() and not in_compound:
        out += st.gen.splits(s, st.zipf, float(st.cfg["split_min_zipf"]),
                             lambda r: r.lower() in st.book_names or st.forms.get(r, 0) >= 1)
    return out


def _repair_token(st: BookStats, i: int, w: Word, s: str, start: int, reading: Reading,
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
    prev, nxt = (None, None) if in_compound else reading.neighbours(i)
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
    long_len, general_min = int(cfg["long_word_len"]), int(cfg["general_min_support"])
    titled_min_zipf = float(cfg["titled_min_zipf"])
    scored = []
    misreadings = _usual_misreadings() if cfg["general_channel"] else frozenset()
    for c, cost, keys in cand_list:
        lw = c.lower()
        if lw in misreadings:
            continue  # a form real OCR makes of another word (`tho`): no repair makes it
        if " " in lw:
            a, b = lw.split(" ", 1)
            sc = st.ctxm.score(a, prev, b) + st.ctxm.score(b, None, nxt) - cost
            # a name run on to a word: scored as names are kept (a name the user's word
            # list or the book knows is still a name, not a general word)
            if c.split(" ", 1)[1][:1].isupper() and b not in st.lex.general.zipf:
                sc += float(cfg["name_bonus"])
        else:
            sc = st.ctxm.score(lw, prev, nxt) - cost
        # A long capitalised form one or two common misreadings from a frequent word
        # (`Committeo`, `Detectivo`) is that word in a heading's or title's capitals, not
        # a name: few names lie that near a frequent word.
        titled = (name_like and len(s) >= long_len and st.zipf(c) >= titled_min_zipf and " " not in c
                  and all(k[0] == "glyph" and st.ch.common(k, general_min) for k in keys))
        if titled:
            sc += float(cfg["name_bonus"])
        if (name_like or len(s) <= 2 or len(c) == 1) and not titled and not all(
                st.ch.support(k) >= min_support or k[0] == "stray" or (mid_sentence and _look_alike_digit(st, k))
                for k in keys) and not _short_in_context(st, s, c, keys, prev, nxt, name_like):
            continue  # names and tiny words change only by misreadings this scan has shown
            # (or a look-alike digit glued to a word between two words: `wrote 1a letter`;
            # or a short word its neighbours name: `will bo held`)
        scored.append((sc, c, cost, keys))
    if not scored:
        return []
    scored.sort(key=lambda t: t[0], reverse=True)
    if _sprinkled(st, scored[0][3]):
        keep -= float(cfg["sprinkled_keep_penalty"])
    probs = confidences([keep] + [t[0] for t in scored])
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
    in_context = _short_in_context(st, s, c, keys, prev, nxt, name_like)
    if not (evident or learned or (attested and not short) or sure or common):
        rule = "short-word-context" if in_context else "prior-only-repair"
    # The book's own say against it: a letter more at a word's end this scan has not
    # shown (`slipt`), or a plain form the text repeats (a dialect's `pa`).
    book_keeps = _book_says_keep(st, s, c, keys, common or in_context)
    if book_keeps:
        rule = {"own-form": "own-spelling", "ins-at-end": "prior-only-repair"}[book_keeps]
    # A text with its own spelling (`haue`, `goe`) drops letters its own way too
    # (`shal`, `entred`, with `shall` printed beside them): there a restored letter
    # is only proposed.
    if keys[0][0] == "drop" and st.own_spelling:
        rule = "own-spelling"
    # A mark between letters dropped as a speck, where a letter in its place makes a
    # commoner word (`we.t`: `went`, not `wet`), may be that letter misread: proposed.
    misread_mark = _mark_as_letter(st, s, keys, c)
    if misread_mark:
        rule = "prior-only-repair"
    # The text's own spelling (`shee`, with `she` printed too: old books vary) is
    # proposed, never applied, unless a learned profile has shown the misreading.
    spelled = [k for k in keys if op_class(k) in st.own_spelling and st.ch.shown.get(k, 0) < min_support]
    if spelled and not evident:
        rule = "own-spelling"
    # A text in the spelling of before 1700 (`haue`, `vnto`): a misreading the priors
    # alone favour is as often the page's own letters (`doughter`, `speke`); only the
    # scan's own evidence (visible damage, its misreadings, the word printed) applies one.
    old_spelt = (bool(st.old_spelling) and not (evident or learned or attested)
                 and not any(k[0] == "split" for k in keys))  # (words run together are no spelling)
    if old_spelt:
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
        reason += (f"; only proposed: this text spells so ({how} in {st.own_spelling[op_class(k)]} "
                   "forms whose words it seldom prints otherwise)")
    if misread_mark:
        reason += f"; only proposed: the mark may be a misread letter (‘{misread_mark}’)"
    if old_spelt:
        reason += f"; only proposed: the text is in the old spelling ({', '.join(st.old_spelling[:3])})"
    if not in_compound:
        reading.record(i, c.lower())
    return minimal(start, s, c, rule, reason, round(p_best, 3))


@lru_cache(maxsize=1)
def _usual_misreadings() -> frozenset[str]:
    """Words real OCR usually makes of another word (`tho` for the, `ho` for he: the
    general channel's scannos): a non-word one letter from `tho` is `the` misread."""
    return frozenset(str(r[0]).lower() for r in general_channel().get("scannos", []))


def _short_in_context(st: BookStats, s: str, c: str, keys: tuple, prev, nxt, name_like: bool) -> bool:
    """A word of two letters misread by one look-alike every OCR engine makes (`bo`,
    `ot`), or one of the commonest words with a letter dropped (`th`), where the words
    on both sides are known and general English prints the repaired word beside each
    of them (`will be held`); in a text with no spelling of its own (`ye may se`), and
    not another language's function word (`se`, `en`)."""
    return (len(s) <= 2 and s.isalpha() and s.islower() and not name_like and " " not in c
            and not st.own_spelling and not st.old_spelling  # (old spelling: `ye se`, `ia the`)
            and not any(s in words for words in function_words().values())  # (`se`, `en`: quoted)
            and prev is not None and nxt is not None and st.known(prev) and st.known(nxt)
            and len(keys) == 1 and (
                (keys[0][0] == "drop" and st.zipf(c) >= float(st.cfg["short_drop_min_zipf"]))
                or (keys[0][0] == "glyph" and st.ch.common(keys[0], int(st.cfg["general_min_support"]))))
            and st.lex.bigram(prev, c.lower()) is not None and st.lex.bigram(c.lower(), nxt) is not None)


def _book_says_keep(st: BookStats, s: str, c: str, keys: tuple, common: bool) -> str | None:
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
