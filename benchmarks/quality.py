#!/usr/bin/env python3
"""One quality benchmark: clean every shared set and the memoir, score each with the
shared scorers, and print one table, then how often each rule's changes agree with
the truth (the figures rule confidences are calibrated from).

    python benchmarks/quality.py                 # every set (about two minutes on 2 cores)
    python benchmarks/quality.py --sets books,memoir --keep /tmp/q   # some sets; keep outputs
    python benchmarks/quality.py --json q.json   # the figures, for comparing runs

The scorers are the shared ones (`../shared/bench/score.py`, `score_books.py`,
`score_external.py`), run as they are, so the table is what they print. The shared
folder is found beside the repository (`--shared` to point elsewhere).

Per-rule agreement: each change in a cleaned page's log is judged against the
page's truth by its words. The page's raw, cleaned and true texts are cut into
whitespace tokens, compared by a key (on the sets scored case- and
punctuation-blind, the key is the token lower-cased with its marks dropped), and
aligned to the truth; a change is *right* when every token its output touches is
aligned to an equal truth token, *broke* when it is not right and every raw token
it touched was. Proposals (not applied) are judged as if they had all been accepted:
a kind of proposal right this often could be applied. Pages of the sets
learned from (ICDAR 2017 monograph `train`, Overproof `train`) are not scored.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from cleanup.counts import Tally, tally
from cleanup.document import Decisions, Edit, visible_edits
from cleanup.outputs import read_changes
from cleanup.scoring import rendered_spans, touched_tokens

REPO = Path(__file__).resolve().parent.parent
MEMOIR = "zetkin-my-recollections-of-lenin"
BORN = "lenin-testament-quotes"


@dataclass
class SetSpec:
    key: str  # short name on the command line and in the table
    folder: str  # under ../shared/bench/external
    norm: str = "default"  # score_external --norm
    split: str | None = None  # score only the pages of this split


EXTERNAL = [
    SetSpec("periodical", "icdar2017_eng_periodical", norm="loose"),
    SetSpec("icdar2019", "icdar2019_en", norm="loose"),
    SetSpec("overproof", "overproof_newspapers", split="test"),
    SetSpec("monograph", "icdar2017_eng_monograph", split="eval"),
]
ALL_SETS = ["memoir", "born", "books"] + [s.key for s in EXTERNAL]


@dataclass
class Row:
    name: str
    pages: int = 0
    cer_raw: float = 0.0
    cer: float = 0.0
    gain: float = 0.0
    fixed: int = 0
    broken: int = 0
    better: int | None = None
    worse: int | None = None
    pref: float | None = None
    para_f1: float | None = None
    extra: str = ""
    seconds: float = 0.0


@dataclass
class Agreement:
    """Per rule: applied changes and proposals, judged against the truth."""

    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, rule: str, kind: str, verdict: str) -> None:
        c = self.counts[rule]
        c[kind] += 1
        c[f"{kind}_{verdict}"] += 1


# --- running the cleaner and the scorers -------------------------------------------

def cleanup_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleanup", *args]


def run(cmd: list[str], **kw) -> str:
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in (0, 1):  # 1: some book failed, which the scores show
        sys.exit(f"quality: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return p.stdout


def num(pattern: str, text: str, cast=float):
    m = re.search(pattern, text)
    return cast(m.group(1)) if m else None


def score_external(shared: Path, spec: SetSpec, hyp: Path) -> Row:
    cmd = [sys.executable, str(shared / "score_external.py"), "--set", str(shared / "external" / spec.folder),
           "--hyp", str(hyp), "--norm", spec.norm]
    if spec.split:
        cmd += ["--only-split", spec.split]
    out = run(cmd)
    pub = num(r"cer published system ([\d.]+)%", out)
    return Row(
        name=spec.folder + (f" ({spec.split})" if spec.split else "") + (" loose" if spec.norm == "loose" else ""),
        pages=num(r"pages (\d+)", out, int), cer_raw=num(r"cer raw ([\d.]+)%", out),
        cer=num(r"cleaned ([\d.]+)%", out), gain=num(r"gain (-?[\d.]+)%", out) or 0.0,
        fixed=num(r"fixed (\d+)", out, int), broken=num(r"broken (\d+)", out, int),
        better=num(r"improved (\d+)", out, int), worse=num(r"worsened (\d+)", out, int),
        pref=num(r"pref ([+-][\d.]+)", out), extra=f"published system {pub:.2f} %" if pub is not None else "")


def score_books(shared: Path, hyp: Path) -> Row:
    out = run([sys.executable, str(shared / "score_books.py"), "--set", str(shared / "external" / "books_dev"),
               "--hyp", str(hyp)])
    m = re.search(r"^ALL\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%\s+(-?[\d.]+)%\s+(\d+)\s+(\d+)\s+[\d.]+/[\d.]+/([\d.]+)",
                  out, re.M)
    worse = num(r"worse (\d+)", out, int)
    books = num(r"books (\d+)", out, int)
    return Row(name="books_dev", pages=books, cer_raw=float(m[2]), cer=float(m[3]), gain=float(m[4]),
               fixed=int(m[5]), broken=int(m[6]), better=num(r"better (\d+)", out, int), worse=worse,
               para_f1=float(m[7]), extra="books, not pages")


def score_memoir(shared: Path, hyp: Path) -> Row:
    out = run([sys.executable, str(shared / "score.py"), "--book", str(REPO / "seeds" / f"{MEMOIR}.txt"),
               "--hyp", str(hyp / f"{MEMOIR}.txt"), "--gold", str(shared / "zetkin"), "--json"])
    t = json.loads(out)["totals"]["dev"]
    p = t["para_tp"] / t["para_hyp"] if t["para_hyp"] else 0.0
    r = t["para_tp"] / t["para_gold"] if t["para_gold"] else 0.0
    raw, hyp_d = t["cer_raw_d"] / t["chars"], t["cer_d"] / t["chars"]
    return Row(name="memoir (dev chunks)", pages=len([r for r in json.loads(out)["chunks"] if r["split"] == "dev"]), cer_raw=100 * raw, cer=100 * hyp_d,
               gain=100 * (raw - hyp_d) / raw if raw else 0.0, fixed=t["fixed"], broken=t["broken"],
               para_f1=2 * p * r / (p + r) if p + r else 0.0, extra="6 chunks")


def born_digital(out_dir: Path) -> Row:
    edits = read_changes(out_dir / f"{BORN}.changes.jsonl")
    words = tally(edits, "stage").get("words", Tally()).applied  # counted as `cleanup run` counts
    text = (out_dir / f"{BORN}.txt").read_text(encoding="utf-8")
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    return Row(name="born-digital seed", pages=1, extra=f"{words} words changed, {paragraphs} paragraphs")


# --- per-rule agreement --------------------------------------------------------------

# As score_external.py compares: a truth that keeps a line-end hyphen (`nomi-` / `nation`,
# `Superin- tendent`) is read joined, so a join that made the word counts as right.
HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n[ \t]*(?=[a-z])")
SPACED_HYPHEN = re.compile(r"(\w)-\s+(?=[a-z])")


def tokens(text: str, loose: bool = False) -> tuple[list[str], list[int]]:
    """Whitespace-separated tokens with their offsets; loose, runs of word characters
    (score_external's loose norm turns every other character into a space)."""
    toks, offs = [], []
    for m in re.finditer(r"\w+" if loose else r"\S+", text):
        toks.append(m.group())
        offs.append(m.start())
    return toks, offs


def aligned(a: list[str], gold: list[str]) -> tuple[list[bool], list[tuple[int, int]]]:
    """For each token of `a`: is it aligned to an equal gold token, and the gold
    tokens [start, end) of its alignment block."""
    right = [False] * len(a)
    span = [(0, 0)] * len(a)
    for op in Levenshtein.opcodes(a, gold):
        for k in range(op.src_start, op.src_end):
            right[k] = op.tag == "equal"
            span[k] = (op.dest_start + k - op.src_start, op.dest_start + k - op.src_start + 1) if op.tag == "equal" \
                else (op.dest_start, op.dest_end)
    return right, span


# As score_books.py compares: quotes and dashes folded (the gold's curly quotes and
# em dashes match an OCR's straight ones)
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"})
DASHES = re.compile(r"[-‐‑‒–—―−]+")


def judge_page(raw: str, gold: str, edits: list[Edit], loose: bool, agree: Agreement, folded: bool = False) -> None:
    if loose:
        key = str.lower  # (loose tokens are runs of word characters already: `tokens`)
    elif folded:
        key = lambda t: DASHES.sub("-", t.translate(QUOTES))  # noqa: E731
    else:
        key = lambda t: t  # noqa: E731
    gold = HYPHEN_BREAK.sub(r"\1", gold)
    if loose:
        gold = SPACED_HYPHEN.sub(r"\1", gold)
    g = [key(t) for t in tokens(gold, loose)[0]]
    r_toks, r_offs = tokens(raw, loose)
    r_right, r_span = aligned([key(t) for t in r_toks], g)

    def nearer(h_toks, hit, h_span, was) -> bool:
        """The changed words are nearer their truth than the scan's were (in letters),
        though not yet right: a mark rule's speck gone from a word still misread."""
        spans = [h_span[i] for i in hit] + [r_span[i] for i in was]
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        truth = " ".join(g[lo:hi])
        return (Levenshtein.distance(" ".join(key(h_toks[i]) for i in hit), truth)
                < Levenshtein.distance(" ".join(key(r_toks[i]) for i in was), truth))

    def judge(shown: list[Edit], judged: set[str], kind: str) -> None:
        text, spans = rendered_spans(raw, shown)
        h_toks, h_offs = tokens(text, loose)
        h_right, h_span = aligned([key(t) for t in h_toks], g)
        for e, s, t in spans:
            if e.id not in judged:
                continue
            hit = touched_tokens(h_offs, h_toks, s, t)
            was = touched_tokens(r_offs, r_toks, e.start, e.end)
            if [key(h_toks[i]) for i in hit] == [key(r_toks[i]) for i in was]:
                agree.add(e.rule, kind, "neutral")  # the words are as they were (a line end, a space)
            elif hit and all(h_right[i] for i in hit):
                agree.add(e.rule, kind, "right")
            elif was and all(r_right[i] for i in was):
                agree.add(e.rule, kind, "broke")
            else:
                agree.add(e.rule, kind, "nearer" if hit and was and nearer(h_toks, hit, h_span, was) else "wrong")

    shown = visible_edits(edits)
    judge(shown, {e.id for e in shown}, "applied")
    proposals = {e.id for e in edits if e.proposed_only}
    if proposals:  # all accepted at once: those that clash with an applied edit are not judged
        judge(visible_edits(edits, Decisions(accept=proposals)), proposals, "proposed")


def judge_external(shared: Path, spec: SetSpec, hyp: Path, agree: Agreement) -> None:
    folder = shared / "external" / spec.folder
    wanted = split_ids(folder, spec.split)
    for p in sorted(hyp.glob("*.changes.jsonl")):
        pid = p.name.removesuffix(".changes.jsonl")
        if wanted is not None and pid not in wanted:
            continue
        raw = (folder / "ocr" / f"{pid}.txt").read_text(encoding="utf-8")
        gold = (folder / "gt" / f"{pid}.txt").read_text(encoding="utf-8")
        judge_page(raw, gold, read_changes(p), spec.norm == "loose", agree)


def split_ids(folder: Path, split: str | None) -> set[str] | None:
    if split is None:
        return None
    lines = (folder / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].lstrip("#").strip().split("\t")
    col = head.index("split") if "split" in head else head.index("icdar_split")
    return {row.split("\t")[0] for row in lines[1:] if row.split("\t")[col] == split}


def judge_books(shared: Path, hyp: Path, agree: Agreement) -> None:
    folder = shared / "external" / "books_dev"
    for gold_path in sorted((folder / "gold").glob("*.txt")):
        raw = (folder / "raw" / gold_path.name).read_text(encoding="utf-8")
        edits = read_changes(hyp / gold_path.name.replace(".txt", ".changes.jsonl"))
        judge_page(raw, gold_path.read_text(encoding="utf-8"), edits, False, agree, folded=True)


def judge_memoir(shared: Path, hyp: Path, agree: Agreement) -> None:
    """The dev chunks only: each chunk's stretch of the source with the edits inside it."""
    source = (REPO / "seeds" / f"{MEMOIR}.txt").read_text(encoding="utf-8")
    starts = [0] + [m.end() for m in re.finditer("\n", source)]
    edits = read_changes(hyp / f"{MEMOIR}.changes.jsonl")
    for row in (shared / "zetkin" / "chunks.tsv").read_text(encoding="utf-8").splitlines():
        if row.startswith("#"):
            continue
        name, first, last, split = row.split("\t")[:4]
        if split != "dev":
            continue
        lo, hi = starts[int(first) - 1], starts[int(last)] if int(last) < len(starts) else len(source)
        inside = [e for e in edits if lo <= e.start and e.end <= hi]
        ids = {e.id for e in inside}
        inside = [replace(e, start=e.start - lo, end=e.end - lo, replaces=tuple(c for c in e.replaces if c in ids))
                  for e in inside]
        gold = (shared / "zetkin" / "gold" / f"{name}.txt").read_text(encoding="utf-8")
        judge_page(source[lo:hi], gold, inside, False, agree)


# --- the whole run -------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help=f"comma-separated, of: {', '.join(ALL_SETS)}")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--profile", help="a profile to clean with (default: the shipped default)")
    ap.add_argument("--keep", type=Path, help="write the cleaned outputs here (default: a temporary folder)")
    ap.add_argument("--no-rules", action="store_true", help="skip the per-rule agreement table")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    a = ap.parse_args()
    shared = a.shared.resolve()
    if not (shared / "score_external.py").exists():
        sys.exit(f"quality: {shared} holds no shared benchmark (score_external.py); give --shared")
    sets = [s.strip() for s in a.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in ALL_SETS]
    if unknown:
        sys.exit(f"quality: unknown set(s) {', '.join(unknown)}; known: {', '.join(ALL_SETS)}")
    prof = ["--profile", a.profile] if a.profile else []
    work = a.keep or Path(tempfile.mkdtemp(prefix="cleanup-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    agree: dict[str, Agreement] = {}
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def timed(fn):
        t0 = time.perf_counter()
        row = fn()
        row.seconds = time.perf_counter() - t0
        rows.append(row)
        print(f"  {row.name}: {row.seconds:.0f} s", file=sys.stderr)

    if "memoir" in sets or "born" in sets:
        seeds = work / "seeds"
        books = [str(REPO / "seeds" / f"{n}.txt") for n, k in ((MEMOIR, "memoir"), (BORN, "born")) if k in sets]

        def seeds_row() -> Row:
            run(cleanup_cmd("run", *books, "-o", str(seeds), *prof), env=env)
            return score_memoir(shared, seeds) if "memoir" in sets else born_digital(seeds)
        timed(seeds_row)
        if "memoir" in sets and "born" in sets:
            rows.append(born_digital(seeds))
        if "memoir" in sets and not a.no_rules:
            judge_memoir(shared, seeds, agree.setdefault("memoir", Agreement()))
    if "books" in sets:
        out = work / "books_dev"

        def books_row() -> Row:
            raws = sorted(str(p) for p in (shared / "external" / "books_dev" / "raw").glob("*.txt"))
            run(cleanup_cmd("run", *raws, "-o", str(out), *prof), env=env)
            return score_books(shared, out)
        timed(books_row)
        if not a.no_rules:
            judge_books(shared, out, agree.setdefault("books_dev", Agreement()))
    for spec in EXTERNAL:
        if spec.key not in sets:
            continue
        out = work / spec.folder

        def ext_row(spec=spec, out=out) -> Row:
            run(cleanup_cmd("batch", str(shared / "external" / spec.folder / "ocr"), "-o", str(out),
                            "--jobs", str(a.jobs), "--force", *prof), env=env)
            return score_external(shared, spec, out)
        timed(ext_row)
        if not a.no_rules:
            judge_external(shared, spec, out, agree.setdefault(spec.folder, Agreement()))

    print_table(rows)
    if agree:
        print()
        print_rules(agree)
    if a.json:
        a.json.write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "sets": [r.__dict__ for r in rows],
            "rules": {s: {r: dict(c) for r, c in ag.counts.items()} for s, ag in agree.items()},
        }, indent=1) + "\n", encoding="utf-8")
    if not a.keep:
        print(f"(outputs in {work}; --keep DIR to choose the folder)", file=sys.stderr)
    return 0


