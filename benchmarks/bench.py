"""Benchmark: cleanup against symspellpy used as a plain spell-checker, same book, same run.

    .venv/bin/python benchmarks/bench.py            # the full set, a few minutes
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats and copies

It reports, each against the target of issue 6:
- cold single-book wall time of `cleanup run` on the memoir, and of the baseline
  (a fresh process each: imports, dictionary load, cleaning, writing);
- batch throughput (MB/s, books/s) of `cleanup batch` on N copies of the memoir,
  with --jobs 1 and --jobs 2, and the peak memory of any one worker;
- scaling: one book 1× and 10× the memoir (concatenated), cleaned and written in
  process; and a batch of K and 10·K copies;
- one book warm: what cleaning a book costs once the per-process loads are done
  (as in a batch worker), for cleanup and for the baseline with its dictionary
  loaded once; two workers can give at most 2 / that books a second;
- the same batch on distinct text (books of about the memoir's size made by
  concatenating the OCR files of the external sets in ../shared/bench/external),
  since copies of one book are the kindest case for any per-process memo.

Runs are interleaved (cleanup, baseline, cleanup, …) so that load from other
programs hits both alike; the minimum of the repeats is reported (the run least
disturbed by other programs), with the median beside it. Batches report CPU
seconds per book (user + system of the workers) too, which other programs on the
machine disturb less than wall time. Before timing, the package is compiled to
bytecode, as an installed package is (`pip install` compiles it; an editable
install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module
on every cold run). This is a script, not a test: timings on a shared machine
are noisy."""
from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMOIR = ROOT / "seeds" / "zetkin-my-recollections-of-lenin.txt"

# The baseline: what a user would write with symspellpy alone. Load the bundled
# English dictionary, look up every word, keep the closest suggestion, write the text.
BASELINE_SETUP = r"""
import re, sys, time
from importlib import resources
from symspellpy import SymSpell, Verbosity
sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
sym.load_dictionary(str(resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"), 0, 1)
def fix(m):
    w = m.group(0)
    s = sym.lookup(w.lower(), Verbosity.TOP, max_edit_distance=2, include_unknown=True)
    best = s[0].term if s else w
    return best if w.islower() else best.capitalize() if w[0].isupper() else best
def clean_file(src, dst):
    text = open(src, encoding="utf-8").read()
    open(dst, "w", encoding="utf-8").write(re.sub(r"[A-Za-z]+", fix, text))
"""
BASELINE = BASELINE_SETUP + "clean_file(sys.argv[1], sys.argv[2])\n"
# Warm: the dictionary loaded once, then the book cleaned again and again, as a
# batch worker would; prints the best time a book.
BASELINE_WARM = BASELINE_SETUP + """
best = float("inf")
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    clean_file(sys.argv[1], sys.argv[2])
    best = min(best, time.perf_counter() - t0)
print(best)
"""


EXTERNAL = ROOT.parent / "shared" / "bench" / "external"


def run_cold(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds: user + system), the RSS and CPU of
    the process with the children it waited for (a batch's workers)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def cleanup_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleanup", *args]


def copies(folder: Path, n: int, text: bytes) -> int:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"memoir-{i:05d}.txt").write_bytes(text)
    return n * len(text)


def distinct_books(folder: Path, size: int) -> tuple[int, int]:
    """Books of about `size` bytes, each the concatenation (blank line between) of
    consecutive OCR files of the external sets: (books, bytes). The last, short
    remainder is dropped."""
    files = sorted(EXTERNAL.glob("*/ocr/*.txt"))
    folder.mkdir(parents=True)
    n = total = 0
    chunk: list[bytes] = []
    for f in files:
        chunk.append(f.read_bytes().strip() + b"\n\n")
        if sum(map(len, chunk)) >= size:
            data = b"".join(chunk)
            (folder / f"distinct-{n:04d}.txt").write_bytes(data)
            n, total, chunk = n + 1, total + len(data), []
    return n, total


