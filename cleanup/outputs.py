"""Everything written for a book derives from its document and edit log."""
from __future__ import annotations

import json
from pathlib import Path

from .document import Decisions, Document, render
from .files import atomic_write, output_dir, output_stem


def cleaned_text(doc: Document, decisions: Decisions | None = None) -> str:
    return render(doc.source, doc.edits, decisions)


def changes_jsonl(doc: Document) -> str:
    return "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in doc.edits)


def write_all(doc: Document, out_dir: str | Path, decisions: Decisions | None = None) -> dict[str, Path]:
    """Write BOOK.txt, BOOK.changes.jsonl and BOOK.report.html; return their paths."""
    from . import report

    out = output_dir(out_dir)
    stem = output_stem(doc.name)
    paths = {
        "text": out / f"{stem}.txt",
        "changes": out / f"{stem}.changes.jsonl",
        "report": out / f"{stem}.report.html",
    }
    # The log and report first, the text last: a text file that exists is finished.
    atomic_write(paths["changes"], changes_jsonl(doc))
    atomic_write(paths["report"], report.build(doc, decisions))
    atomic_write(paths["text"], cleaned_text(doc, decisions))
    return paths
