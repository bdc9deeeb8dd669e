"""A scan and its outputs, ready for decisions (`cleanup apply`, `review`, `learn
--reviewed`). When the scan and the profile are the ones BOOK.run.json records,
the change log is the product: the document is read back from BOOK.changes.jsonl
without cleaning again. When either changed, the pipeline runs again (and says
so): change ids are stable (position and content), so the decisions meet the
same changes again, and a re-run with better rules is the same loop.
"""
from __future__ import annotations

from pathlib import Path

from . import decisions as decisions_io
from . import profile as profiles
from . import record as records
from .record import taken_up, with_accepted
from .decode import decode
from .document import REVIEWER, Decisions, Document, stale_proposals, render
from .errors import UserError
from .files import output_stem, read_bytes
from .outputs import check_not_output, read_changes, write_all
from .dictionaries import add as add_dictionaries
from .pipeline import clean
from .progress import BookProgress


def _logged(text: str, name: str, log: Path, encoding: str = "utf-8") -> Document:
    """The document a change log describes, without its hand corrections (those
    come from the decisions file alone: one deleted there is gone)."""
    doc = Document(text, name=name, encoding=encoding)
    for e in read_changes(log):
        if e.rule != REVIEWER:
            doc.add_edit(e)
    return doc


class Book:
    """A scan and its outputs, ready for decisions: the document (read back from
    the change log, or cleaned again), the record of what made it, and a note
    saying which of the two happened."""

    def __init__(self, path: Path, out_dir: Path, profile_path: Path | None = None, dictionaries=()):
        self.path, self.out_dir = Path(path), Path(out_dir)
        text, encoding = decode(read_bytes(self.path), self.path.name)
        self.stem = output_stem(self.path.name)
        rec = records.read(out_dir, self.stem)
        if not dictionaries and profile_path is None and rec is not None:
            dictionaries = rec.get("dictionaries") or ()  # the word lists the run was given
        if profile_path is None and rec is not None:
            profile_path = Path(rec["profile"]) if rec.get("profile") else None
            if profile_path is not None and not profile_path.is_file():
                raise UserError(f"{self.path}: its outputs were made with {records.describe(rec)}, which is "
                                f"not found (from {self.stem}.run.json); give --profile")
            profile = add_dictionaries(profiles.load(profile_path), dictionaries)
            if records.profile_hash(profile) != rec["profile_sha256"]:
                now = f"{profile_path or 'the default profile'} (sha256 {records.profile_hash(profile)[:12]})"
                raise UserError(f"{self.path}: its outputs were made with {records.describe(rec)}, but that "
                                f"is now {now}; give --profile to clean it again with a profile of your choice")
        else:
            profile = add_dictionaries(profiles.load(profile_path), dictionaries)
        self.profile, self.profile_path = profile, profile_path
        self.record = records.made_with(self.path, text, profile, profile_path, dictionaries)
        same_profile = rec is not None and rec["profile_sha256"] == self.record["profile_sha256"]
        same_source = rec is not None and rec.get("source_sha256") == self.record["source_sha256"]
        log = self.out_dir / f"{self.stem}.changes.jsonl"
        unknown = self.out_dir / f"{self.stem}.unknown.tsv"
        self.unknown_tsv = None
        self.text, self.encoding = text, encoding
        self.from_log = same_profile and same_source and log.exists() and unknown.exists()
        # proposals the run's decisions took up (the log's later stages read the text with them)
        self.accepted_in_log = set(rec.get("accepted_proposals", ())) if self.from_log else set()
        if self.from_log:
            self.doc = _logged(text, self.path.name, log, encoding)
            self.unknown_tsv = unknown.read_text(encoding="utf-8")
            self.note = f"rendered from {log.name} (scan and profile unchanged since the run)"
        else:
            with BookProgress(self.path.name, profile["pipeline"]["stages"]) as bar:  # a bar if it is slow
                self.doc = clean(text, profile, name=self.path.name, on_stage=bar.step)
            self.doc.encoding = encoding
            if rec is None:
                self.note = f"cleaned again with {profile_path or 'the default profile'} (no run record beside the outputs)"
            elif not same_profile:
                self.note = (f"cleaned again with {records.describe(self.record)}: the outputs were made "
                             f"with {records.describe(rec)}")
            elif not same_source:
                self.note = "cleaned again: the scan changed since the run"
            else:
                self.note = "cleaned again: the change log or unknown-words list is missing"

    def write(self, decisions: Decisions | None) -> dict[str, Path]:
        self.decide(decisions)
        taken = self.accepted_in_log if self.from_log else taken_up(self.doc, decisions)
        return write_all(self.doc, self.out_dir, decisions, record=with_accepted(self.record, taken),
                         unknown_tsv=self.unknown_tsv)

    def decide(self, decisions: Decisions | None) -> None:
        """The document as `decisions` have it: the log's, unless a decision takes up or
        withdraws a proposal the later stages ran through (then cleaned again with them)."""
        stale = stale_proposals(self.doc.edits, decisions, self.accepted_in_log)
        if stale:  # the later stages must read the text as decided: clean again, with the decisions
            with BookProgress(self.path.name, self.profile["pipeline"]["stages"]) as bar:
                self.doc = clean(self.text, self.profile, name=self.path.name, on_stage=bar.step, decisions=decisions)
            self.doc.encoding, self.unknown_tsv, self.from_log = self.encoding, None, False
            self.accepted_in_log = set()
            self.note = (f"cleaned again: the decisions on {len(stale)} proposal(s) ({stale[0].rule}, ...) change "
                         "what later stages read, which the change log cannot show")


def reviewed_pair(cleaned: Path) -> tuple[str, str]:
    """(scan, reviewed text) of a reviewed book, from the outputs beside `cleaned`
    (BOOK.txt): the scan the run record names, the change log, and the review's
    decisions and hand corrections. The reviewed text is rendered from them (cleaned
    again where `apply` would be), so it is what the reviewer decided even if `apply`
    was not run after the review."""
    cleaned = Path(cleaned)
    out, stem = cleaned.parent, cleaned.name.removesuffix(".txt")
    rec = records.read(out, stem)
    if rec is None or not rec.get("source"):
        raise UserError(f"{cleaned}: no run record ({stem}.run.json) beside it; clean the scan with "
                        "`cleanup run` and review it first")
    scan = records.source_of(rec, out)
    text, _ = decode(read_bytes(scan, "scan named by the run record"), scan.name)
    if records.sha256_text(text) != rec.get("source_sha256"):
        raise UserError(f"{cleaned}: the scan {scan} changed since it was cleaned; run `cleanup run` again")
    doc = _logged(text, scan.name, out / f"{stem}.changes.jsonl")
    d = decisions_io.beside(out, scan.name) or Decisions()
    if stale_proposals(doc.edits, d, rec.get("accepted_proposals", ())):  # (the log cannot show them: as `apply`)
        book = Book(scan, out)
        book.decide(d)
        doc = book.doc
    decisions_io.bind(d, doc)
    return text, render(text, doc.edits, d)


def apply_decisions(book: Path, decisions: Decisions, out_dir: Path, profile_path: Path | None = None,
                    dictionaries=()) -> Book:
    """Re-render BOOK's outputs under `decisions` (the Python API of `cleanup apply`)."""
    check_not_output(book, out_dir)
    b = Book(book, out_dir, profile_path, dictionaries)
    b.write(decisions)
    return b
