"""`cleanup run` as a function: clean books one after another into one folder.

A book that cannot be cleaned (missing, a folder, not text) is named and the rest
go on, as in `cleanup batch`; the caller decides the exit status from the results.
Each book's summary counts its changes from the log (`counts.tally`)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import counts
from . import decisions as decisions_io
from .document import Decisions, Document
from .errors import UserError
from .files import shown
from .outputs import write_all
from .pipeline import clean_file, gc_paused
from .progress import BookProgress
from .record import made_with, taken_up, with_accepted


@dataclass
class BookRun:
    book: Path
    doc: Document | None = None
    seconds: float = 0.0
    unknown: int | None = None  # distinct words no lexicon knows …
    unknown_path: Path | None = None  # … listed in BOOK.unknown.tsv
    error: str | None = None


def check_is_book(book: Path) -> None:
    if book.is_dir():
        raise UserError(f"{book}: is a folder; to clean the books in it, use `cleanup batch {book}`")


def clean_books(books, out_dir: str | Path, profile: dict, decisions: Decisions | None = None,
                echo: Callable[[str], None] = print, progress: bool | None = None,
                profile_path: str | Path | None = None, dictionaries=()) -> list[BookRun]:
    """Clean each book into `out_dir`, echoing one summary line per book (or the
    reason it failed). Never stops at a failed book. Without `decisions`, a review
    left beside a book's outputs (OUT/BOOK.decisions.json) is honoured, and said so;
    BOOK.run.json records the profile (`profile_path`, `dictionaries`) that made them."""
    results = []
    stages = profile["pipeline"]["stages"]
    with gc_paused():  # books leave no cyclic garbage (see gc_paused)
        for book in map(Path, books):
            r = BookRun(book)
            t0 = time.perf_counter()
            try:
                check_is_book(book)
                name = shown(book.name)  # (the document's name: escaped if not UTF-8)
                here = decisions if decisions is not None else decisions_io.beside(out_dir, name)
                if decisions is None and here is not None:  # issue 14: a review is never overwritten
                    echo(f"{book}: honouring the review in {decisions_io.beside_path(out_dir, name)}")
                with BookProgress(book.name, [*stages, "writing outputs"], enabled=progress) as bar:
                    doc = clean_file(book, profile, on_stage=bar.step, decisions=here)
                    bar.step("writing outputs")
                    record = with_accepted(made_with(book, doc.source, profile, profile_path, dictionaries), taken_up(doc, here))
                    paths = write_all(doc, out_dir, here, record=record)
            except UserError as e:
                r.error = str(e)
                echo(f"cleanup: {e}")
                results.append(r)
                continue
            r.doc, r.seconds = doc, time.perf_counter() - t0
            r.unknown_path = paths.get("unknown")
            r.unknown = unknown_count(r.unknown_path)
            if here is not None:
                echo(f"{book}: {decisions_io.describe_matches(here, doc)}")
            echo(summary_line(r, stages, here))
            results.append(r)
    return results


def summary_line(r: BookRun, stages, decisions: Decisions | None = None) -> str:
    doc = r.doc
    enc = "" if doc.encoding == "utf-8" else f" [{doc.encoding}]"
    unknown = "" if r.unknown is None else f"; {r.unknown} unknown words (in {r.unknown_path.name})"
    return (f"{r.book}{enc}: {counts.describe(counts.tally(doc.edits, 'stage', decisions), stages)} "
            f"in {r.seconds:.2f} s{unknown}")


def unknown_count(path: Path | None) -> int | None:
    """Rows of an unknown-words list (its first line is the header)."""
    if path is None:
        return None
    try:
        rows = [ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError:
        return None
    return max(0, len(rows) - 1)


def failures_line(results: list[BookRun]) -> str | None:
    """One closing line when several books were given and some failed."""
    failed = [r for r in results if r.error]
    if not failed:
        return None
    return (f"run: {len(results) - len(failed)} of {len(results)} books cleaned; failed: "
            + ", ".join(str(r.book) for r in failed))
