"""BOOK.report.html: the diff report, which is also the review page.

One self-contained file (inline CSS and JS, a Content-Security-Policy that allows
no network at all) showing each changed paragraph with word-level marks. The
reviewer accepts or rejects changes and whole rules, and exports the decisions
file that `cleanup apply` reads.

How the page is cut up, all derived from the edit log:
- a *hunk* is the smallest stretch of source that shows a change as a reader sees
  it: an edit widened to whole words (or, for a whitespace-only edit, to the whole
  whitespace run), overlapping ones merged. An edit that absorbed earlier ones
  covers their spans, so a hunk holds whole families and renders on its own;
- a *block* is a source paragraph with a change (paragraphs that a change joins
  become one block). Paragraphs without changes are not rendered at all.

Whitespace-only edits that keep the paragraph structure (line joins, trailing
spaces) are "layout" changes: invisible in the text, hidden from navigation
unless asked for, still counted and rejectable per rule. A paragraph join or
split shows as a small pilcrow. The page renders its initial state here; its
script re-renders a hunk (with the same rules, ported) when a decision changes.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .decisions import to_json as decisions_json
from .document import Decisions, Document, Edit, line_end_neighbours, render
from .files import output_stem

# ASCII whitespace only, spelt out, so that Python and the page's script split
# text identically (their `\s` differ on a few exotic characters).
_WS = "[ \\t\\n\\r\\f\\v]"
_WS_RUN = re.compile(f"({_WS}+)")
_WS_SPLIT = re.compile(f"{_WS}+").split
_PARA_RUN = re.compile(f"(?<![ \\t\\r\\f\\v])[ \\t\\r\\f\\v]*\\n{_WS}*\\n{_WS}*")  # a whitespace run with 2+ line breaks (tried only where a run of spaces starts: linear)
MAX_WIDEN = 60  # a hunk never grows more than this many characters either side


# -- words and whitespace ----------------------------------------------------------
def tokens(text: str) -> list[str]:
    """Words and whitespace runs, alternating, in order."""
    return [t for t in _WS_RUN.split(text) if t]


_WS_CHARS = " \t\n\r\f\v"


def is_ws(tok: str) -> bool:
    return bool(tok) and not tok.strip(_WS_CHARS)  # str.strip: C speed, called per character


def norm(tok: str) -> str:
    """What a reader sees of a token: whitespace is a space or a paragraph break."""
    if not tok or tok.strip(_WS_CHARS):  # `is_ws`, inline: called per token
        return tok
    return "¶" if tok.count("\n") >= 2 else " "


def _shape(t: str) -> list[str]:
    """Words and paragraph breaks (¶): `norm` over `tokens`, single spaces dropped, in bulk."""
    return [x for x in _WS_SPLIT(_PARA_RUN.sub(" ¶ ", t)) if x]


def kind_of(before: str, after: str) -> str:
    """'layout' if only spacing changed, 'para' if also paragraph breaks, else 'word'."""
    if _shape(before) == _shape(after):
        return "layout"
    if before.split() == after.split():
        return "para"
    return "word"


_WS_AHEAD = re.compile(f"{_WS}*")
_WORD_AHEAD = re.compile(f"[^{_WS[1:-1]}]*")


def _widen(source: str, start: int, end: int, ws: bool) -> tuple[int, int]:
    """Grow [start, end) over adjacent whitespace (ws) or word characters (not ws)."""
    ahead = _WS_AHEAD if ws else _WORD_AHEAD  # the same runs, scanned in C
    # Most edits border the other kind of character on both sides: nothing to grow
    # over, which one look at each neighbour tells without the slicing and regexes.
    if start > 0 and (source[start - 1] in _WS_CHARS) == ws:
        start -= ahead.match(source[max(0, start - MAX_WIDEN) : start][::-1]).end()
    if end < len(source) and (source[end] in _WS_CHARS) == ws:
        end = ahead.match(source, end, end + MAX_WIDEN).end()
    return start, end


def edit_kind(source: str, e: Edit) -> str:
    """Kind of one edit, judged with its neighbouring word and whitespace run, so that
    `fore⏎word` → `foreword` is a word change but `move⏎ment` → `move ment` spacing."""
    return _kind_in(source, e, _widen(source, e.start, e.end, ws=True))


def _kind_in(source: str, e: Edit, ws_span: tuple[int, int]) -> str:
    """`edit_kind`, given the edit's span widened over whitespace."""
    s, t = ws_span
    # `kind_of`'s answer, cheaply, for the two commonest edits: line joins and the like
    # (whitespace for whitespace), and changes inside words (no whitespace on either
    # side, nor a ¶, which `_shape` could confuse with a paragraph break).
    if is_ws(e.before) and is_ws(e.after):
        return _spacing_kind(source, e, s, t)
    if e.before != e.after and not _SPACE_OR_PILCROW.search(e.before + e.after):
        return "word"
    s, _ = _widen(source, s, s, ws=False)
    _, t = _widen(source, t, t, ws=False)
    left, right = source[s : e.start], source[e.end : t]
    return kind_of(left + e.before + right, left + e.after + right)


