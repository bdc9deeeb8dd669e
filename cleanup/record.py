"""BOOK.run.json: what made a book's outputs, so that `apply` and `review` meet
the same changes again without being told: the source scan (path and hash of
its decoded text) and the profile (path, or none for the default, and the hash
of the effective profile)."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .decode import decode
from .errors import UserError
from .files import atomic_write, read_bytes


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def profile_hash(profile: dict) -> str:
    """The effective profile as canonical JSON (sorted keys; TOML dates as text): the
    run record and the batch manifest both key on it."""
    canon = json.dumps(profile, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def made_with(book: str | Path, source: str, profile: dict, profile_path: str | Path | None,
              dictionaries=()) -> dict:
    """`profile` is the effective one (with the `--dictionary` word lists added)."""
    return {"source": str(book), "source_sha256": sha256_text(source),
            "profile": str(profile_path) if profile_path is not None else None,
            "dictionaries": [str(Path(p).resolve()) for p in dictionaries],
            "profile_sha256": profile_hash(profile)}


def taken_up(doc, decisions) -> set[str]:
    """The proposals of `doc` the decisions accept: a run with them cleans as if the
    profile had applied them (`Document.apply`)."""
    return {e.id for e in doc.edits if e.proposed_only and decisions is not None and decisions.allows(e)}


def with_accepted(record: dict, ids) -> dict:
    """The record with the proposals the run took up (later stages read the text with
    them), if any: a log made so is cleaned again once they are withdrawn (`book.Book.write`)."""
    return {**record, "accepted_proposals": sorted(ids)} if ids else record


def path_of(out_dir: str | Path, stem: str) -> Path:
    return Path(out_dir) / f"{stem}.run.json"


def write(out_dir: str | Path, stem: str, record: dict) -> None:
    """(With the scan's path from the output folder too, which holds from any working
    folder and on any machine the folder is copied to: `../seeds/BOOK.txt`.)"""
    try:
        record = {**record, "source_from_outputs": os.path.relpath(Path(record["source"]).resolve(),
                                                                   Path(out_dir).resolve())}
    except ValueError:  # (another drive: no relative path; the path as given stands)
        pass
    # ASCII escapes: a path that is not UTF-8 (os.fsdecode's lone surrogates) survives the round trip
    atomic_write(path_of(out_dir, stem), json.dumps(record, ensure_ascii=True, indent=1) + "\n")


def read(out_dir: str | Path, stem: str) -> dict | None:
    """The record beside a book's outputs, or None if there is none (outputs of an
    older version)."""
    p = path_of(out_dir, stem)
    if not p.exists():
        return None
    try:
        rec = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UserError(f"{p}: unreadable run record ({e}); delete it or run `cleanup run` again")
    if not isinstance(rec, dict) or not isinstance(rec.get("profile_sha256"), str):
        raise UserError(f"{p}: not a run record; delete it or run `cleanup run` again")
    return rec


def describe(rec: dict) -> str:
    name = rec.get("profile") or "the default profile"
    return f"{name} (sha256 {rec['profile_sha256'][:12]})"


def scan_beside(cleaned: str | Path) -> str | None:
    """The decoded scan that the run record beside `cleaned` (BOOK.txt) names, if it
    is still the scan that was cleaned; else None."""
    cleaned = Path(cleaned)
    try:
        rec = read(cleaned.parent, cleaned.name.removesuffix(".txt"))
    except UserError:
        return None
    scan = source_of(rec, cleaned.parent) if rec else None
    if scan is None or not scan.is_file():
        return None
    text, _ = decode(read_bytes(scan), scan.name)
    return text if sha256_text(text) == rec.get("source_sha256") else None


def source_of(rec: dict, out_dir: str | Path) -> Path | None:
    """The scan a run record names: by its path from the output folder (any working
    folder), else (a record before 2026-12-04) the path as given."""
    if rec.get("source_from_outputs"):
        return Path(out_dir) / rec["source_from_outputs"]
    return Path(rec["source"]) if rec.get("source") else None


def written_for_another_book(book: str | Path, out_dir: str | Path, stem: str) -> str | None:
    """The scan that the outputs already in `out_dir` for `stem` were written for, if
    it is another book: another path and other contents (the same scan moved, or the
    same path with a new scan, is the same book). None if it is this one, or unknown."""
    rec = read(out_dir, stem)
    if not rec or not rec.get("source"):
        return None
    if source_of(rec, out_dir).resolve() == Path(book).resolve():
        return None
    try:
        text, _ = decode(read_bytes(Path(book)), Path(book).name)
    except UserError:
        return None  # (an unreadable book is reported when it is cleaned)
    return None if sha256_text(text) == rec.get("source_sha256") else str(rec["source"])
