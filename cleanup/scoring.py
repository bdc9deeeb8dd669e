"""How good is a cleaning? Compare the raw scan and the cleaned text with a
proofread ("gold") text: error rates before and after, words fixed and broken,
paragraph breaks, and for each rule how many of its changes were right.

Text is compared as whitespace tokens; paragraph breaks (blank lines) are scored
separately, so line wrapping never counts as an error."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .counts import tally
from .document import Decisions, Edit, visible_edits
from .errors import UserError

_MARKS = ".,;:!?\"'“”‘’()[]-—–*"
MIN_RUN = 2  # words aligned in runs at least this long: chance matches (`the`, `of`) come alone


def aligned_share(a: str, b: str) -> float:
    """How much of two texts is the same words in the same order: the share of the
    longer text's words that align with the other's in runs of at least MIN_RUN
    (case and surrounding marks aside). Two scans of the same pages share most of
    their words, even through heavy OCR damage; different pages share almost none
    (measured on the shared sets: real pairs 0.07 to 1, except one unreadable scan;
    mismatched pairs at most 0.04)."""
    x = [w.strip(_MARKS).lower() for w in a.split()]
    y = [w.strip(_MARKS).lower() for w in b.split()]
    same = sum(op.src_end - op.src_start for op in Levenshtein.opcodes(x, y)
               if op.tag == "equal" and op.src_end - op.src_start >= MIN_RUN)
    return same / max(1, len(x), len(y))


def check_same_pages(a: str, b: str, a_name, b_name, min_share: float) -> float:
    """Stop with a clear message when `a` and `b` are not texts of the same pages;
    return their aligned share. The threshold is the profile's
    `[checks] min_aligned_words`."""
    share = aligned_share(a, b)
    if share < min_share:
        raise UserError(f"{a_name} and {b_name} do not look like the same pages: only {100 * share:.0f} % of "
                        f"their words align (at least {100 * min_share:.0f} % expected: [checks] "
                        "min_aligned_words in the profile). Check that the files are paired right and cover the same pages.")
    return share


def _tokens(text: str) -> tuple[list[str], list[int], set[int]]:
    """Whitespace tokens, their character offsets, and the token indices that
    start a paragraph."""
    toks, offs, starts = [], [], set()
    pos, new_para = 0, True
    for line in text.split("\n"):
        if not line.strip():
            new_para = True
        col = 0
        for word in line.split():
            col = line.index(word, col)
            if new_para:
                starts.add(len(toks))
                new_para = False
            toks.append(word)
            offs.append(pos + col)
            col += len(word)
        pos += len(line) + 1
    return toks, offs, starts


def _align(hyp: list[str], gold: list[str]) -> tuple[list[bool], dict[int, int]]:
    """Which gold tokens hyp has exactly, and hyp token → gold token for those
    aligned one to one."""
    right = [False] * len(gold)
    to_gold: dict[int, int] = {}
    for op in Levenshtein.opcodes(hyp, gold):
        n = op.src_end - op.src_start
        if op.tag == "equal" or (op.tag == "replace" and n == op.dest_end - op.dest_start):
            for k in range(n):
                to_gold[op.src_start + k] = op.dest_start + k
                if op.tag == "equal":
                    right[op.dest_start + k] = True
    return right, to_gold


@dataclass
class Score:
    chars: int
    words: int
    cer_raw: float
    cer: float
    wer_raw: float
    wer: float
    fixed: int
    broken: int
    para_precision: float
    para_recall: float
    para_f1: float
    rules: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def gain(self) -> float:
        return (self.cer_raw - self.cer) / self.cer_raw if self.cer_raw else 0.0

    def lines(self) -> list[str]:
        out = [
            f"CER   {100 * self.cer_raw:6.2f}% → {100 * self.cer:6.2f}%   (gain {100 * self.gain:.1f}% of the scan's errors removed)",
            f"WER   {100 * self.wer_raw:6.2f}% → {100 * self.wer:6.2f}%",
            f"words fixed {self.fixed}, broken {self.broken} (of {self.words})",
            f"paragraph breaks P/R/F1 {self.para_precision:.2f}/{self.para_recall:.2f}/{self.para_f1:.2f}",
        ]
        if self.rules:
            out.append(f"{'rule':<24} {'applied':>7} {'proposed':>8} {'right':>6} {'wrong':>6} {'broke':>6}")
            for rule, c in sorted(self.rules.items(), key=lambda kv: (-kv[1]["applied"], -kv[1]["proposed"], kv[0])):
                out.append(f"{rule:<24} {c['applied']:>7} {c['proposed']:>8} {c['right']:>6} {c['wrong']:>6} {c['broke']:>6}")
        return out


def rendered_spans(source: str, edits: list[Edit]) -> tuple[str, list[tuple[Edit, int, int]]]:
    """The text the edits produce, and where each edit's output landed in it."""
    parts, spans, pos, out_len = [], [], 0, 0
    for e in edits:
        piece = source[pos : e.start]
        parts.append(piece)
        out_len += len(piece)
        parts.append(e.after)
        spans.append((e, out_len, out_len + len(e.after)))
        out_len += len(e.after)
        pos = e.end
    parts.append(source[pos:])
    return "".join(parts), spans