def batch(tmp: Path, n: int, jobs: int, text: bytes, tag: str, profile: Path | None = None,
          distinct: bool = False) -> dict:
    src, out = tmp / f"in-{tag}", tmp / f"out-{tag}"
    if distinct:
        n, size = distinct_books(src, len(text))
    else:
        size = copies(src, n, text)
    extra = ["--profile", str(profile)] if profile else []
    wall, rss, cpu = run_cold(cleanup_cmd("batch", str(src), "-o", str(out), "--jobs", str(jobs), *extra))
    entries = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    done = sum(e["status"] == "done" for e in entries)
    worker_rss = max((e.get("peak_rss_mb") or 0) for e in entries)
    shutil.rmtree(src)
    shutil.rmtree(out)
    return {"books": n, "done": done, "jobs": jobs, "mb": size / 1e6, "wall": wall, "mb_s": size / 1e6 / wall,
            "books_s": n / wall, "worker_rss_mb": worker_rss, "max_rss_mb": rss, "cpu_s": cpu,
            "cpu_per_book": cpu / max(n, 1), "book_seconds": sorted(e.get("seconds", 0) for e in entries)}


def in_process_scaling(text: bytes, repeats: int) -> dict:
    """Clean and write one book of 1× and 10× the memoir in this process (warm),
    best of `repeats`: the pipeline's own growth with book length."""
    sys.path.insert(0, str(ROOT))
    from cleanup import profile as profiles
    from cleanup.outputs import write_all
    from cleanup.pipeline import clean

    prof = profiles.load()
    clean(text, prof, name="warm.txt")  # imports and per-process caches, once
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for k in (1, 10):
            data = text * k
            best = float("inf")
            for _ in range(repeats if k == 1 else max(1, repeats // 2)):
                t0 = time.perf_counter()
                write_all(clean(data, prof, name=f"x{k}.txt"), d)
                best = min(best, time.perf_counter() - t0)
            out[k] = best
    return {"1x": out[1], "10x": out[10], "ratio": out[10] / out[1]}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5, help="cold runs of each single-book command")
    ap.add_argument("--copies", type=int, default=24, help="books in the throughput batches")
    ap.add_argument("--scale", type=int, default=4, help="K: the scaling batches have K and 10·K books")
    ap.add_argument("--quick", action="store_true", help="3 repeats, 8 copies, K=2")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    a = ap.parse_args()
    if a.quick:
        a.repeats, a.copies, a.scale = 3, 8, 2
    text = MEMOIR.read_bytes()
    res: dict = {"book_mb": len(text) / 1e6, "cores": os.cpu_count(),
                 "load": os.getloadavg() if hasattr(os, "getloadavg") else None}

    compileall.compile_dir(str(ROOT / "cleanup"), quiet=1)  # as `pip install` does
    with tempfile.TemporaryDirectory(prefix="cleanup-bench-") as d:
        tmp = Path(d)
        run_cold(cleanup_cmd("--version"))  # warm the OS file cache, not Python
        run_cold(cleanup_cmd("run", str(MEMOIR), "-o", str(tmp / "warm")))  # and the lexicon cache, if new
        ours, base, ours_cpu, base_cpu, ours_rss, base_rss = [], [], [], [], 0.0, 0.0
        for i in range(a.repeats):
            w, r, cpu = run_cold(cleanup_cmd("run", str(MEMOIR), "-o", str(tmp / f"run{i}")))
            ours.append(w)
            ours_cpu.append(cpu)
            ours_rss = max(ours_rss, r)
            w, r, cpu = run_cold([sys.executable, "-c", BASELINE, str(MEMOIR), str(tmp / f"base{i}.txt")])
            base.append(w)
            base_cpu.append(cpu)
            base_rss = max(base_rss, r)
        res["cold"] = {"cleanup_s": min(ours), "baseline_s": min(base),
                       "cleanup_median_s": statistics.median(ours), "baseline_median_s": statistics.median(base),
                       "cleanup_cpu_s": min(ours_cpu), "baseline_cpu_s": min(base_cpu),
                       "cleanup_all": ours, "baseline_all": base, "cleanup_rss_mb": ours_rss, "baseline_rss_mb": base_rss}
        res["cold"]["ratio"] = res["cold"]["cleanup_s"] / res["cold"]["baseline_s"]

        res["batch"] = [batch(tmp, a.copies, j, text, f"j{j}") for j in (1, 2)]
        res["distinct"] = ([batch(tmp, 0, j, text, f"d{j}", distinct=True) for j in (1, 2)]
                           if EXTERNAL.is_dir() else [])
        res["scale_batch"] = [batch(tmp, k, 2, text, f"s{k}") for k in (a.scale, 10 * a.scale)]
        # The same batch with only the two cheapest stages (the unknown-words list still runs the word analysis).
        bare = tmp / "bare.toml"
        bare.write_text('[pipeline]\nstages = ["unicode", "line-ends"]\n', encoding="utf-8")
        res["bare"] = batch(tmp, 2 * a.copies, 2, text, "bare", profile=bare)
    res["scale_batch_ratio"] = res["scale_batch"][1]["wall"] / res["scale_batch"][0]["wall"]
    res["scale_book"] = in_process_scaling(text, a.repeats)
    with tempfile.TemporaryDirectory(prefix="cleanup-bench-") as d:
        out = subprocess.run([sys.executable, "-c", BASELINE_WARM, str(MEMOIR), str(Path(d) / "b.txt"),
                              str(a.repeats)], capture_output=True, text=True, check=True).stdout
    res["warm_baseline_s"] = float(out.strip())

    c = res["cold"]
    worker_rss = max(x["worker_rss_mb"] for x in res["batch"] + res["scale_batch"] + res["distinct"])
    print(f"memoir: {res['book_mb']:.3f} MB; {res['cores']} cores; load average at start {res['load']}")
    print()
    print("| measure | cleanup | symspellpy baseline | target | |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| cold single book, wall (min of {a.repeats}; median) | {c['cleanup_s']:.2f} s "
          f"({c['cleanup_median_s']:.2f} s) | {c['baseline_s']:.2f} s ({c['baseline_median_s']:.2f} s) "
          f"| ≤ 1.0 s and ≤ 0.25× baseline (now {c['ratio']:.2f}×) "
          f"| {verdict(c['cleanup_s'] <= 1.0 and c['ratio'] <= 0.25)} |")
    print(f"| cold single book, CPU (min) | {c['cleanup_cpu_s']:.2f} s | {c['baseline_cpu_s']:.2f} s | | |")
    print(f"| cold single book, peak memory | {c['cleanup_rss_mb']:.0f} MB | {c['baseline_rss_mb']:.0f} MB | | |")
    for x in res["batch"] + res["distinct"]:
        target = "≥ 2 MB/s, ≥ 12 books/s" if x["jobs"] == 2 else ""
        ok = verdict(x["mb_s"] >= 2.0 and x["books_s"] >= 12) if x["jobs"] == 2 else ""
        what = "copies of the memoir" if x in res["batch"] else "distinct books (external OCR, memoir-sized)"
        print(f"| batch of {x['books']} {what}, --jobs {x['jobs']} | {x['mb_s']:.2f} MB/s, {x['books_s']:.1f} books/s "
              f"({x['wall']:.1f} s, {x['done']} done; {x['cpu_per_book']:.2f} s CPU a book) | | {target} | {ok} |")
    print(f"| peak memory of one worker | {worker_rss:.0f} MB | | ≤ 300 MB | {verdict(worker_rss <= 300)} |")
    x = res["bare"]
    print(f"| the same, stages unicode + line-ends only | {x['mb_s']:.2f} MB/s, "
          f"{x['books_s']:.1f} books/s ({x['books']} books, {x['wall']:.1f} s) | | | |")
    s1, s10 = res["scale_batch"]
    print(f"| batch {s1['books']} → {s10['books']} books, --jobs 2 | {s1['wall']:.1f} s → {s10['wall']:.1f} s "
          f"({res['scale_batch_ratio']:.2f}×) | | ≤ 10.5× | {verdict(res['scale_batch_ratio'] <= 10.5)} |")
    sb = res["scale_book"]
    print(f"| one book 1× → 10× long, in process | {sb['1x']:.2f} s → {sb['10x']:.2f} s ({sb['ratio']:.2f}×) "
          f"| | ≤ 10.5× | {verdict(sb['ratio'] <= 10.5)} |")
    # What each costs a book once the per-process loads are done (as in a batch
    # worker), and so the most books a second two such workers could give.
    warm, base_warm = sb["1x"], res["warm_baseline_s"]
    print(f"| one book, warm (loads done once, as in a batch worker) | {warm:.3f} s "
          f"(at most {2 / warm:.1f} books/s on 2 cores) | {base_warm:.3f} s (at most {2 / base_warm:.1f} books/s) "
          f"| 12 books/s needs ≤ {2 / 12:.3f} s | {verdict(warm <= 2 / 12)} |")
    if a.json:
        a.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