_SPACE_OR_PILCROW = re.compile("[\\s¶]")  # `\s`: whitespace as `str.split` sees it, ours included


def _spacing_kind(source: str, e: Edit, s: int, t: int) -> str:
    """Kind of a whitespace-for-whitespace edit inside the whitespace run [s, t):
    the words stay, so only whether the run is a paragraph break (2+ line breaks)
    can change."""
    around = source.count("\n", s, e.start) + source.count("\n", e.end, t)
    was_break = around + e.before.count("\n") >= 2
    is_break = around + e.after.count("\n") >= 2
    return "layout" if was_break == is_break else "para"


def edit_span(source: str, e: Edit, kind: str) -> tuple[int, int]:
    """The stretch of source a reader needs to see this edit: whole words for a
    word change, the whole whitespace run for a spacing or paragraph change."""
    return _widen(source, e.start, e.end, ws=kind != "word")


def word_diff(old: str, new: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(same-before, removed, added, same-after) tokens of `old` → `new`, trimming
    the words both share at either end (whitespace compared as a reader sees it)."""
    a, b = tokens(old), tokens(new)
    na, nb = [norm(t) for t in a], [norm(t) for t in b]
    p = 0
    while p < len(a) and p < len(b) and na[p] == nb[p]:
        p += 1
    s = 0
    while s < len(a) - p and s < len(b) - p and na[len(a) - 1 - s] == nb[len(b) - 1 - s]:
        s += 1
    return b[:p], a[p : len(a) - s], b[p : len(b) - s], b[len(b) - s :]


def shown(toks: list[str]) -> str:
    """Tokens as one line for people: whitespace as a space, paragraph breaks as ¶."""
    return "".join(norm(t) for t in toks)


def correction_of(source: str, e: Edit, kind: str | None = None) -> tuple[str, str] | None:
    """The correction an edit makes as a reader names it: the words as read and as
    corrected (`land` → `and` for a deleted `l`), or None for a spacing change.
    Identical corrections are decided together (`accept_corrections`, ...)."""
    kind = kind or edit_kind(source, e)
    if kind == "layout":
        return None
    s, t = edit_span(source, e, kind)
    left, right = source[s : e.start], source[e.end : t]
    old, new = left + e.before + right, left + e.after + right
    if kind == "word" and not _SPACE_OR_PILCROW.search(old + new):  # one word for another (most)
        return old, new
    _, gone, came, _ = word_diff(old, new)
    return shown(gone), shown(came)


def corrections(doc: Document, kinds: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """{change id: its correction} for every change of `doc` that is not spacing only."""
    out = {}
    for i, e in enumerate(doc.edits):
        key = correction_of(doc.source, e, kinds[i] if kinds else None)
        if key is not None:
            out[e.id] = key
    return out


def unknown_rows(tsv: str | None) -> dict[str, list[str]]:
    """{word: suggestions} from BOOK.unknown.tsv's text."""
    rows = {}
    for line in (tsv or "").split("\n")[1:]:
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0]:
            rows[parts[0]] = [s for s in parts[3].split(", ") if s]
    return rows


# -- hunks and blocks --------------------------------------------------------------
@dataclass
class Hunk:
    start: int
    end: int
    edits: list[int] = field(default_factory=list)  # indices into doc.edits, log order
    kind: str = "layout"


@dataclass
class Block:
    start: int
    end: int
    hunks: list[int] = field(default_factory=list)
    kind: str = "layout"


_RANK = {"layout": 0, "para": 1, "word": 2}


