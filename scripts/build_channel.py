#!/usr/bin/env python3
"""Build the general OCR channel (cleanup/data/ocr_channel.toml) from real OCR/truth pairs.

    python scripts/build_channel.py                       # from ../shared/bench/external
    python scripts/build_channel.py --external DIR -o FILE

Learned ONLY from the training parts of two shared sets: the Overproof newspapers
whose manifest `split` is `train`, and the ICDAR 2017 monograph pages whose
`icdar_split` is `train`. The sets scored for quality (books_dev, the periodicals,
icdar2019, the memoir) are never read. The pairs are aligned by `cleanup learn`'s
own counting (cleanup/learn.py); what is kept:

- glyph: letter confusions [read, meant, cost, count], cost = −log10 of the
  smoothed rate per occurrence of the meant letters in the truth;
- inserted: letters the scan added [letter, next letter or $, start/inside, cost, count];
- scannos: whole-word misreadings [read, meant, times corrected, times printed]
  that the pages usually corrected so; the word stage changes a read form that is
  itself a word (`tho`) only where the context strongly asks for the meant one.

General, not one book's habit: every count leaves out the source (one book of
the monographs, one newspaper article) that shows it most, so a misreading
only one typeface makes (`d` for `il` in one monograph) stays dear; and only
letters are kept (accents and marks the truth adds are editing, not OCR).

Same inputs give the same bytes: rows are sorted, numbers rounded, no dates.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cleanup.learn import Counts, confusion_costs, count_pages, inserted_costs, learned_scannos  # noqa: E402

# (set folder, manifest column, value naming the training part)
TRAIN_PARTS = [("overproof_newspapers", "split", "train"), ("icdar2017_eng_monograph", "icdar_split", "train")]


def training_pairs(external: Path) -> list[tuple[str, str, str]]:
    """(source, raw OCR, truth) of every training page, in manifest order; the
    source is the book (a monograph page's id before `_p`) or the article."""
    out = []
    for folder, column, value in TRAIN_PARTS:
        base = external / folder
        with open(base / "manifest.tsv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row.get(column) != value:
                    continue
                ocr, gt = base / "ocr" / f"{row['id']}.txt", base / "gt" / f"{row['id']}.txt"
                if ocr.exists() and gt.exists():
                    out.append((f"{folder}/{row['id'].split('_p')[0]}", ocr.read_text(encoding="utf-8"), gt.read_text(encoding="utf-8")))
    return out


def _without_largest(counters: list[Counter]) -> Counter:
    """Summed counts, each less its largest single source's share."""
    total: Counter = Counter()
    largest: Counter = Counter()
    for c in counters:
        for k, n in c.items():
            total[k] += n
            largest[k] = max(largest[k], n)
    return Counter({k: total[k] - largest[k] for k in total if total[k] > largest[k]})


def _plain(s: str) -> bool:
    return s.isascii() and s.isalnum()


def build(pages: list[tuple[str, str, str]], known, min_count: int = 3, min_share: float = 0.5) -> dict:
    """The channel tables learned from (source, raw, truth) pages; `known(word)` is the lexicon."""
    by_source: dict[str, list] = {}
    for source, raw, truth in pages:
        by_source.setdefault(source, []).append((raw, truth))
    parts = [count_pages(pairs, known) for _, pairs in sorted(by_source.items())]
    c = Counts()  # the pooled counts, with each table less its largest source
    for p in parts:
        c.pages += p.pages
        c.words += p.words
        c.misread_words += p.misread_words
        c.truth_text.extend(p.truth_text)
        c.kept.update(p.kept)
    c.confusions = _without_largest([p.confusions for p in parts])
    c.inserted = _without_largest([p.inserted for p in parts])
    c.scannos = _without_largest([p.scannos for p in parts])
    glyph = [[r, m, cost, c.confusions[(r, m)]] for r, m, cost in confusion_costs(c, min_count)
             if _plain(r) and _plain(m) and r.lower() != m.lower()]
    inserted = inserted_costs(c, min_count)
    scannos = [row for row in learned_scannos(c, min_count)
               if len(row[0]) >= 2 and known(row[1]) and row[2] > min_share * row[3]]
    return {"pages": c.pages, "words": c.words, "misread": c.misread_words, "sources": len(parts),
            "glyph": sorted(glyph, key=lambda r: (-r[3], r[0], r[1])),
            "inserted": sorted(inserted, key=lambda r: (-r[4], r[0], r[1], r[2])),
            "scannos": sorted(scannos, key=lambda r: (-r[2], r[0], r[1]))}


def _row(values: list) -> str:
    def one(v):
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(v)
    return "  [" + ", ".join(one(v) for v in values) + "],"


def render(tables: dict, sources: str) -> str:
    lines = [
        "# The general OCR channel: what real OCR did to real print, learned by",
        "# scripts/build_channel.py (do not edit by hand; rebuild). The word stage uses it as",
        "# priors that a book's own evidence updates; a learned profile (`cleanup learn`) overrides it.",
        f"# Learned from {sources}:",
        f"# {tables['pages']} pages from {tables['sources']} sources, {tables['words']} proofread words, {tables['misread']} misread.",
        "",
        "# Counts leave out the source that shows each most (one typeface's habit is no general one).",
        "# [read, meant, cost (-log10 rate per occurrence of the meant letters), times seen]",
        "glyph = [", *(_row(r) for r in tables["glyph"]), "]",
        "# [letter inserted, the letter after it or $, start/inside, cost, times seen]",
        "inserted = [", *(_row(r) for r in tables["inserted"]), "]",
        "# [read, meant, times corrected so, times printed] (a read word changes only in strong context)",
        "scannos = [", *(_row(r) for r in tables["scannos"]), "]",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--external", type=Path, default=REPO.parent / "shared" / "bench" / "external")
    ap.add_argument("-o", "--out", type=Path, default=REPO / "cleanup" / "data" / "ocr_channel.toml")
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args(argv)
    from cleanup.lexicon import Lexicon

    pairs = training_pairs(args.external)
    if not pairs:
        print(f"build_channel: no training pages under {args.external}", file=sys.stderr)
        return 1
    lex = Lexicon.load({"user_dictionaries": []})
    tables = build(pairs, lambda w: lex.known(w.lower()), args.min_count)
    sources = " and ".join(f"{folder} ({column} = {value})" for folder, column, value in TRAIN_PARTS)
    args.out.write_text(render(tables, sources), encoding="utf-8")
    print(f"{args.out}: {len(pairs)} pages; {len(tables['glyph'])} confusions, "
          f"{len(tables['inserted'])} inserted letters, {len(tables['scannos'])} word misreadings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
