"""Everything written for a book derives from its document and edit log."""
from __future__ import annotations

import codecs
import json
import math
from json.encoder import encode_basestring as _json_str  # json's string quoting, ensure_ascii=False
from pathlib import Path

from .decode import encode
from .document import Decisions, Document, Edit, in_effect, render
from .errors import UserError
from .files import (atomic_write, output_dir, output_stem, parse_json, read_bytes, remove_stale_temps, same_file,
                    shown)
from .pipeline import gc_paused


def cleaned_text(doc: Document, decisions: Decisions | None = None) -> str:
    return render(doc.source, doc.edits, decisions)


_JSON = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(ensure_ascii=False) builds per call


def changes_jsonl(doc: Document) -> str:
    return "".join([change_line(e) + "\n" for e in doc.edits])


def change_line(e: Edit) -> str:
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
        raise UserError(f"{shown(str(path))}: not UTF-8 text (byte {e.start})")


# the fields of a change record and their types (bool is an int: told apart below)
_FIELDS = {"id": str, "stage": str, "rule": str, "start": int, "end": int, "line": int,
           "before": str, "after": str, "confidence": (int, float), "reason": str}


def read_changes(path: Path) -> list[Edit]:
    """A BOOK.changes.jsonl written by `cleanup run`; a line that is not a change
    record is one UserError naming the file, the line and the problem."""
    edits = []
    # split at "\n" only: str.splitlines also cuts at U+0085, U+2028, … inside a record
    for n, line in enumerate(read_text(path).removeprefix("\ufeff").split("\n"), 1):
        if not line.strip():
            continue
        where = f"{shown(str(path))}: line {n}"
        record = parse_json(line, where, "change record")
        problem = _record_problem(record)
        if problem:
            raise UserError(f"{where} is not a change record ({problem})")
        edits.append(Edit.from_json(record))
    return edits


_KIND_NAMES = {str: "text", int: "a whole number"}


def _record_problem(record) -> str | None:
    if not isinstance(record, dict):
        return "not a JSON object"
    for key, kind in _FIELDS.items():
        if key not in record:
            return f"no {key!r}"
        if not isinstance(record[key], kind) or isinstance(record[key], bool):
            return f"{key!r} is not {_KIND_NAMES.get(kind, 'a number')}"
    if not 0 <= record["start"] <= record["end"]:
        return "'start' and 'end' are not a span"
    replaces = record.get("replaces", [])
    if not isinstance(replaces, list) or not all(isinstance(r, str) for r in replaces):
        return "'replaces' is not a list of ids"
    if not isinstance(record.get("proposed_only", False), bool):
        return "'proposed_only' is not true or false"
    return None


# -- what may be written over ---------------------------------------------------------
OUTPUT_SUFFIXES = {"text": ".txt", "changes": ".changes.jsonl", "report": ".report.html", "unknown": ".unknown.tsv",
                   "record": ".run.json"}  # (the record: what made the outputs, issue 14)
_EDIT_KEYS = {"id", "stage", "rule", "start", "end", "before", "after"}


def output_paths(out_dir: str | Path, stem: str) -> dict[str, Path]:
    """Every file written for a book whose outputs are named `stem`."""
    return {kind: Path(out_dir) / f"{stem}{suffix}" for kind, suffix in OUTPUT_SUFFIXES.items()}


def is_change_log(path: Path) -> bool:
    """A change log cleanup wrote: empty (a book with no change), or its first line
    a change record. A user's file of the same name is neither."""
    try:
        with open(path, "rb") as f:
            first = f.readline(64 << 20)
    except OSError:
        return False
    first = first.removeprefix(codecs.BOM_UTF8)  # (an editor may add one)
    if not first:
        return True
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and _EDIT_KEYS <= record.keys()


def is_output(path: Path) -> bool:
    """`path` (one of a book's output names) was written by cleanup for that book:
    the change log beside it, named for the same book, is one cleanup wrote. The log
    is written first and the text last, so a run cut short leaves it too."""
    path = Path(path)
    for suffix in OUTPUT_SUFFIXES.values():
        if path.name.endswith(suffix):
            return is_change_log(path.with_name(path.name[: -len(suffix)] + OUTPUT_SUFFIXES["changes"]))
    return False