def hunks_of(doc: Document) -> tuple[list[Hunk], list[str]]:
    """The hunks of `doc` in source order, and each edit's kind."""
    src = doc.source
    kinds, spans = [], []
    for i, e in enumerate(doc.edits):
        ws_span = _widen(src, e.start, e.end, ws=True)  # `edit_kind`'s first step, and the span of most edits
        k = _kind_in(src, e, ws_span)
        kinds.append(k)
        if k != "word":
            spans.append(ws_span + (i,))
            continue
        s, t = _widen(src, e.start, e.end, ws=False)
        if "\n" in e.before or "\n" in e.after:  # turned down, it reads the whitespace around it too
            grow_left, grow_right = line_end_neighbours(src, e.start, e.end)
            if grow_left:
                s = min(s, ws_span[0])
            if grow_right:
                t = max(t, ws_span[1])
        spans.append((s, t, i))
    spans.sort()
    # Overlapping spans merge; merely touching ones only where an insertion sits
    # (an insertion and an edit that absorbs or clashes with it touch there), so a
    # heading and the blank line after it stay apart.
    insertions = {e.start for e in doc.edits if e.start == e.end}
    hunks: list[Hunk] = []
    for s, t, i in spans:
        if hunks and (s < hunks[-1].end or s == hunks[-1].end and s in insertions):
            h = hunks[-1]
            h.end = max(h.end, t)
        else:
            h = Hunk(s, t)
            hunks.append(h)
        h.edits.append(i)
        if _RANK[kinds[i]] > _RANK[h.kind]:
            h.kind = kinds[i]
    for h in hunks:
        h.edits.sort()
    return hunks, kinds


# `_PARA_RUN` from its first line break on: it begins with a literal, which the
# regex engine finds ten times faster, and what it leaves out is trailing space
# that `paragraphs` strips anyway.
_PARA_BREAK = re.compile(f"\\n{_WS}*\\n{_WS}*")


