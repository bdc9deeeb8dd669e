"""The `cleanup` command line. Each command mirrors a function of the Python API."""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from . import __version__
from . import profile as profiles
from .errors import UserError
from .outputs import write_all
from .pipeline import clean_file


class _Group(click.Group):
    """Turn a UserError anywhere into one clear line and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as e:
            click.echo(f"cleanup: {e}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleanup")
def main():
    """Clean the raw OCR text of scanned books, and show exactly what changed and why.

    Every change is logged with where it happened in the source, what it was,
    what it became, which rule made it and how sure it is."""


@main.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs: BOOK.txt (cleaned text), BOOK.changes.jsonl (the change log) "
                   "and BOOK.report.html (the diff report).")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="A profile TOML overlaid on the default: stages, thresholds, rule tables.")
def run(books, out_dir, profile_path):
    """Clean each BOOK (a text file) and write its outputs to the output folder.

    A one-line summary per book goes to stderr: changes per stage and time taken."""
    profile = profiles.load(profile_path)
    for book in books:
        t0 = time.perf_counter()
        doc = clean_file(book, profile)
        write_all(doc, out_dir)
        dt = time.perf_counter() - t0
        per_stage = Counter(e.stage for e in doc.edits)
        stages = ", ".join(f"{s} {per_stage.get(s, 0)}" for s in profile["pipeline"]["stages"])
        enc = "" if doc.encoding == "utf-8" else f" [{doc.encoding}]"
        click.echo(f"{book}{enc}: {len(doc.edits)} changes ({stages}) in {dt:.2f} s", err=True)


# --- batch (issue 6): `cleanup batch`, defined in batch.py ---------------------------
from .batch import batch_command  # noqa: E402  (after `main`, which it is added to)

main.add_command(batch_command)
# --- end batch -------------------------------------------------------------------------
