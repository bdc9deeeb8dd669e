#!/usr/bin/env python3
"""Check change logs against the rule registry: every change names a listed rule
and is applied exactly when its confidence reaches that rule's auto_apply.

    cleanup run ../shared/bench/external/books_dev/raw/*.txt -o /tmp/books
    python benchmarks/check_rules.py /tmp/books [--profile P]

Exit status 1 if any log disagrees (each disagreement is printed)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleanup import profile as profiles
from cleanup.outputs import read_changes
from cleanup.rules import log_problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="a folder of BOOK.changes.jsonl files")
    ap.add_argument("--profile", help="the profile the logs were made with (default: the shipped default)")
    args = ap.parse_args()
    profile = profiles.load(args.profile)
    logs = sorted(args.folder.glob("*.changes.jsonl"))
    if not logs:
        print(f"{args.folder}: no change logs", file=sys.stderr)
        return 1
    bad = 0
    for log in logs:
        edits = read_changes(log)
        problems = log_problems(edits, profile)
        bad += len(problems)
        print(f"{log.name}: {len(edits)} changes, {len(problems)} disagree")
        for p in problems[:20]:
            print(f"  {p}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