def paragraphs(source: str) -> list[tuple[int, int]]:
    """Source paragraphs as (start, end) of their text, surrounding whitespace excluded."""
    out, pos = [], 0
    for m in list(_PARA_BREAK.finditer(source)) + [None]:
        end = m.start() if m else len(source)
        chunk = source[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((pos + lead, pos + len(chunk.rstrip())))
        pos = m.end() if m else end
    return out


def blocks_of(source: str, hunks: list[Hunk], paras: list[tuple[int, int]] | None = None) -> list[Block]:
    """Changed paragraphs: each hunk pulls in the paragraphs it touches (a spacing
    change only those it lies inside, so tidying the blank lines between two
    paragraphs does not drag them both in); overlapping results merge. `paras`:
    `paragraphs(source)`, if the caller has it already."""
    paras = paragraphs(source) if paras is None else paras
    starts = [p[0] for p in paras]
    spans = []
    for hi, h in enumerate(hunks):
        s, t = h.start, h.end
        k = max(0, bisect.bisect_right(starts, h.start) - 1)
        while k < len(paras) and paras[k][0] <= h.end:
            ps, pe = paras[k]
            touches = ps <= h.end and h.start <= pe
            inside = (ps < h.end and h.start < pe) or (h.start == h.end and ps < h.start < pe)
            if inside or (touches and h.kind != "layout"):
                s, t = min(s, ps), max(t, pe)
            k += 1
        spans.append((s, t, hi))
    spans.sort()
    blocks: list[Block] = []
    for s, t, hi in spans:
        if blocks and (s < blocks[-1].end or s == t == blocks[-1].end == blocks[-1].start):
            b = blocks[-1]
            b.end = max(b.end, t)
        else:
            b = Block(s, t)
            blocks.append(b)
        b.hunks.append(hi)
        if _RANK[hunks[hi].kind] > _RANK[b.kind]:
            b.kind = hunks[hi].kind
    for b in blocks:
        b.hunks.sort()
    return blocks


# -- rendering one hunk (the page's script has the same logic) -----------------------
def hunk_state(doc: Document, h: Hunk, d: Decisions) -> tuple[str, str]:
    """(state, inner HTML) of a hunk under decisions. state: 'prop' (a pending
    proposal, shown as the text it would give), 'chg' (changed) or 'off' (no
    change in effect: rejected, or depending on a rejected change)."""
    src = doc.source[h.start : h.end]
    cur, sugg = _hunk_texts(doc, h, d, src)
    if sugg != cur:
        return "prop", markup(src, sugg)
    return ("chg" if cur != src else "off"), markup(src, cur)


def _hunk_texts(doc: Document, h: Hunk, d: Decisions, src: str) -> tuple[str, str]:
    """A hunk's text under `d`, and under `d` with its pending proposals accepted."""
    e = doc.edits[h.edits[0]]
    if len(h.edits) == 1 and not e.replaces and (d.allows(e) or "\n" not in e.before + e.after):
        # most hunks: `render` inline (not a line end turned down: that has its own reading)
        changed = src[: e.start - h.start] + e.after + src[e.end - h.start :]
        cur = changed if d.allows(e) else src
        return cur, changed if d.pending(e) else cur
    local = [doc.edits[i] for i in h.edits]
    cur = render(doc.source, local, d, span=(h.start, h.end))
    pending = {e.id for e in local if d.pending(e)}
    if not pending:
        return cur, cur
    accepted = replace(d, accept=d.accept | pending)
    return cur, render(doc.source, local, accepted, span=(h.start, h.end))


def _plain_tok(t: str) -> str:
    if is_ws(t):
        return '<br class="pb">' if norm(t) == "¶" else " "
    return esc(t)


def _mark(tag: str, toks: list[str], other: list[str]) -> str:
    """Removed (`del`) or added (`ins`) tokens; where the other side has words too
    and most letters are the same, the letters that differ are in <b>
    (`companion-in-<b>i</b>arms`)."""
    if not toks:
        return ""
    if all(is_ws(t) for t in toks):
        if any(norm(t) == "¶" for t in toks):
            return f'<{tag} class="pb">¶</{tag}>'
        return " " if tag == "ins" else ""
    text = shown(toks)
    if not other or all(is_ws(t) for t in other):
        return f"<{tag}>{esc(text)}</{tag}>"
    o = shown(other)
    p, s = _common_ends(text, o)
    if 2 * (len(text) - p - s) > len(text) or 2 * (len(o) - p - s) > len(o):
        return f"<{tag}>{esc(text)}</{tag}>"  # most of the word changed: no letters to point at
    middle = text[p : len(text) - s]
    middle = f"<b>{esc(middle)}</b>" if middle else ""
    return f"<{tag}>{esc(text[:p])}{middle}{esc(text[len(text) - s :])}</{tag}>"


def _common_ends(a: str, b: str) -> tuple[int, int]:
    """Lengths of the longest common prefix, and of the longest common suffix of what is left."""
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    s = 0
    while s < len(a) - p and s < len(b) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return p, s


@lru_cache(maxsize=4096)  # layout hunks repeat a few pairs (' \n' → ' ') thousands of times a book
def markup(old: str, new: str) -> str:
    """`new` as HTML, with the words that differ from `old` as <del>/<ins>."""
    same1, gone, came, same2 = word_diff(old, new)
    return ("".join(map(_plain_tok, same1)) + _mark("del", gone, came) + _mark("ins", came, gone)
            + "".join(map(_plain_tok, same2)))


esc = html.escape  # quotes too (its default), for attributes; an alias, not a wrapper: called per hunk


# Whitespace runs holding a character the HTML parser would not keep as it is (it
# reads CR as LF): shown as a space, the run itself in an attribute.
_ODD_SPACE = re.compile(f"{_WS}*[\\r\\f\\v]{_WS}*")


def _codes(run: str) -> str:
    return ",".join(str(ord(c)) for c in run)


def plain(text: str) -> str:
    """Unchanged text as HTML, in bulk (unchanged text is most of a book). Its
    characters stay as the scan has them, whitespace too (the browser shows a run
    as one space), so that the page can map a selection back to the scan; a
    paragraph break is a <br> and an odd run a space, each holding its run."""
    text = esc(text)
    if "\n" in text:  # most stretches between two changes have no line break (cheap to ask)
        text = _PARA_RUN.sub(lambda m: f'<br class="pb" data-ws="{_codes(m.group())}">', text)
    if "\r" in text or "\f" in text or "\v" in text:
        text = _ODD_SPACE.sub(lambda m: f'<span class="ws" data-ws="{_codes(m.group())}"> </span>', text)
    return text


_CUT = "\x00"  # untouched by `plain`: neither whitespace nor escaped


def plain_each(texts: list[str]) -> list[str]:
    """`plain` of each text, in one call: a paragraph's stretches between changes
    are many and short, and `plain` costs most per call. Its escapes and
    whitespace runs never cross the cut character joining them."""
    joined = _CUT.join(texts)
    if joined.count(_CUT) != len(texts) - 1:  # a text holds the cut character itself
        return [plain(t) for t in texts]
    return plain(joined).split(_CUT)


# -- the page ---------------------------------------------------------------------------
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")  # two UTF-16 units each


def _u16(text: str, k: int) -> int:
    """Code-point offset → UTF-16 offset, the unit of the page's string slicing
    (asked only of a hunk holding astral characters: elsewhere the two are equal)."""
    return len(text[:k].encode("utf-16-le")) // 2


def _title(e: Edit) -> str:
    prop = " · proposal, not applied unless accepted" if e.proposed_only else ""
    return f"{e.rule} ({e.stage}) · confidence {e.confidence:g} · {e.reason} · id {e.id}{prop}"


def _payload(doc: Document, hunks: list[Hunk], kinds: list[str], d: Decisions,
             keys: dict[str, tuple[str, str]], unknown: list[tuple[str, list[str]]], pages: list) -> dict:
    rules = sorted({(e.rule, e.stage) for e in doc.edits})
    rule_ix = {r: i for i, r in enumerate(rules)}
    reasons = sorted({e.reason for e in doc.edits})
    reason_ix = {r: i for i, r in enumerate(reasons)}
    sources = [doc.source[h.start : h.end] for h in hunks]
    fixes = sorted(set(keys.values()))
    fix_ix = {k: i for i, k in enumerate(fixes)}
    edits: list = [None] * len(doc.edits)  # in log order, filled hunk by hunk
    for hi, (h, src) in enumerate(zip(hunks, sources)):
        wide = _ASTRAL.search(src) is not None  # else offsets need no `_u16` (most hunks)
        for i in h.edits:
            e = doc.edits[i]
            s, t = e.start - h.start, e.end - h.start
            edits[i] = [e.id, rule_ix[(e.rule, e.stage)], reason_ix[e.reason], e.confidence,
                        _u16(src, s) if wide else s, _u16(src, t) if wide else t, e.after,
                        list(e.replaces), int(e.proposed_only), kinds[i], hi, e.line,
                        fix_ix[keys[e.id]] if e.id in keys else -1, e.start]
    return {
        "book": doc.name, "stem": output_stem(doc.name or "book"),
        "source_sha": hashlib.sha256(doc.source.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        "corrections": fixes, "unknown": unknown, "pages": pages,
        "rules": rules, "reasons": reasons, "edits": edits,
        "hunks": [[src, h.edits, h.start, doc.source[h.start - 1 : h.start]] for h, src in zip(hunks, sources)],
        "decisions": decisions_json(d),
    }


def _json_for_html(obj) -> str:
    """JSON that cannot end its <script> element early: every <, > and & escaped."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


_PAGE_RULES = ("page-number", "signature-mark")
_NUMBER = re.compile("[0-9]+")


def _page_marks(doc: Document) -> list[list[int]]:
    """[source offset, page number] of each page number the scan printed (the
    numbers the debris stage took out), in source order."""
    out = []
    for e in doc.edits:
        if e.rule in _PAGE_RULES:
            nums = _NUMBER.findall(e.before)
            if nums:
                out.append([e.start, int(nums[-1])])
    return sorted(out)


def _unknown_spots(source: str, words: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, index into `words`) of each unknown word standing alone in the source."""
    if not words:
        return []
    ix = {w: i for i, w in enumerate(words)}
    return [(m.start(), m.end(), ix[m.group()]) for m in _WORD_RUN.finditer(source) if m.group() in ix]


_WORD_RUN = re.compile("\\w+")  # the unknown words are letter runs (cores of words)


def _blocks_with_unknown(blocks: list[Block], paras: list[tuple[int, int]], spots) -> list[Block]:
    """`blocks`, plus each paragraph that holds an unknown word and no change, so
    the errors left are in the page too."""
    starts = [p[0] for p in paras]
    covered = [(b.start, b.end) for b in blocks]
    extra = {}
    for s, t, _ in spots:
        k = bisect.bisect_right(starts, s) - 1
        if k < 0 or not paras[k][0] <= s < paras[k][1]:
            continue
        j = bisect.bisect_right(covered, (s, 1 << 62)) - 1
        if j >= 0 and covered[j][0] <= s < covered[j][1]:
            continue
        extra[k] = Block(*paras[k], kind="unknown")
    return sorted(blocks + list(extra.values()), key=lambda b: b.start)


def _with_unknown(texts: list[str], offsets: list[int], spots, starts, words) -> tuple[list[str], list[str]]:
    """Cut each unchanged stretch at its unknown words (`spots`, and their `starts`):
    (stretches, marks after each)."""
    out_t, out_m = [], []
    for text, off in zip(texts, offsets):
        k = bisect.bisect_left(starts, off)
        pos = off
        while k < len(spots) and spots[k][1] <= off + len(text):
            s, t, w = spots[k]
            out_t.append(text[pos - off : s - off])
            out_m.append(f'<span class="unk" data-u="{w}" data-s="{s}">{esc(words[w])}</span>')
            pos = t
            k += 1
        out_t.append(text[pos - off :])
        out_m.append(None)
    return out_t, out_m


def build(doc: Document, decisions: Decisions | None = None,
          unknown: dict[str, list[str]] | None = None) -> str:
    """The review page for `doc`, opened with `decisions` already made; `unknown`:
    the words no lexicon knows, with their suggestions (BOOK.unknown.tsv)."""
    d = decisions or Decisions()
    hunks, kinds = hunks_of(doc)
    keys = corrections(doc, kinds)
    if d.accept_corrections or d.reject_corrections:
        d.keys = keys
    paras = paragraphs(doc.source)
    blocks = blocks_of(doc.source, hunks, paras)
    words = sorted(unknown or {})
    spots = _unknown_spots(doc.source, words)
    spot_starts = [s for s, _, _ in spots]
    pages = _page_marks(doc)  # the scan's printed page numbers, beside each paragraph shown
    page_at = [p[0] for p in pages]
    n_changed = len(blocks)
    blocks = _blocks_with_unknown(blocks, paras, spots)
    n_paras = len(paras)
    body = []
    for bi, b in enumerate(blocks):
        between, spans, pos = [], [], b.start  # the unchanged stretches, and the hunks after each
        offsets = []
        for hi in b.hunks:
            h = hunks[hi]
            offsets.append(pos)
            between.append(doc.source[pos : h.start])
            state, inner = hunk_state(doc, h, d)
            ids = " ".join(doc.edits[i].id for i in h.edits)
            # Layout hunks (most of them) get their title from the script on hover:
            # it would be a third of the file for changes nobody sees.
            title = "" if h.kind == "layout" else "\n".join(_title(doc.edits[i]) for i in h.edits)
            title = f' title="{esc(title)}"' if title else ""
            spans.append(f'<span class="h k-{h.kind} {state}" data-h="{hi}" data-id="{ids}"{title}>{inner}</span>')
            pos = h.end
        offsets.append(pos)
        between.append(doc.source[pos : b.end])
        texts, marks = (_with_unknown(between, offsets, spots, spot_starts, words) if spots
                        else (between, [None] * len(between)))
        spans.append("")
        parts, k = [], 0
        for text, mark in zip(plain_each(texts), marks):
            parts.append(text)
            if mark is not None:
                parts.append(mark)
            else:
                parts.append(spans[k])
                k += 1
        hidden = " filtered" if b.kind == "layout" else ""  # the page's default filter
        k = bisect.bisect_right(page_at, b.start) - 1
        page = f" · after p. {pages[k][1]} of the scan" if k >= 0 else ""
        body.append(f'<section class="blk k-{b.kind}{hidden}" id="b{bi}" data-s="{b.start}">'
                    f'<a class="where" href="#b{bi}">'
                    f'line {doc.line_of(b.start)}{page}</a><p>{"".join(parts)}</p></section>')

    per_rule = Counter(e.rule for e in doc.edits)
    props = Counter(e.rule for e in doc.edits if e.proposed_only)
    stages_of = defaultdict(set)
    for e in doc.edits:
        stages_of[e.rule].add(e.stage)
    rule_kinds = defaultdict(set)
    for e, k in zip(doc.edits, kinds):
        rule_kinds[e.rule].add(k)
    rows = []
    for rule, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        off = " checked" if rule not in d.reject_rules else ""
        layout = " (layout)" if rule_kinds[rule] == {"layout"} else ""
        accept_btn = (f'<button class="accept-rule" data-rule="{esc(rule)}">accept its {props[rule]} '
                      f'proposals</button>' if props[rule] else "")
        rows.append(
            f'<tr data-rule="{esc(rule)}"><td><label><input type="checkbox" class="rule-on" '
            f'data-rule="{esc(rule)}"{off}> {esc(rule)}</label>{layout}</td>'
            f'<td>{esc(", ".join(sorted(stages_of[rule])))}</td><td class="num">{n}</td>'
            f'<td class="num">{props[rule] or ""}</td><td class="num rejected-n"></td><td>{accept_btn}</td></tr>')
    per_stage = Counter(e.stage for e in doc.edits)
    stage_line = ", ".join(f"{esc(s)} {n}" for s, n in per_stage.most_common())
    n_layout_blocks = sum(b.kind == "layout" for b in blocks)
    n_props = sum(e.proposed_only for e in doc.edits)
    options = lambda items: "".join(f'<option value="{esc(x)}">{esc(x)}</option>' for x in items)
    data = _json_for_html(_payload(doc, hunks, kinds, d, keys, [(w, (unknown or {})[w]) for w in words], pages))
    csp = (f"default-src 'none'; script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
           "img-src 'none'; connect-src 'none'; font-src 'none'; frame-src 'none'; "
           "form-action 'none'; base-uri 'none'")
    name = esc(doc.name or "book")
    summary = (f"{len(doc.edits)} changes ({n_props} proposals below the confidence threshold, "
               f"not applied unless accepted) in {n_changed} of {n_paras} paragraphs; "
               f"{n_layout_blocks} paragraphs with layout-only changes are hidden.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Changes to {name}</title>
<style>{_STYLE}</style></head>
<body>
<header>
<h1>Changes to {name}</h1>
<p id="summary">{summary}</p>
<p id="restored" class="note" hidden></p>
<details id="rule-table"><summary>Per stage: {stage_line or "none"}. Rules: {len(per_rule)} (open to reject one whole)</summary>
<table id="rules"><thead><tr><th>rule (untick to reject it)</th><th>stage</th><th>changes</th>
<th>proposals</th><th>rejected one by one</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>
<form id="filters" class="bar">
<label>rule <select id="f-rule"><option value="">all</option>{options(sorted(per_rule))}</select></label>
<label>stage <select id="f-stage"><option value="">all</option>{options(sorted(per_stage))}</select></label>
<label>confidence <input id="f-min" type="number" min="0" max="1" step="0.05" value="0">
to <input id="f-max" type="number" min="0" max="1" step="0.05" value="1"></label>
<label><input id="f-props" type="checkbox"> proposals only</label>
<label><input id="f-open" type="checkbox"> undecided only</label>
<label><input id="f-layout" type="checkbox"> show layout-only changes</label>
</form>
<p class="keys">Keys: <kbd>j</kbd>/<kbd>n</kbd> next change, <kbd>k</kbd>/<kbd>p</kbd> previous,
<kbd>U</kbd> next undecided, <kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>u</kbd> undo, <kbd>R</kbd> reject the rule,
<kbd>w</kbd> next unknown word, <kbd>e</kbd> export. Decisions are kept in this browser as you make them.
<span class="legend"><del>removed</del><ins>added</ins>
<span class="h prop"><ins>proposal</ins></span> <span class="h off">rejected</span> <span class="unk">unknown</span></span></p>
</header>
<main id="doc">{"".join(body) or "<p>No changes.</p>"}</main>
<div id="panel" aria-live="polite"><div id="current">Press <kbd>j</kbd> for the first change.</div>
<div class="bar"><span id="tally"></span>
<button id="export" type="button">Export decisions</button>
<label class="import">Import… <input id="import" type="file" accept=".json,application/json"></label>
</div>
<textarea id="decisions-json" rows="4" readonly placeholder="The exported decisions file appears here too."></textarea>
</div>
<script type="application/json" id="data">{data}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def _page_file(name: str) -> str:
    """The page's CSS or script, kept as package files (cleanup/page/) so they read
    as what they are; inlined into every report, since the page must stand alone."""
    from importlib.resources import files

    return files("cleanup").joinpath("page", name).read_text(encoding="utf-8")


_STYLE = _page_file("report.css")
_SCRIPT = _page_file("report.js")