def source_from_log(cleaned: str, edits: list[Edit], decisions: Decisions | None = None) -> str:
    """Rebuild the source from a cleaned text and its change log: between two
    visible edits the text is the source's own; each edit gives back its `before`."""
    parts, src_pos, out_pos = [], 0, 0
    for e in visible_edits(edits, decisions):
        keep = e.start - src_pos
        parts.append(cleaned[out_pos : out_pos + keep])
        parts.append(e.before)
        out_pos += keep + len(e.after)
        src_pos = e.end
    parts.append(cleaned[out_pos:])
    return "".join(parts)


def score(raw: str, cleaned: str, gold: str, edits: list[Edit] | None = None,
          decisions: Decisions | None = None) -> Score:
    """Score `cleaned` (made from `raw`) against `gold`. With the change log,
    also judge each rule: an edit is right when every word it touched is right
    afterwards, and broke something when those words were right in the scan."""
    g, _, g_starts = _tokens(gold)
    h, h_offs, h_starts = _tokens(cleaned)
    r, r_offs, _ = _tokens(raw)
    gold_s = " ".join(g)
    right_h, h_to_g = _align(h, g)
    right_r, r_to_g = _align(r, g)
    hyp_breaks = {h_to_g[i] for i in h_starts if i in h_to_g and h_to_g[i] > 0}
    gold_breaks = {i for i in g_starts if i > 0}
    tp = len(hyp_breaks & gold_breaks)
    p = tp / len(hyp_breaks) if hyp_breaks else 0.0
    rc = tp / len(gold_breaks) if gold_breaks else 0.0
    result = Score(
        chars=len(gold_s), words=len(g),
        cer_raw=Levenshtein.distance(" ".join(r), gold_s) / max(1, len(gold_s)),
        cer=Levenshtein.distance(" ".join(h), gold_s) / max(1, len(gold_s)),
        wer_raw=Levenshtein.distance(r, g) / max(1, len(g)),
        wer=Levenshtein.distance(h, g) / max(1, len(g)),
        fixed=sum(1 for k in range(len(g)) if right_h[k] and not right_r[k]),
        broken=sum(1 for k in range(len(g)) if right_r[k] and not right_h[k]),
        para_precision=p, para_recall=rc, para_f1=2 * p * rc / (p + rc) if p + rc else 0.0,
    )
    if edits is not None:
        result.rules = _judge_rules(raw, edits, decisions, (h, h_offs, h_to_g, right_h), (r, r_offs, r_to_g, right_r))
    return result


def touched_tokens(offs: list[int], toks: list[str], start: int, end: int) -> list[int]:
    """Token indices whose characters meet [start, end], or touch it when the
    span is empty or blank (a join or break acts on its neighbours)."""
    i = max(0, bisect.bisect_right(offs, start) - 1)
    out = []
    while i < len(offs) and offs[i] <= end:
        if offs[i] + len(toks[i]) >= start:
            out.append(i)
        i += 1
    return out


def _judge_rules(raw, edits, decisions, hyp, scan):
    """Per rule: changes applied and proposed (counted from the log as everywhere,
    `counts.tally`), and of the applied ones how many were right, wrong, and wrong
    in a way that broke words the scan had right. `hyp` and `scan` are (tokens,
    offsets, → gold, right). An edit a later one built on (a page number removed,
    then the lines around it joined) shares the verdict of the change that shows."""
    h, h_offs, h_to_g, right_h = hyp
    r, r_offs, r_to_g, right_r = scan
    d = decisions or Decisions()
    by_id = {e.id: e for e in edits}
    _, spans = rendered_spans(raw, visible_edits(edits, decisions))
    rules: dict[str, dict[str, int]] = {
        rule: {"applied": t.applied, "proposed": t.proposed, "right": 0, "wrong": 0, "broke": 0}
        for rule, t in tally(edits, "rule", decisions).items()}
    for e, s, t in spans:
        hyp_toks = touched_tokens(h_offs, h, s, t)
        if hyp_toks and all(i in h_to_g and right_h[h_to_g[i]] for i in hyp_toks):
            verdict = ("right",)
        else:
            raw_toks = touched_tokens(r_offs, r, e.start, e.end)
            broke = raw_toks and all(i in r_to_g and right_r[r_to_g[i]] for i in raw_toks)
            verdict = ("wrong", "broke") if broke else ("wrong",)
        stack, seen = [e], set()
        while stack:  # the shown change and every applied change it was built on
            x = stack.pop()
            if x.id in seen:
                continue
            seen.add(x.id)
            if d.allows(x):
                for v in verdict:
                    rules[x.rule][v] += 1
            stack += [by_id[c] for c in x.replaces if c in by_id]
    return rules
