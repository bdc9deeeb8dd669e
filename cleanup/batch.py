"""`cleanup batch`: clean many books on every core, resumably, where one bad file
never stops the rest.

The parts, each a plain function:
- `collect_inputs` / `assign_stems`: files, folders and globs to a list of books,
  each with an output name that no other book in the batch shares;
- `process_book`: the per-book work (read, hash, skip if unchanged, clean, write).
  It is the one function every engine runs, in a local process pool or on a
  Dask worker, and it never raises: a failure becomes a manifest entry;
- the manifest (`OUT_DIR/manifest.jsonl`): one JSON line per book, appended as
  books finish and compacted (atomically rewritten) at the start and the end;
- `run_batch`: the driver, which only ever runs in the calling process and is
  the manifest's single writer.

A book is done when its manifest entry says so with the same input, profile,
decisions and code hashes, and its outputs exist. Outputs are written atomically,
BOOK.txt last, so an interrupted batch leaves no finished-looking half book."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import socket
import sys
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import click

from . import decisions as decisions_file
from . import profile as profiles
from .document import Decisions
from .counts import Tally, tally, total
from .dictionaries import option as dictionaries_option
from .errors import UserError
from .files import atomic_write, output_dir, output_stem, read_bytes, remove_stale_temps, shown
from .outputs import is_output, output_paths, write_all
from .record import made_with, profile_hash, taken_up, with_accepted
from .pipeline import clean, gc_paused

MANIFEST = "manifest.jsonl"
INPUT_SUFFIXES = (".txt", ".text")


# -- inputs ------------------------------------------------------------------------
def collect_inputs(inputs: Iterable[str | Path], exclude: Path | None = None) -> tuple[list[Path], list[str]]:
    """(books, notes). Folders give their `*.txt` files recursively, globs are
    expanded here even if the shell did not; a missing file stays in the list so
    that it is reported as a failed book. Outputs cleanup wrote in `exclude` (the
    output folder) are skipped, so they are never cleaned again as books; any other
    file there is a book like the rest (a scan the user keeps there)."""
    skip = exclude.resolve() if exclude is not None else None
    books: list[Path] = []
    notes: list[str] = []
    seen: set[Path] = set()
    inside_out = 0

    def add(p: Path) -> None:
        nonlocal inside_out
        r = p.resolve()
        if r in seen:
            return
        seen.add(r)
        if skip is not None and r.parent == skip and is_output(r):
            inside_out += 1
            return
        books.append(p)

    def add_folder(d: Path) -> None:
        found = sorted(q for q in d.rglob("*")
                       if q.is_file() and q.suffix.lower() in INPUT_SUFFIXES and not q.name.startswith("."))
        if not found:
            notes.append(f"{d}: folder has no .txt files")
        for q in found:
            add(q)

    for raw in map(str, inputs):
        p = Path(raw)
        if p.is_dir():
            add_folder(p)
        elif p.exists() or not any(c in raw for c in "*?["):
            add(p)
        else:
            matched = sorted(glob.glob(raw, recursive=True))
            if not matched:
                notes.append(f"{raw}: matches no file")
            for m in map(Path, matched):
                add_folder(m) if m.is_dir() else add(m)
    if inside_out:
        notes.append(f"{inside_out} files inside the output folder {exclude} are outputs, not books: left out")
    return books, notes


def assign_stems(books: list[Path]) -> tuple[list[str], list[str]]:
    """(stems, notes): the output name of each book. Books whose names would give
    the same outputs (same file name from different folders, or names differing
    only in case, which collide on case-insensitive disks) each get a short hash
    of their full path appended, stable from run to run."""
    stems = [output_stem(b.name) for b in books]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stems):
        groups[s.casefold()].append(i)
    notes = []
    for same in groups.values():
        if len(same) < 2:
            continue
        for i in same:
            tag = hashlib.sha256(str(books[i].resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:8]
            stems[i] = f"{stems[i]}-{tag}"
        notes.append(f"{len(same)} books share the name {books[same[0]].name!r}: their outputs are named "
                     + ", ".join(stems[i] for i in same))
    return stems, notes


# -- hashes ------------------------------------------------------------------------
@cache
def code_version() -> str:
    """A hash of the package's code, profiles, data and review page, computed once per
    process: a changed rule, lexicon or page makes every book due again."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.is_file() and "__pycache__" not in rel.parts and (f.suffix in (".py", ".toml") or rel.parts[0] in ("data", "page")):
            h.update(rel.as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the per-book work --------------------------------------------------------------
@dataclass(frozen=True)
class Book:
    """One unit of work: small and picklable, it is all a worker gets per book
    (the profile travels once per worker, not with each book)."""

    path: str  # absolute
    stem: str  # output name, unique in the batch
    out_dir: str  # absolute
    profile_sha: str
    code_version: str
    decisions: str | None = None  # this book's decisions file, if there is one
    prev: dict | None = None  # its manifest entry from an earlier run
    force: bool = False
    profile_path: str | None = None  # for the run record (BOOK.run.json), as `cleanup run` writes it
    dictionaries: tuple[str, ...] = ()




def load_decisions(raw: bytes, path: str) -> Decisions:
    """A decisions file (see `cleanup.decisions`), from bytes already read for hashing."""
    return decisions_file.parse(raw, shown(path))


def is_done(prev: dict | None, now: dict, out_dir: Path) -> bool:
    """Finished earlier with the same hashes, and every output still there."""
    if not prev or prev.get("status") != "done" or not prev.get("outputs"):
        return False
    keys = ("input_sha256", "profile_sha256", "code_version", "decisions_sha256")
    return all(prev.get(k) == now.get(k) for k in keys) and all(
        (out_dir / name).is_file() for name in prev["outputs"].values())


def written_for_another_book(prev: dict | None, now: dict, out_dir: Path) -> str | None:
    """The input that this book's outputs, still in the folder, were written for,
    if it is another book: another path and other contents (the same scan moved, or
    the same path with a new scan, is the same book)."""
    if not prev or prev.get("status") != "done" or not isinstance(prev.get("outputs"), dict):
        return None
    if prev.get("input") == shown(now["input"]) or prev.get("input_sha256") == now.get("input_sha256"):
        return None
    if not any((out_dir / name).exists() for name in prev["outputs"].values()):
        return None
    return str(prev.get("input"))


def peak_rss_mb() -> float | None:
    """This process's peak resident memory so far."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _unknown_words(doc, paths: dict) -> int | None:
    """How many distinct unknown words the book has, when the pipeline reports them."""
    unknown = getattr(doc, "unknown", None)
    if unknown is not None:
        return len(unknown)
    p = paths.get("unknown")
    if p is None:
        return None
    lines = [ln for ln in Path(p).read_text(encoding="utf-8").splitlines() if ln.strip()]
    return max(0, len(lines) - 1) if lines and lines[0].lower().startswith("word") else len(lines)


def process_book(book: Book, profile: dict) -> dict:
    """Clean one book and write its outputs; return its manifest entry, with
    status `done`, `skipped` (unchanged since its outputs were written),
    `refused` (its outputs are another book's) or `failed` (with a reason).
    Never raises, so one book cannot stop a batch."""
    t0 = time.perf_counter()
    entry: dict = {"book": book.stem, "input": book.path, "status": "failed",
                   "profile_sha256": book.profile_sha, "code_version": book.code_version}
    try:
        if code_version() != book.code_version:
            raise UserError(f"{book.path}: this worker runs different cleanup code ({code_version()}) "
                            f"from the batch ({book.code_version}); install the same version everywhere")
        data = read_bytes(Path(book.path))
        entry["input_sha256"] = sha256(data)
        entry["bytes"] = len(data)
        decisions = None
        entry["decisions_sha256"] = None
        if book.decisions:
            raw = read_bytes(Path(book.decisions))
            entry["decisions_sha256"] = sha256(raw)
            decisions = load_decisions(raw, book.decisions)
        out = Path(book.out_dir)
        if not book.force and is_done(book.prev, entry, out):
            return {**book.prev, "status": "skipped"}
        other = None if book.force else written_for_another_book(book.prev, entry, out)
        if other:  # "refused": failed, but the manifest keeps the entry of the book the outputs are for
            return {**entry, "status": "refused", "reason": (
                f"{shown(book.path)}: its outputs {shown(str(out))}/{book.stem}.* were written for another "
                f"book, {other} (per the manifest); move them, or give --force to replace them")}
        # The book's own name, so outputs match `cleanup run`; a disambiguated one if needed.
        name = shown(Path(book.path).name)  # (a name that is not UTF-8, escaped)
        if output_stem(name) != book.stem:
            name = f"{book.stem}.txt"
        with gc_paused():  # see gc_paused: one pause from cleaning to written outputs
            doc = clean(data, profile, name=name, decisions=decisions)
            record = with_accepted(made_with(book.path, doc.source, profile, book.profile_path, book.dictionaries),
                                   taken_up(doc, decisions))
            paths = write_all(doc, out, decisions, record=record)  # BOOK.txt last
        per_stage = tally(doc.edits, "stage", decisions)  # counted as `cleanup run` and `score` count
        per_rule = tally(doc.edits, "rule", decisions)
        entry.update(
            status="done",
            encoding=doc.encoding,
            applied=total(per_stage).applied,
            proposed=total(per_stage).proposed,
            rules={k: t.to_json() for k, t in sorted(per_rule.items())},
            stages={k: per_stage.get(k, Tally()).to_json() for k in profile["pipeline"]["stages"]},
            unknown_words=_unknown_words(doc, paths),
            outputs={k: Path(p).name for k, p in paths.items()},
        )
    except UserError as e:
        entry["reason"] = str(e)
    except Exception as e:  # a bug must cost one book, not the batch
        tb = traceback.extract_tb(e.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        entry["reason"] = f"internal error {type(e).__name__}: {e}{where}"
    entry["seconds"] = round(time.perf_counter() - t0, 4)
    entry["peak_rss_mb"] = peak_rss_mb()
    entry["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    entry["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return entry


def failed_entry(book: Book, reason: str) -> dict:
    """An entry for a book whose worker died before it could report."""
    return {"book": book.stem, "input": book.path, "status": "failed", "reason": reason,
            "profile_sha256": book.profile_sha, "code_version": book.code_version,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


# -- the manifest -------------------------------------------------------------------
def load_manifest(out: Path) -> dict[str, dict]:
    """Entries by book; the last line for a book wins. A line cut short by a crash
    is not JSON and is dropped, so the book it named is simply done again."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise UserError(f"{out / MANIFEST}: cannot be read ({e.strerror})")
    entries: dict[str, dict] = {}
    for line in text.splitlines():
        try:
            e = json.loads(line)
        except (ValueError, RecursionError):  # cut short, nested too deep, a number too long
            continue
        if _valid_entry(e):
            entries[e["book"]] = e
    return entries


def _valid_entry(e) -> bool:
    """An entry the resume test can read; any other line is dropped and its book done again."""
    if not isinstance(e, dict) or not isinstance(e.get("book"), str):
        return False
    outputs = e.get("outputs")
    return outputs is None or (isinstance(outputs, dict) and all(isinstance(v, str) for v in outputs.values()))


def _line(entry: dict) -> str:
    return json.dumps(_shown(entry), ensure_ascii=False, sort_keys=True) + "\n"


def _shown(value):
    """Paths and reasons with a file name that is not UTF-8 escaped, so the line is UTF-8."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown(k) if isinstance(k, str) else k: _shown(v) for k, v in value.items()}
    return value


def save_manifest(out: Path, entries: dict[str, dict]) -> None:
    atomic_write(out / MANIFEST, "".join(_line(entries[k]) for k in sorted(entries)))


class ManifestLog:
    """Append-only while a batch runs: one whole line per finished book, flushed and
    synced, so a crash loses at most the line being written."""

    def __init__(self, out: Path):
        self.f = open(out / MANIFEST, "a", encoding="utf-8")

    def add(self, entry: dict) -> None:
        self.f.write(_line(entry))
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self) -> None:
        self.f.close()


def _lock(out: Path):
    """Hold an exclusive lock on the output folder: two batches writing one
    manifest would lose each other's lines. A POSIX record lock (`lockf`): it
    belongs to this process alone (forked workers do not inherit it) and the
    kernel releases it when the process dies, however it dies."""
    f = open(out / ".manifest.lock", "a")
    try:
        import fcntl

        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no fcntl (Windows): run unlocked
        pass
    except OSError:
        f.close()
        raise UserError(f"{out}: another batch is writing to this output folder")
    return f


# -- the driver ---------------------------------------------------------------------
@dataclass
class Summary:
    books: int = 0
    done: int = 0
    skipped: int = 0
    failed: list[dict] = field(default_factory=list)
    bytes: int = 0  # input bytes cleaned (skipped books not counted)
    seconds: float = 0.0
    manifest: Path | None = None
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"batch: {self.books} books in {self.seconds:.1f} s: {self.done} cleaned, "
                f"{self.skipped} unchanged (skipped), {len(self.failed)} failed; "
                f"{throughput(self.bytes, self.seconds)}; manifest {self.manifest}")


def throughput(nbytes: int, seconds: float) -> str:
    """MB/s, or kB/s for small books (a shelf of page files would show 0.0 MB/s)."""
    rate = nbytes / seconds if seconds > 0 else 0.0
    return f"{rate / 1e6:.2f} MB/s" if rate >= 1e5 else f"{rate / 1e3:.1f} kB/s"


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def capped_jobs(jobs: int | None, books: int, note: Callable[[str], None]) -> int:
    """Workers: at most one a core (more only share the cores and need more memory)
    and one a book; a request above the cores is capped with a warning."""
    cores = default_jobs()
    if jobs is not None and jobs > cores:
        note(f"--jobs {jobs} is more than the {cores} cores here: using {cores} workers")
        jobs = cores
    return max(1, min(jobs or cores, books))


def _progress(total: int, enabled: bool):
    """A tqdm bar on a terminal (books, books/s, ETA, MB/s), else nothing."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: the local engine forks workers
    return tqdm(total=total, unit="book", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def run_batch(inputs: Iterable[str | Path], out_dir: str | Path, *, profile_path: str | Path | None = None,
              decisions_dir: str | Path | None = None, jobs: int | None = None, force: bool = False,
              engine: str = "local", scheduler: str | None = None, progress: bool | None = None,
              note: Callable[[str], None] | None = None, dictionaries=()) -> Summary:
    """Clean every book in `inputs` into `out_dir`; see the module docstring."""
    from . import dictionaries as user_dictionaries

    note = note or (lambda s: click.echo(s, err=True))
    t0 = time.perf_counter()
    profile = user_dictionaries.add(profiles.load(profile_path), dictionaries)
    books, notes = collect_inputs(inputs, exclude=Path(out_dir).resolve())
    if not books:
        raise UserError("no books to clean: " + ("; ".join(notes) if notes else "no inputs given"))
    if not any(b.is_file() and os.access(b, os.R_OK) for b in books):  # a mistyped path: create nothing
        raise UserError("no readable book to clean: " + "; ".join(
            [*notes, *(f"{b}: no such file" if not b.exists() else f"{b}: not a readable file" for b in books[:5])]))
    out = output_dir(out_dir).resolve()
    user = user_dictionaries.of_profile(profile)
    note(user.describe())
    stems, more = assign_stems(books)
    notes += more
    for n in notes:
        note(shown(n))
    dec_dir = Path(decisions_dir) if decisions_dir is not None else None
    if dec_dir is not None and not dec_dir.is_dir():
        raise UserError(f"{dec_dir}: decisions folder not found")
    jobs = capped_jobs(jobs, len(books), note) if engine == "local" or not scheduler else jobs

    lock = _lock(out)
    try:
        removed = remove_stale_temps(out)
        if removed:
            note(f"{removed} temp files left by a killed run removed from {out}")
        entries = load_manifest(out)
        save_manifest(out, entries)  # compact: drop any line a crash cut short
        # the dictionaries' words count as part of the profile: a changed list makes books due again
        psha, cver = sha256((profile_hash(profile) + user.digest()).encode()), code_version()
        work, refused = [], []
        replaces = inputs_replaced(books, stems, out)
        for i, (b, stem) in enumerate(zip(books, stems)):
            dec = dec_dir / f"{stem}.decisions.json" if dec_dir is not None else None
            bk = Book(path=str(b.resolve()), stem=stem, out_dir=str(out), profile_sha=psha,
                      code_version=cver, decisions=str(dec.resolve()) if dec and dec.is_file() else None,
                      prev=entries.get(stem), force=force,
                      profile_path=str(profile_path) if profile_path is not None else None,
                      dictionaries=tuple(str(d) for d in dictionaries))
            if i in replaces:  # refused before anything is written
                path, given = replaces[i]
                refused.append(failed_entry(bk, f"{b}: its output {path} would replace the input {given}; "
                                                "choose an output folder that holds no book of the same name"))
            else:
                work.append(bk)
        summary = Summary(books=len(books), manifest=out / MANIFEST, notes=notes)
        bar = _progress(len(books), sys.stderr.isatty() if progress is None else progress)
        log = ManifestLog(out)
        try:
            for entry in _chain(refused, _engine(engine, work, profile, jobs, scheduler) if work else ()):
                if entry["status"] == "skipped":
                    summary.skipped += 1
                elif entry["status"] == "refused":
                    summary.failed.append(entry)  # (not recorded: the manifest's entry is the other book's)
                else:
                    entries[entry["book"]] = entry
                    log.add(entry)
                    if entry["status"] == "done":
                        summary.done += 1
                        summary.bytes += entry.get("bytes", 0)
                    else:
                        summary.failed.append(entry)
                if bar is not None:
                    rate = throughput(summary.bytes, time.perf_counter() - t0)
                    bar.set_postfix_str(f"{rate}, {len(summary.failed)} failed", refresh=False)
                    bar.update(1)
        finally:
            log.close()
            if bar is not None:
                bar.close()
            save_manifest(out, entries)
    finally:
        lock.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _chain(first: list[dict], rest: Iterable[dict]) -> Iterator[dict]:
    yield from first
    yield from rest


def inputs_replaced(books: list[Path], stems: list[str], out: Path) -> dict[int, tuple[Path, Path]]:
    """{book index: (its output path, the input it would replace)}: a book whose
    outputs land on a file given as a book (the same file, or the same name but for
    case, which is one file on a case-insensitive disk) is refused, not cleaned."""
    by_name: dict[str, Path] = {}
    by_inode: dict[tuple[int, int], Path] = {}
    for b in books:
        r = b.resolve()
        by_name[str(r).casefold()] = b
        try:
            st = r.stat()
            by_inode[(st.st_dev, st.st_ino)] = b
        except OSError:
            pass
    found = {}
    for i, stem in enumerate(stems):
        for path in output_paths(out, stem).values():
            given = by_name.get(str(path).casefold())
            if given is None and by_inode:
                try:
                    st = path.stat()
                    given = by_inode.get((st.st_dev, st.st_ino))
                except OSError:
                    pass
            if given is not None:
                found[i] = (path, given)
                break
    return found


def _engine(name: str, work: list[Book], profile: dict, jobs: int, scheduler: str | None) -> Iterator[dict]:
    if name == "dask":
        from .engines import dask_engine

        return dask_engine.run(work, profile, scheduler=scheduler, workers=jobs)
    from .engines import local

    return local.run(work, profile, jobs=jobs)


# -- the command ----------------------------------------------------------------------
@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="Folder for every book's outputs and the manifest (manifest.jsonl), as for `cleanup run`.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Worker processes (local engine) or local Dask workers. Default: every core.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="A profile TOML overlaid on the default.")
@click.option("--decisions-dir", type=click.Path(path_type=Path),
              help="Folder of review decisions: BOOK.decisions.json is applied to BOOK.")
@click.option("--force", is_flag=True, help="Clean every book again, even those unchanged since their last run.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a dask.distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); implies --engine dask. "
                   "Without it, --engine dask starts a local cluster of --jobs workers.")
@dictionaries_option
@click.pass_context
def batch_command(ctx, inputs, out_dir, jobs, profile_path, decisions_dir, force, engine, scheduler, dictionaries):
    """Clean many books: INPUT is a file, a folder (its .txt files, recursively) or a glob.

    Each book gets the same outputs as `cleanup run`. Books unchanged since their
    outputs were written (same input, profile, decisions and cleanup version) are
    skipped; a book that fails is recorded in OUT_DIR/manifest.jsonl with the reason
    and the rest go on. Exit status 1 if any book failed."""
    if scheduler:
        engine = "dask"
    try:
        s = run_batch(inputs, out_dir, profile_path=profile_path, decisions_dir=decisions_dir, jobs=jobs,
                      force=force, engine=engine, scheduler=scheduler, dictionaries=dictionaries)
    except KeyboardInterrupt:
        click.echo(f"\nbatch: interrupted; finished books are kept in {out_dir}/{MANIFEST}: "
                   "run the same command again to go on", err=True)
        ctx.exit(130)
    for e in s.failed[:20]:
        reason, given = shown(e.get("reason", "")), shown(e["input"])
        named = Path(given).name in reason  # UserErrors already name the file
        click.echo(f"  failed: {reason}" if named else f"  failed: {given}: {reason}", err=True)
    if len(s.failed) > 20:
        click.echo(f"  … and {len(s.failed) - 20} more: see {s.manifest}", err=True)
    click.echo(s.line(), err=True)
    if s.failed:
        ctx.exit(1)