def print_table(rows: list[Row]) -> None:
    print(f"quality benchmark, {time.strftime('%Y-%m-%d')}, default profile unless --profile")
    head = f"{'set':<44} {'pages':>5} {'raw CER':>8} {'CER':>7} {'gain':>7} {'fixed':>6} {'broken':>6} " \
           f"{'better':>6} {'worse':>5} {'pref':>6} {'para F1':>7}  other"
    print(head)
    print("-" * len(head))
    for r in rows:
        if r.name == "born-digital seed":
            print(f"{r.name:<44} {r.pages:>5} {'':>8} {'':>7} {'':>7} {'':>6} {'':>6} {'':>6} {'':>5} {'':>6} {'':>7}  {r.extra}")
            continue
        opt = lambda v, f: format(v, f) if v is not None else "—"  # noqa: E731
        print(f"{r.name:<44} {r.pages:>5} {r.cer_raw:7.2f}% {r.cer:6.2f}% {r.gain:6.1f}% {r.fixed:>6} {r.broken:>6} "
              f"{opt(r.better, '>6')} {opt(r.worse, '>5')} {opt(r.pref, '>+6.2f')} {opt(r.para_f1, '>7.2f')}  {r.extra}")


def print_rules(agree: dict[str, Agreement]) -> None:
    """One line per rule over every set: applied (right %, broke), proposed (right %)."""
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ag in agree.values():
        for rule, c in ag.counts.items():
            for k, v in c.items():
                total[rule][k] += v
    print("per-rule agreement with the truth, all sets above. applied: changes made; proposed: as if accepted;")
    print("neutral: the words are as they were (line ends, paragraph breaks: scored by para F1); right: share of the rest;")
    print("+nearer: right, or the words nearer their truth though still misread (a speck gone from a misread word)")
    head = (f"{'rule':<28} {'applied':>7} {'neutral':>7} {'right':>6} {'+nearer':>7} {'broke':>6} {'proposed':>8} {'right':>6}"
            "   by set: applied right/judged")
    print(head)
    print("-" * len(head))

    def pct(c, kind, also=()):
        judged = c[kind] - c[kind + "_neutral"]
        good = c[kind + "_right"] + sum(c[f"{kind}_{v}"] for v in also)
        return f"{100 * good / judged:5.1f}%" if judged else "     —"

    for rule, c in sorted(total.items(), key=lambda kv: -(kv[1]["applied"] + kv[1]["proposed"])):
        by_set = "  ".join(
            f"{LABELS.get(name, name)} {ag.counts[rule]['applied_right']}/"
            f"{ag.counts[rule]['applied'] - ag.counts[rule]['applied_neutral']}"
            for name, ag in agree.items() if ag.counts[rule]["applied"] > ag.counts[rule]["applied_neutral"])
        print(f"{rule:<28} {c['applied']:>7} {c['applied_neutral']:>7} {pct(c, 'applied'):>6} "
              f"{pct(c, 'applied', ('nearer',)):>7} {c['applied_broke']:>6} "
              f"{c['proposed']:>8} {pct(c, 'proposed'):>6}   {by_set}")


LABELS = {"books_dev": "books", "icdar2017_eng_periodical": "period", "icdar2019_en": "ic19",
          "overproof_newspapers": "overpr", "icdar2017_eng_monograph": "mono"}


if __name__ == "__main__":
    sys.exit(main())
