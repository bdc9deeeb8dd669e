#!/usr/bin/env python3
"""Linear time on pathological shapes: each shape at 1× and 10× size, cleaned and
every output written (the report and the unknown-words list are outputs too); the
ratio of times must stay near 10 (a quadratic regex or join would show ~100).

    .venv/bin/python benchmarks/pathological.py [--size 50000] [--stages all|layout]

`tests/test_inputs.py` runs the same shapes at a fixed size in CI.
"""
from __future__ import annotations

import argparse
import tempfile
import time

from cleanup import profile as profiles
from cleanup.outputs import write_all
from cleanup.pipeline import clean

SHAPES = {
    "hyphens": lambda n: "-" * n,
    "spaces": lambda n: "a" + " " * n + "b\n",
    "one letter": lambda n: "a" * n,  # no word: listed as unknown, without candidates
    "blank lines": lambda n: "word\n" + "\n" * n + "word\n",
    "short lines": lambda n: "ab\n" * (n // 3),
    "stray marks": lambda n: "?■ " * (n // 3),
    "digits glued": lambda n: "word1 " * (n // 6),
    "hyphen line ends": lambda n: "strong-\n" * (n // 8),
    "asterisks": lambda n: "*" * n,
    "quotes": lambda n: "“‘" * (n // 2),
    # runs that open or make up the whole text: a pattern that fails at the end of a
    # run and is retried at each of its characters is quadratic only in these
    "leading spaces": lambda n: " " * n + "hello world\n",
    "newlines only": lambda n: "\n" * n,
    "form feeds only": lambda n: "\f" * n,
    "dash run": lambda n: "—" * n,
    "prose": lambda n: ("It was early in the autumn of 1920 that I met Le\nnin for the first time.\n\n" * (n // 70)),
}


def clean_and_write(text: str, prof: dict, out: str) -> None:
    write_all(clean(text, prof, name="shape.txt"), out)


def timed(text: str, prof: dict, repeats: int = 3) -> float:
    best = float("inf")
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeats):
            t0 = time.perf_counter()
            clean_and_write(text, prof, out)
            best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=50_000, help="characters at 1× (default 50000)")
    ap.add_argument("--stages", choices=["all", "layout"], default="all")
    a = ap.parse_args()
    prof = profiles.load()
    if a.stages == "layout":
        prof["pipeline"]["stages"] = [s for s in prof["pipeline"]["stages"] if s != "words"]
    clean("warm up the lexicon and caches.\n", prof)
    worst = 0.0
    print(f"{'shape':<18} {'1× s':>8} {'10× s':>8} {'ratio':>6}")
    for name, make in SHAPES.items():
        t1 = timed(make(a.size), prof)
        t10 = timed(make(10 * a.size), prof)
        ratio = t10 / max(t1, 1e-4)
        worst = max(worst, ratio if t10 > 0.05 else 0)
        print(f"{name:<18} {t1:8.3f} {t10:8.3f} {ratio:6.1f}")
    print(f"worst ratio (shapes over 50 ms at 10×): {worst:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
