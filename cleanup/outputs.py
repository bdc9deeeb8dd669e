"""Everything written for a book derives from its document and edit log."""
from __future__ import annotations

import json
import math
from json.encoder import encode_basestring as _json_str  # json's string quoting, ensure_ascii=False
from pathlib import Path

from .document import Decisions, Document, Edit, render
from .errors import UserError
from .files import atomic_write, output_dir, output_stem, read_bytes
from .pipeline import gc_paused


def cleaned_text(doc: Document, decisions: Decisions | None = None) -> str:
    return render(doc.source, doc.edits, decisions)


_JSON = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(ensure_ascii=False) builds per call


def changes_jsonl(doc: Document) -> str:
    return "".join([_change_line(e) + "\n" for e in doc.edits])


def _change_line(e: Edit) -> str:
    """`_JSON(e.to_json())`, written out: on records this small the encoder's set-up
    per call is most of its cost, and a log has thousands (3× faster). Strings are
    quoted by json's own quoting; a test holds the two equal."""
    conf = e.confidence
    if type(conf) is not float or not math.isfinite(conf) or type(e.proposed_only) is not bool:
        return _JSON(e.to_json())  # json spells these its own way (NaN, 1 for True, ...)
    q = _json_str
    return (f'{{"id": {q(e.id)}, "stage": {q(e.stage)}, "rule": {q(e.rule)}, "start": {e.start}, '
            f'"end": {e.end}, "line": {e.line}, "before": {q(e.before)}, "after": {q(e.after)}, '
            f'"confidence": {conf!r}, "reason": {q(e.reason)}, "replaces": [{", ".join(map(q, e.replaces))}], '
            f'"proposed_only": {"true" if e.proposed_only else "false"}}}')


def read_text(path: Path) -> str:
    """A UTF-8 text file the user named, or one clear error."""
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text (byte {e.start})")


def read_changes(path: Path) -> list[Edit]:
    """A BOOK.changes.jsonl written by `cleanup run`."""
    edits = []
    # split at "\n" only: str.splitlines also cuts at U+0085, U+2028, … inside a record
    for n, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            edits.append(Edit.from_json(json.loads(line)))
        except (ValueError, TypeError, KeyError) as e:
            raise UserError(f"{path}: line {n} is not a change record ({e})")
    return edits


def check_not_output(book: Path, out_dir: Path) -> None:
    """Reading a cleaned output as if it were the scan would clean it twice and
    then overwrite it, losing the user's file: refuse."""
    out_text = Path(out_dir) / f"{output_stem(Path(book).name)}.txt"
    try:
        same = Path(book).exists() and out_text.exists() and Path(book).samefile(out_text)
    except OSError:
        same = False
    if same:
        raise UserError(f"{book}: this is the cleaned output itself; give the source scan, "
                        "or another output folder with -o")


@gc_paused()  # (see gc_paused: the report makes many small long-lived objects)
def write_all(doc: Document, out_dir: str | Path, decisions: Decisions | None = None,
              record: dict | None = None, unknown_tsv: str | None = None) -> dict[str, Path]:
    """Write BOOK.txt, BOOK.changes.jsonl and BOOK.report.html (and BOOK.run.json
    from `record`: what made them); return their paths. `unknown_tsv`: the
    unknown-words list as already written, when `doc` is read back from its log."""
    from . import report
    from .decisions import bind

    if decisions is not None:
        bind(decisions, doc)  # hand corrections enter the log
    out = output_dir(out_dir)
    stem = output_stem(doc.name)
    paths = {
        "text": out / f"{stem}.txt",
        "changes": out / f"{stem}.changes.jsonl",
        "report": out / f"{stem}.report.html",
    }
    # The log and report first, the text last: a text file that exists is finished.
    atomic_write(paths["changes"], changes_jsonl(doc))
    # --- words (issue 3): the proofreader's list of words no lexicon knows ---
    paths["unknown"] = out / f"{stem}.unknown.tsv"
    if unknown_tsv is None:
        from .stages.words import unknown_words_tsv

        unknown_tsv = unknown_words_tsv(doc)
        atomic_write(paths["unknown"], unknown_tsv)
    # --- end words ---
    atomic_write(paths["report"], report.build(doc, decisions, unknown=report.unknown_rows(unknown_tsv)))
    if record is not None:
        from . import record as records

        paths["record"] = records.path_of(out, stem)
        records.write(out, stem, record)
    atomic_write(paths["text"], cleaned_text(doc, decisions))
    return paths
