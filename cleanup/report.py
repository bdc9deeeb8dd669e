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
from dataclasses import dataclass, field
from functools import lru_cache

from .decisions import to_json as decisions_json
from .document import Decisions, Document, Edit, render
from .files import output_stem

# ASCII whitespace only, spelt out, so that Python and the page's script split
# text identically (their `\s` differ on a few exotic characters).
_WS = "[ \\t\\n\\r\\f\\v]"
_WS_RUN = re.compile(f"({_WS}+)")
_WS_SPLIT = re.compile(f"{_WS}+").split
_PARA_RUN = re.compile(f"(?<![ \\t\\r\\f\\v])[ \\t\\r\\f\\v]*\\n{_WS}*\\n{_WS}*")  # a whitespace run with 2+ line breaks (tried only where a run of spaces starts: linear)
_MAX_WIDEN = 60  # a hunk never grows more than this many characters either side


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
        start -= ahead.match(source[max(0, start - _MAX_WIDEN) : start][::-1]).end()
    if end < len(source) and (source[end] in _WS_CHARS) == ws:
        end = ahead.match(source, end, end + _MAX_WIDEN).end()
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
        spans.append((_widen(src, e.start, e.end, ws=False) if k == "word" else ws_span) + (i,))
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
    if len(h.edits) == 1 and not doc.edits[h.edits[0]].replaces:  # most hunks: `render` inline
        e = doc.edits[h.edits[0]]
        changed = src[: e.start - h.start] + e.after + src[e.end - h.start :]
        cur = changed if d.allows(e) else src
        return cur, changed if d.pending(e) else cur
    local = [doc.edits[i] for i in h.edits]
    cur = render(doc.source, local, d, span=(h.start, h.end))
    pending = {e.id for e in local if d.pending(e)}
    if not pending:
        return cur, cur
    accepted = Decisions(d.reject, d.accept | pending, d.reject_rules)
    return cur, render(doc.source, local, accepted, span=(h.start, h.end))


def _plain_tok(t: str) -> str:
    if is_ws(t):
        return '<br class="pb">' if norm(t) == "¶" else " "
    return esc(t)


def _mark(tag: str, toks: list[str]) -> str:
    if not toks:
        return ""
    if all(is_ws(t) for t in toks):
        if any(norm(t) == "¶" for t in toks):
            return f'<{tag} class="pb">¶</{tag}>'
        return " " if tag == "ins" else ""
    return f"<{tag}>{esc(shown(toks))}</{tag}>"


@lru_cache(maxsize=4096)  # layout hunks repeat a few pairs (' \n' → ' ') thousands of times a book
def markup(old: str, new: str) -> str:
    """`new` as HTML, with the words that differ from `old` as <del>/<ins>."""
    same1, gone, came, same2 = word_diff(old, new)
    return ("".join(map(_plain_tok, same1)) + _mark("del", gone) + _mark("ins", came)
            + "".join(map(_plain_tok, same2)))


esc = html.escape  # quotes too (its default), for attributes; an alias, not a wrapper: called per hunk


# Whitespace runs other than a lone space: most spaces are lone, and leaving them
# be (not rewriting each into itself) saves a third of `plain`'s time.
_ODD_SPACE = re.compile(f"[\\t\\n\\r\\f\\v]{_WS}*| {_WS}+")


def plain(text: str) -> str:
    """`_plain_tok` over every token, in bulk: unchanged text is most of a book."""
    text = esc(text)
    if "\n" in text:  # most stretches between two changes have no line break (cheap to ask)
        text = _PARA_RUN.sub('<br class="pb">', text)
    return _ODD_SPACE.sub(" ", text)


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


