#!/usr/bin/env python3
"""How often each rule's changes agree with the truth, by confidence: the figures the
rules' thresholds (`[rules] NAME.auto_apply` in default.toml) are set from.

Judged on the training splits only (ICDAR 2017 monographs `train`, Overproof
`train`: the pages a rule may be tuned on), with benchmarks/quality.py's judge: a
change is right when the words its output touches agree with the truth. Applied
changes and proposals (as if accepted) both count: a threshold decides between them.

    python benchmarks/quality.py --sets overproof,monograph --keep /tmp/q   # cleans every page
    python benchmarks/calibrate_rules.py /tmp/q
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402  (the shared judge)

BUCKETS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
TRAIN = [quality.SetSpec("overproof", "overproof_newspapers", split="train"),
         quality.SetSpec("monograph", "icdar2017_eng_monograph", split="train")]


def bucket(conf: float) -> float:
    return max(b for b in BUCKETS if conf >= b) if conf >= BUCKETS[0] else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kept", type=Path, help="the --keep folder of a quality.py run")
    ap.add_argument("--shared", type=Path, default=quality.REPO.parent / "shared" / "bench")
    args = ap.parse_args()
    agree = quality.Agreement()
    read = quality.read_changes
    # each change judged under its rule and confidence band
    quality.read_changes = lambda p: [replace(e, rule=f"{e.rule}\t{bucket(e.confidence)}") for e in read(p)]
    for spec in TRAIN:
        quality.judge_external(args.shared, spec, args.kept / spec.folder, agree)
    table: dict[str, dict[float, tuple[int, int, int]]] = defaultdict(dict)
    for key, c in agree.counts.items():
        rule, band = key.split("\t")
        right = c["applied_right"] + c["proposed_right"]
        judged = right + c["applied_wrong"] + c["applied_broke"] + c["proposed_wrong"] + c["proposed_broke"]
        broke = c["applied_broke"] + c["proposed_broke"]
        table[rule][float(band)] = (right, judged, broke)
    print("rule                        confidence  right/judged  broke   (training splits, applied and proposed)")
    for rule in sorted(table, key=lambda r: -sum(v[1] for v in table[r].values())):
        for band, (right, judged, broke) in sorted(table[rule].items()):
            if judged:
                print(f"{rule:28s} >= {band:<8} {right:5d}/{judged:<6d} {100 * right / judged:5.1f}%  {broke:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