def check_writable(source: str | Path, paths: dict[str, Path], inputs=()) -> None:
    """Refuse, before anything is written, outputs that would replace a file the user
    gave or had: an input of this command (`inputs`, the book's own path among them),
    or any existing file that is not an output cleanup wrote for this book. `source`
    names the book in the message."""
    for path in paths.values():
        for given in inputs:  # (a missing input cannot be replaced: it is reported as missing)
            if Path(given).exists() and same_file(path, Path(given)):
                what = "this is the cleaned output itself" if is_output(Path(given)) else "it is an input"
                raise UserError(f"{source}: its output {path} would replace {given} ({what}); "
                                "give the source scan, or another output folder with -o")
    log = paths["changes"]
    if is_change_log(log):
        return
    for path in paths.values():
        if path.exists() or path.is_symlink():
            why = f"{log.name} beside it is not a cleanup change log" if log.exists() else f"no change log {log.name} beside it"
            raise UserError(f"{source}: its output {path} would replace a file cleanup did not write ({why}); "
                            "move that file, or choose another output folder with -o")


def check_not_output(book: Path, out_dir: Path, inputs=()) -> None:
    """Reading a cleaned output as if it were the scan would clean it twice and then
    overwrite it; writing next to a user's file of the output's name would replace
    it: refuse both before anything is written."""
    check_writable(book, output_paths(out_dir, output_stem(Path(book).name)), (book, *inputs))


def check_run(books, out_dir: Path, force: bool = False) -> None:
    """The checks of `check_not_output` for every book of one command, no two books
    writing the same outputs, and (unless `force`) none replacing the outputs of
    another book cleaned into the folder before (with the reviewer's decisions on
    them), all before the first book is cleaned; then the temp files a killed run
    left in the output folder are removed."""
    from . import record

    seen: dict[str, Path] = {}
    for book in books:
        stem = output_stem(Path(book).name)
        if stem.casefold() in seen:
            raise UserError(f"{book}: its outputs would replace those of {seen[stem.casefold()]} (both are "
                            f"named {stem}); clean them into different folders, or use `cleanup batch`")
        seen[stem.casefold()] = book
        check_not_output(book, out_dir, books)
        other = None if force else record.written_for_another_book(book, out_dir, stem)
        if other:
            raise UserError(f"{book}: its outputs {Path(out_dir) / stem}.* were written for another book, {other} "
                            "(per its run record); clean into another folder with -o, or give --force to replace them")
    remove_stale_temps(out_dir)


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
    paths = output_paths(out, output_stem(doc.name))
    check_writable(doc.name, paths)
    # The log and report first, the text last: a text file that exists is finished.
    atomic_write(paths["changes"], changes_jsonl(doc))
    # --- words (issue 3): the proofreader's list of words no lexicon knows ---
    if unknown_tsv is None:
        from .words.unknown import unknown_words_tsv

        unknown_tsv = unknown_words_tsv(doc)
        atomic_write(paths["unknown"], unknown_tsv)
    # --- end words ---
    atomic_write(paths["report"], report.build(doc, decisions, unknown=report.unknown_rows(unknown_tsv)))
    if record is not None:
        from . import record as records

        records.write(out, output_stem(doc.name), record)
    else:
        del paths["record"]
    atomic_write(paths["text"], text_bytes(doc, decisions))
    return paths


def text_bytes(doc: Document, decisions: Decisions | None = None) -> bytes:
    """BOOK.txt: UTF-8 (the output contract), except an undo: when decisions leave
    nothing of the cleaning (every change rejected), the source's own bytes, in its
    own encoding (cp1252, Latin-1, UTF-16, ...), so that undo gives back the file."""
    if decisions is not None and doc.edits and not any(in_effect(doc.edits, decisions).values()):
        return encode(doc.source, doc.encoding)  # (partial rejections keep the contract instead)
    return cleaned_text(doc, decisions).encode("utf-8")
