#!/usr/bin/env python3
"""Ceilings: the gain a perfect word corrector would reach on each external set.

An oracle cleans the raw OCR of each page by handing back the truth's word, under
the set's scorer normalisation (`score_external.py`'s own `norm` / `norm_loose`),
wherever a word of one kind is wrong (words aligned one to one, as the scorer's
word counts align them), and nowhere else; the page is then scored as the scorer
scores it (character edits over the truth's characters, summed over pages). The
kinds, each including the ones before it:

  non-words, 1-2 letters wrong   a form no lexicon knows, its truth a word within two letters
  non-words                      any form no lexicon knows whose truth is a word
  real words                     and words misread as other words (`tho` for the)
  splits and joins               and words split or run together (`pro ceed`, `ofthe`)

A word the truth spells with a ligature (`ﬁrst`) where the scan has the letters counts
as unfixable (a cleaner keeps letters faithful); a word wrong only in case counts as a
real word. The oracle is generous: it knows which words are wrong and what they mean.
What no kind covers (lines missing or added, reading order, words garbled beyond
one-to-one alignment) stays as read. The figures say how far any word-level repair
can go on each set; a target above the last column asks for more than the words.

    python benchmarks/ceilings.py [--shared ../shared/bench]
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from cleanup import profile  # noqa: E402
from cleanup.lexicon import Lexicon  # noqa: E402

SETS = [("icdar2017_eng_periodical", None, "loose"), ("icdar2019_en", None, "loose"),
        ("overproof_newspapers", "test", "default"), ("icdar2017_eng_monograph", "eval", "default")]
KINDS = ["non-words, 1-2 letters wrong", "non-words", "real words", "splits and joins"]
LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"})
EDGE_MARKS = re.compile(r"^\W+|\W+$")


def kind_of(read: list[str], truth: list[str], known) -> int | None:
    """The first kind (index into KINDS) that covers replacing `read` by `truth`."""
    if len(read) == 1 and len(truth) == 1:
        r, t = EDGE_MARKS.sub("", read[0]), EDGE_MARKS.sub("", truth[0])
        plain = t.translate(LIGATURES)
        if r.lower() == plain.lower():
            return None if plain != t else 2  # a ligature no faithful cleaner writes; a case it may
        if not known(plain.lower()):
            return None
        if not known(r.lower()):
            return 0 if Levenshtein.distance(r.lower(), plain.lower()) <= 2 else 1
        return 2
    if "".join(read).lower() == "".join(truth).lower():
        return 3
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    a = ap.parse_args()
    sys.path.insert(0, str(a.shared))
    try:
        from score_external import norm, norm_loose
    except ImportError as e:
        sys.exit(f"ceilings: {a.shared} holds no shared scorer ({e}); give --shared")
    lex = Lexicon.load(profile.load()["words"])
    print(f"{'set':36} {'raw CER':>8}  " + "  ".join(f"{k:>28}" for k in KINDS))
    for folder, split, how in SETS:
        root = a.shared / "external" / folder
        prep = norm_loose if how == "loose" else norm
        rows = list(csv.DictReader((root / "manifest.tsv").open(encoding="utf-8"), delimiter="\t"))
        raw_edits, chars, edits = 0, 0, [0] * len(KINDS)
        for row in rows:
            if split and row.get("split", row.get("icdar_split")) != split:
                continue
            truth = prep((root / "gt" / f"{row['id']}.txt").read_text(encoding="utf-8"))
            raw = prep((root / "ocr" / f"{row['id']}.txt").read_text(encoding="utf-8"))
            t, r = truth.split(), raw.split()
            chars += len(truth)
            raw_edits += Levenshtein.distance(raw, truth)
            ops = SequenceMatcher(None, r, t, autojunk=False).get_opcodes()
            kinds = [None if op == "equal" else kind_of(r[i1:i2], t[j1:j2], lex.known) for op, i1, i2, j1, j2 in ops]
            for upto in range(len(KINDS)):
                out: list[str] = []
                for (op, i1, i2, j1, j2), k in zip(ops, kinds):
                    fixed = k is not None and (k <= upto if upto else k == 0)
                    out += t[j1:j2] if fixed else r[i1:i2]
                edits[upto] += Levenshtein.distance(" ".join(out), truth)
        name = folder + (f" ({split})" if split else "") + (" loose" if how == "loose" else "")
        gains = [f"gain {100 * (1 - e / raw_edits):5.1f} %" for e in edits]
        print(f"{name:36} {100 * raw_edits / chars:7.2f}%  " + "  ".join(f"{g:>28}" for g in gains))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