def _payload(doc: Document, hunks: list[Hunk], kinds: list[str], d: Decisions) -> dict:
    rules = sorted({(e.rule, e.stage) for e in doc.edits})
    rule_ix = {r: i for i, r in enumerate(rules)}
    reasons = sorted({e.reason for e in doc.edits})
    reason_ix = {r: i for i, r in enumerate(reasons)}
    sources = [doc.source[h.start : h.end] for h in hunks]
    edits: list = [None] * len(doc.edits)  # in log order, filled hunk by hunk
    for hi, (h, src) in enumerate(zip(hunks, sources)):
        wide = _ASTRAL.search(src) is not None  # else offsets need no `_u16` (most hunks)
        for i in h.edits:
            e = doc.edits[i]
            s, t = e.start - h.start, e.end - h.start
            edits[i] = [e.id, rule_ix[(e.rule, e.stage)], reason_ix[e.reason], e.confidence,
                        _u16(src, s) if wide else s, _u16(src, t) if wide else t, e.after,
                        list(e.replaces), int(e.proposed_only), kinds[i], hi, e.line]
    return {
        "book": doc.name, "stem": output_stem(doc.name or "book"),
        "rules": rules, "reasons": reasons, "edits": edits,
        "hunks": [[src, h.edits] for h, src in zip(hunks, sources)],
        "decisions": decisions_json(d),
    }


def _json_for_html(obj) -> str:
    """JSON that cannot end its <script> element early: every <, > and & escaped."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def build(doc: Document, decisions: Decisions | None = None) -> str:
    """The review page for `doc`, opened with `decisions` already made."""
    d = decisions or Decisions()
    hunks, kinds = hunks_of(doc)
    paras = paragraphs(doc.source)
    blocks = blocks_of(doc.source, hunks, paras)
    n_paras = len(paras)
    body = []
    for bi, b in enumerate(blocks):
        between, spans, pos = [], [], b.start  # the unchanged stretches, and the hunks after each
        for hi in b.hunks:
            h = hunks[hi]
            between.append(doc.source[pos : h.start])
            state, inner = hunk_state(doc, h, d)
            ids = " ".join(doc.edits[i].id for i in h.edits)
            # Layout hunks (most of them) get their title from the script on hover:
            # it would be a third of the file for changes nobody sees.
            title = "" if h.kind == "layout" else "\n".join(_title(doc.edits[i]) for i in h.edits)
            title = f' title="{esc(title)}"' if title else ""
            spans.append(f'<span class="h k-{h.kind} {state}" data-h="{hi}" data-id="{ids}"{title}>{inner}</span>')
            pos = h.end
        between.append(doc.source[pos : b.end])
        parts = []
        for text, span in zip(plain_each(between), spans + [""]):
            parts += (text, span)
        hidden = " filtered" if b.kind == "layout" else ""  # the page's default filter
        body.append(f'<section class="blk k-{b.kind}{hidden}" id="b{bi}"><a class="where" href="#b{bi}">'
                    f'line {doc.line_of(b.start)}</a><p>{"".join(parts)}</p></section>')

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
    data = _json_for_html(_payload(doc, hunks, kinds, d))
    csp = (f"default-src 'none'; script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
           "img-src 'none'; connect-src 'none'; font-src 'none'; frame-src 'none'; "
           "form-action 'none'; base-uri 'none'")
    name = esc(doc.name or "book")
    summary = (f"{len(doc.edits)} changes ({n_props} proposals below the confidence threshold, "
               f"not applied unless accepted) in {len(blocks)} of {n_paras} paragraphs; "
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
<p>Per stage: {stage_line or "none"}.</p>
<table id="rules"><thead><tr><th>rule (untick to reject it)</th><th>stage</th><th>changes</th>
<th>proposals</th><th>rejected one by one</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>
<form id="filters" class="bar">
<label>rule <select id="f-rule"><option value="">all</option>{options(sorted(per_rule))}</select></label>
<label>stage <select id="f-stage"><option value="">all</option>{options(sorted(per_stage))}</select></label>
<label>confidence <input id="f-min" type="number" min="0" max="1" step="0.05" value="0">
to <input id="f-max" type="number" min="0" max="1" step="0.05" value="1"></label>
<label><input id="f-props" type="checkbox"> proposals only</label>
<label><input id="f-layout" type="checkbox"> show layout-only changes</label>
</form>
<p class="keys">Keys: <kbd>j</kbd>/<kbd>n</kbd> next change, <kbd>k</kbd>/<kbd>p</kbd> previous,
<kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>u</kbd> undecide, <kbd>R</kbd> reject the rule,
<kbd>e</kbd> export. <span class="legend"><del>removed</del> <ins>added</ins>
<span class="h prop"><ins>proposal</ins></span> <span class="h off">rejected</span></span></p>
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


_STYLE = """
:root{--del:#a3201a;--delbg:#fbe3e1;--ins:#185f1c;--insbg:#dff1dc;--prop:#7a5b00;--propbg:#fff4cc}
body{font:17px/1.55 Georgia,'Times New Roman',serif;color:#222;margin:0 auto;max-width:50em;padding:0 1em 16em}
header{font:14px/1.4 system-ui,sans-serif}
h1{font-size:1.4em}
table#rules{border-collapse:collapse;margin:.5em 0}
#rules td,#rules th{padding:.15em .6em;border-bottom:1px solid #e4e4e4;text-align:left}
#rules td.num{text-align:right}
#rules tr.rejected td{color:#999;text-decoration:line-through}
.bar{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}
#filters input[type=number]{width:4.5em}
kbd{border:1px solid #bbb;border-radius:3px;padding:0 .3em;font-size:.9em;background:#f6f6f6}
.blk{margin:1.1em 0;padding:.1em .7em;border-left:3px solid #e0e0e0}
.blk p{margin:.2em 0}
.blk.filtered{display:none}
.where{font:12px system-ui,sans-serif;color:#888;text-decoration:none}
del{color:var(--del);background:var(--delbg);text-decoration:line-through}
ins{color:var(--ins);background:var(--insbg);text-decoration:none}
del.pb,ins.pb{font:.8em system-ui,sans-serif;opacity:.75;padding:0 .1em}
.h{border-radius:2px;cursor:pointer}
.h.prop del,.h.prop ins{color:var(--prop);background:var(--propbg);outline:1px dashed var(--prop)}
.h.off{text-decoration:underline dotted #888}
.h.k-layout.off{text-decoration:none}
body.show-layout .h.k-layout{background:#eaeefa}
.h.dim del{display:none}
.h.dim ins{color:inherit;background:none;outline:none}
.h.cur{outline:2px solid #1a62d6;outline-offset:1px}
#panel{position:fixed;left:0;right:0;bottom:0;background:#fbfbfb;border-top:1px solid #ccc;
 font:13px/1.4 system-ui,sans-serif;padding:.4em 1em;max-height:45vh;overflow:auto}
#current .edit{padding:.15em 0}
#current .edit.here{font-weight:600}
#current .state{color:#555;font-style:italic}
#current code{background:#f0f0f0;padding:0 .2em;white-space:pre-wrap}
#current .note{color:#a3201a}
#decisions-json{width:100%;font:12px monospace;margin-top:.3em}
.import input{font-size:12px}
"""

_SCRIPT = r"""
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const E = D.edits.map((a, i) => ({i, id: a[0], rule: D.rules[a[1]][0], stage: D.rules[a[1]][1],
  reason: D.reasons[a[2]], conf: a[3], s: a[4], e: a[5], after: a[6], replaces: a[7], prop: !!a[8],
  kind: a[9], h: a[10], line: a[11]}));
const H = D.hunks.map((a, i) => ({i, src: a[0], edits: a[1].map(k => E[k]), el: null}));
for (const el of document.querySelectorAll("#doc .h")) H[+el.dataset.h].el = el;
const dec = {reject: new Set(D.decisions.reject), accept: new Set(D.decisions.accept),
  rules: new Set(D.decisions.reject_rules)};
const hunksOfRule = new Map();
for (const e of E) {
  if (!hunksOfRule.has(e.rule)) hunksOfRule.set(e.rule, new Set());
  hunksOfRule.get(e.rule).add(e.h);
}
let dirty = false, nav = [], cur = -1;

// -- the rules of document.visible_edits and render, on one hunk --------------------
function visible(edits, d) {
  const byId = new Map(edits.map(e => [e.id, e])), parent = new Map(), memo = new Map();
  for (const e of edits) for (const c of e.replaces) parent.set(c, e.id);
  function alive(id) {
    if (!memo.has(id)) {
      const e = byId.get(id);
      const ok = (!e.prop || d.accept.has(id)) && !d.reject.has(id) && !d.rules.has(e.rule);
      memo.set(id, ok && e.replaces.every(c => byId.has(c) && alive(c)));
    }
    return memo.get(id);
  }
  const shown = edits.filter(e => alive(e.id) && !(parent.has(e.id) && alive(parent.get(e.id))));
  const applied = shown.filter(e => !e.prop), taken = applied.map(e => [e.s, e.e]);
  for (const e of shown.filter(e => e.prop)) {
    const clash = taken.some(([s, t]) => (s < e.e && e.s < t) || (s === t && t === e.s && e.s === e.e));
    if (!clash) { applied.push(e); taken.push([e.s, e.e]); }
  }
  return applied.sort((a, b) => a.s - b.s || a.e - b.e);
}
function renderSlice(src, edits, d) {
  let out = "", pos = 0;
  for (const e of visible(edits, d)) { out += src.slice(pos, e.s) + e.after; pos = e.e; }
  return out + src.slice(pos);
}

// -- word-level marks: the same as report.markup -------------------------------------
const WS_SPLIT = /([ \t\n\r\f\v]+)/, WS_FULL = /^[ \t\n\r\f\v]+$/;
const tokens = t => t.split(WS_SPLIT).filter(x => x !== "");
const isWs = t => WS_FULL.test(t);
const norm = t => isWs(t) ? ((t.split("\n").length - 1) >= 2 ? "\u00b6" : " ") : t;
const ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};
const esc = s => s.replace(/[&<>"']/g, c => ESC[c]);
const plainTok = t => isWs(t) ? (norm(t) === "\u00b6" ? '<br class="pb">' : " ") : esc(t);
function mark(tag, toks) {
  if (!toks.length) return "";
  if (toks.every(isWs)) {
    if (toks.some(t => norm(t) === "\u00b6")) return `<${tag} class="pb">\u00b6</${tag}>`;
    return tag === "ins" ? " " : "";
  }
  return `<${tag}>${esc(toks.map(norm).join(""))}</${tag}>`;
}
function markup(old, neu) {
  const a = tokens(old), b = tokens(neu), na = a.map(norm), nb = b.map(norm);
  let p = 0, s = 0;
  while (p < a.length && p < b.length && na[p] === nb[p]) p++;
  while (s < a.length - p && s < b.length - p && na[a.length - 1 - s] === nb[b.length - 1 - s]) s++;
  return b.slice(0, p).map(plainTok).join("") + mark("del", a.slice(p, a.length - s))
    + mark("ins", b.slice(p, b.length - s)) + b.slice(b.length - s).map(plainTok).join("");
}
function hunkState(h) {
  const cur = renderSlice(h.src, h.edits, dec);
  const pending = h.edits.filter(e => e.prop && !dec.accept.has(e.id) && !dec.reject.has(e.id)
    && !dec.rules.has(e.rule)).map(e => e.id);
  if (pending.length) {
    const sugg = renderSlice(h.src, h.edits, {...dec, accept: new Set([...dec.accept, ...pending])});
    if (sugg !== cur) return ["prop", markup(h.src, sugg)];
  }
  return [cur !== h.src ? "chg" : "off", markup(h.src, cur)];
}
function refreshHunk(h) {
  const [state, html] = hunkState(h);
  h.el.classList.remove("chg", "off", "prop");
  h.el.classList.add(state);
  if (h.el.innerHTML !== html) h.el.innerHTML = html;
}

// -- state of one edit, for the panel ------------------------------------------------
function stateOf(e) {
  if (dec.rules.has(e.rule)) return "rejected with its whole rule";
  if (dec.reject.has(e.id)) return "rejected";
  const vis = visible(H[e.h].edits, dec);
  if (vis.includes(e)) return e.prop ? "proposal, accepted" : (dec.accept.has(e.id) ? "accepted" : "applied");
  if (e.prop && !dec.accept.has(e.id)) return "proposal, not applied unless accepted";
  const parent = H[e.h].edits.find(p => p.replaces.includes(e.id) && vis.includes(p));
  if (parent) return `applied as part of ${parent.id} (${parent.rule})`;
  if (e.replaces.length) return "off: it builds on a change that is rejected";
  return "off: it clashes with an applied change";
}
function showPanel(note) {
  const box = document.getElementById("current");
  if (cur < 0 || !nav.length) {
    box.textContent = nav.length ? "Press j for the first change." : "No changes match the filters.";
    return;
  }
  const here = nav[cur], h = H[here.h];
  const rows = h.edits.map(e => {
    const before = h.src.slice(e.s, e.e);
    return `<div class="edit${e === here ? " here" : ""}" data-id="${esc(e.id)}">`
      + `<b>${esc(e.rule)}</b> (${esc(e.stage)}) \u00b7 confidence ${e.conf} \u00b7 line ${e.line} \u00b7 `
      + `id <code>${esc(e.id)}</code> \u00b7 <span class="state">${esc(stateOf(e))}</span><br>`
      + `<code>${esc(before)}</code> \u2192 <code>${esc(e.after)}</code> \u2014 ${esc(e.reason)} `
      + `<button type="button" data-act="accept" data-id="${esc(e.id)}">accept</button> `
      + `<button type="button" data-act="reject" data-id="${esc(e.id)}">reject</button> `
      + `<button type="button" data-act="clear" data-id="${esc(e.id)}">undecide</button> `
      + `<button type="button" data-act="reject-rule" data-id="${esc(e.id)}">reject rule ${esc(e.rule)}</button></div>`;
  });
  box.innerHTML = `<div>change ${cur + 1} of ${nav.length}</div>` + rows.join("")
    + (note ? `<div class="note">${esc(note)}</div>` : "");
}
function tally() {
  const n = s => s.size;
  document.getElementById("tally").textContent = `${n(dec.reject)} rejected, ${n(dec.accept)} accepted, `
    + `${n(dec.rules)} rules rejected` + (dirty ? " \u2014 not exported yet" : "");
  for (const tr of document.querySelectorAll("#rules tr[data-rule]")) {
    const rule = tr.dataset.rule;
    const k = E.filter(e => e.rule === rule && dec.reject.has(e.id)).length;
    tr.querySelector(".rejected-n").textContent = k || "";
    tr.classList.toggle("rejected", dec.rules.has(rule));
    tr.querySelector(".rule-on").checked = !dec.rules.has(rule);
  }
}

// -- decisions ------------------------------------------------------------------------
function changed(hunkIds) {
  dirty = true;
  for (const i of hunkIds) refreshHunk(H[i]);
  tally();
}
function decide(e, what) {
  let note = "";
  dec.reject.delete(e.id); dec.accept.delete(e.id);
  if (what === "accept") dec.accept.add(e.id);
  if (what === "reject") dec.reject.add(e.id);
  if (what === "accept" && dec.rules.has(e.rule))
    note = `Rule ${e.rule} is rejected as a whole, which wins: tick it again to keep single changes.`;
  changed([e.h]);
  showPanel(note);
}
function setRule(rule, rejected) {
  if (rejected) dec.rules.add(rule); else dec.rules.delete(rule);
  changed(hunksOfRule.get(rule) || []);
  showPanel();
}
function acceptRuleProposals(rule) {
  for (const e of E) if (e.rule === rule && e.prop) { dec.accept.add(e.id); dec.reject.delete(e.id); }
  setRule(rule, false);
}
function decisionsJson() {
  const sorted = s => [...s].sort();
  const obj = {book: D.book || undefined, reject: sorted(dec.reject), accept: sorted(dec.accept),
    reject_rules: sorted(dec.rules)};
  return JSON.stringify(obj, null, 1) + "\n";
}
function exportDecisions() {
  const text = decisionsJson();
  document.getElementById("decisions-json").value = text;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
  a.download = `${D.stem}.decisions.json`;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  dirty = false; tally();
}
function importDecisions(text) {
  let obj;
  try { obj = JSON.parse(text); } catch (err) { alert(`Not a decisions file: ${err.message}`); return; }
  const lists = ["reject", "accept", "reject_rules"];
  if (!obj || typeof obj !== "object" || lists.some(k => obj[k] !== undefined
      && !(Array.isArray(obj[k]) && obj[k].every(x => typeof x === "string")))) {
    alert("Not a decisions file: expected lists of strings under reject, accept, reject_rules."); return;
  }
  dec.reject = new Set(obj.reject || []); dec.accept = new Set(obj.accept || []);
  dec.rules = new Set(obj.reject_rules || []);
  changed(H.map(h => h.i)); showPanel();
}

// -- filters and navigation -------------------------------------------------------------
function passes(e, f) {
  return (!f.rule || e.rule === f.rule) && (!f.stage || e.stage === f.stage) && e.conf >= f.min
    && e.conf <= f.max && (!f.props || e.prop) && (f.layout || e.kind !== "layout");
}
function applyFilters() {
  const v = id => document.getElementById(id);
  const f = {rule: v("f-rule").value, stage: v("f-stage").value, min: parseFloat(v("f-min").value) || 0,
    max: v("f-max").value === "" ? 1 : parseFloat(v("f-max").value), props: v("f-props").checked,
    layout: v("f-layout").checked};
  document.body.classList.toggle("show-layout", f.layout);
  const here = nav[cur];
  nav = [];
  const live = new Set();
  for (const h of H) {
    const ok = h.edits.filter(e => passes(e, f));
    h.el.classList.toggle("dim", !ok.length);
    if (ok.length) live.add(h.el.closest(".blk"));
    nav.push(...ok);
  }
  for (const b of document.querySelectorAll("#doc .blk")) b.classList.toggle("filtered", !live.has(b));
  cur = here ? nav.indexOf(here) : -1;
  if (cur < 0 && here) cur = Math.min(nav.length - 1, nav.findIndex(e => e.h >= here.h));
  select(cur, false);
}
function select(k, scroll = true) {
  for (const el of document.querySelectorAll("#doc .h.cur")) el.classList.remove("cur");
  cur = nav.length ? Math.max(-1, Math.min(k, nav.length - 1)) : -1;
  if (cur >= 0) {
    const el = H[nav[cur].h].el;
    el.classList.add("cur");
    if (scroll) el.scrollIntoView({block: "center"});
  }
  showPanel();
}
const move = step => select(cur < 0 ? (step > 0 ? 0 : nav.length - 1) : cur + step);

document.addEventListener("keydown", ev => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest("input:not([type=checkbox]), textarea, select")) return;  // typing there
  const here = nav[cur];
  const acts = {j: () => move(1), n: () => move(1), k: () => move(-1), p: () => move(-1),
    a: () => here && decide(here, "accept"), r: () => here && decide(here, "reject"),
    u: () => here && decide(here, "clear"), R: () => here && setRule(here.rule, true), e: exportDecisions};
  if (acts[ev.key]) { ev.preventDefault(); acts[ev.key](); }
});
document.getElementById("current").addEventListener("click", ev => {
  const b = ev.target.closest("button[data-act]");
  if (!b) return;
  const e = E.find(x => x.id === b.dataset.id);
  if (b.dataset.act === "reject-rule") setRule(e.rule, true); else decide(e, b.dataset.act);
});
document.getElementById("doc").addEventListener("click", ev => {
  const el = ev.target.closest(".h");
  if (!el) return;
  const k = nav.findIndex(e => e.h === +el.dataset.h);
  if (k >= 0) select(k, false);
});
const titleOf = e => `${e.rule} (${e.stage}) \u00b7 confidence ${e.conf} \u00b7 ${e.reason} \u00b7 id ${e.id}`
  + (e.prop ? " \u00b7 proposal, not applied unless accepted" : "");
document.getElementById("doc").addEventListener("pointerover", ev => {
  const el = ev.target.closest(".h");
  if (el && !el.title) el.title = H[+el.dataset.h].edits.map(titleOf).join("\n");
});
document.getElementById("rules").addEventListener("change", ev => {
  if (ev.target.classList.contains("rule-on")) setRule(ev.target.dataset.rule, !ev.target.checked);
});
document.getElementById("rules").addEventListener("click", ev => {
  if (ev.target.classList.contains("accept-rule")) acceptRuleProposals(ev.target.dataset.rule);
});
document.getElementById("filters").addEventListener("input", applyFilters);
document.addEventListener("change", ev => {  // hand the keys back to the page after a choice
  if (ev.target.matches("select, input[type=checkbox]")) ev.target.blur();
});
document.getElementById("filters").addEventListener("submit", ev => ev.preventDefault());
document.getElementById("export").addEventListener("click", exportDecisions);
document.getElementById("import").addEventListener("change", ev => {
  const file = ev.target.files[0];
  if (file) file.text().then(importDecisions);
});
window.addEventListener("beforeunload", ev => { if (dirty) { ev.preventDefault(); ev.returnValue = ""; } });
applyFilters();
tally();
document.body.dataset.ready = "1";
"""
