"""`cleanup batch`: bad files among good ones, resume, name clashes, crashes, Dask."""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleanup import batch
from cleanup.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MEMOIR = (SEEDS / "zetkin-my-recollections-of-lenin.txt").read_text(encoding="utf-8")


def _excerpt(i: int, size: int = 6000) -> str:
    """A different stretch of the memoir per book: real OCR text, quick to clean."""
    start = (i * 7919) % (len(MEMOIR) - size)
    start = MEMOIR.index("\n", start) + 1
    return MEMOIR[start : start + size]


def _books(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"book{i}.txt"
        p.write_text(_excerpt(i), encoding="utf-8")
        paths.append(p)
    return paths


def _manifest(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["book"]: e for e in map(json.loads, lines)}


def _outputs(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, the manifest aside (it records times)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".") and p.name != "manifest.jsonl"}


def _stamps(out: Path) -> dict[str, int]:
    """Identity per output: an atomic rewrite makes a new file, a skipped book keeps it."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir() if p.name != "manifest.jsonl"}


def _batch(*args: str) -> Result:
    return CliRunner().invoke(main, ["batch", *args], catch_exceptions=False)


def test_a_corrupt_book_fails_alone_and_the_rest_match_cleanup_run(tmp_path):
    good = _books(tmp_path / "in", 3)
    (tmp_path / "in" / "scan.txt").write_bytes(bytes(range(256)) * 64)  # binary, named .txt
    out = tmp_path / "out"

    r = _batch(str(tmp_path / "in"), str(tmp_path / "missing.txt"), "-o", str(out), "--jobs", "2")

    assert r.exit_code == 1
    assert "3 cleaned" in r.output and "2 failed" in r.output
    m = _manifest(out)
    assert m["scan"]["status"] == "failed" and "binary" in m["scan"]["reason"]
    assert m["missing"]["status"] == "failed" and "no such file" in m["missing"]["reason"]
    assert not any(p.name.startswith("scan.") for p in out.iterdir())  # nothing half-made
    for p in good:
        e = m[p.stem]
        assert e["status"] == "done" and e["bytes"] == p.stat().st_size
        assert e["applied"] == sum(r["applied"] for r in e["rules"].values())  # one count, from the log
        assert e["proposed"] == sum(s["proposed"] for s in e["stages"].values())
        assert set(e["outputs"]) >= {"text", "changes", "report"}
    # Per book, the very same outputs as `cleanup run`.
    ref = tmp_path / "ref"
    assert CliRunner().invoke(main, ["run", *map(str, good), "-o", str(ref)]).exit_code == 0
    # (BOOK.run.json, the record `apply` reads, names the scan as it was given: absolute in a batch)
    def outputs(folder):
        return {k: v for k, v in _outputs(folder).items() if not k.endswith(".run.json")}

    assert outputs(out) == outputs(ref)
    assert {p.name for p in out.glob("*.run.json")} == {p.name for p in ref.glob("*.run.json")}
    # ... so `apply` renders a batch's book from its log, as it does a run's
    none = tmp_path / "none.json"
    none.write_text("{}", encoding="utf-8")
    r = CliRunner().invoke(main, ["apply", str(good[0]), "--decisions", str(none), "-o", str(out)])
    assert r.exit_code == 0 and "rendered from" in r.output, r.output


def test_resume_skips_finished_books_and_redoes_changed_ones(tmp_path):
    books = _books(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2").exit_code == 0
    first, before = _manifest(out), _stamps(out)

    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2")
    assert r.exit_code == 0 and "0 cleaned, 3 unchanged" in r.output
    assert _stamps(out) == before and _manifest(out) == first

    books[1].write_text(_excerpt(40), encoding="utf-8")  # a new scan of book1
    (out / "book2.report.html").unlink()  # an output lost
    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2")
    assert "2 cleaned, 1 unchanged" in r.output
    now = _stamps(out)
    assert all(now[k] == before[k] for k in before if k.startswith("book0."))
    assert all(now[k] != before[k] for k in before if k.startswith("book1."))
    assert _manifest(out)["book1"]["input_sha256"] != first["book1"]["input_sha256"]
    assert (out / "book1.txt").read_text(encoding="utf-8") != ""

    r = _batch(str(tmp_path / "in"), "-o", str(out), "--force", "-j", "1")
    assert "3 cleaned, 0 unchanged" in r.output


def test_a_changed_profile_redoes_every_book(tmp_path):
    _books(tmp_path / "in", 2)
    out = tmp_path / "out"
    _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    prof = tmp_path / "p.toml"
    prof.write_text("[line-ends]\ntab_to_space = false\n", encoding="utf-8")
    r = _batch(str(tmp_path / "in"), "-o", str(out), "--profile", str(prof), "-j", "1")
    assert "2 cleaned, 0 unchanged" in r.output


def test_a_manifest_line_cut_by_a_crash_costs_only_that_book(tmp_path):
    _books(tmp_path / "in", 3)
    out = tmp_path / "out"
    _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    # As if the batch died while appending book2's line.
    (out / "manifest.jsonl").write_text("".join(lines[:2]) + lines[2][: len(lines[2]) // 2], encoding="utf-8")

    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert r.exit_code == 0 and "1 cleaned, 2 unchanged" in r.output
    assert set(_manifest(out)) == {"book0", "book1", "book2"}  # compacted, every line whole


def test_same_name_in_two_folders_and_globs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "vol.txt").write_text(_excerpt(1), encoding="utf-8")
    (tmp_path / "b" / "vol.txt").write_text(_excerpt(2), encoding="utf-8")
    out = tmp_path / "out"

    r = _batch(str(tmp_path / "*" / "vol.txt"), "-o", str(out), "-j", "1")  # the glob unexpanded

    assert r.exit_code == 0 and "share the name" in r.output
    texts = sorted(p for p in out.glob("vol-*.txt"))
    assert len(texts) == 2 and texts[0].read_bytes() != texts[1].read_bytes()
    again = _batch(str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "-j", "1")
    assert "2 unchanged" in again.output  # the same names from run to run


def test_outputs_inside_an_input_folder_are_not_taken_for_books(tmp_path):
    _books(tmp_path / "in", 2)
    out = tmp_path / "in" / "cleaned"
    _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert "batch: 2 books" in r.output and "are outputs, not books" in r.output


def test_decisions_are_applied_and_part_of_the_resume_key(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text("A line\r\nand another\r\n", encoding="utf-8")
    out, dec = tmp_path / "out", tmp_path / "dec"
    dec.mkdir()
    _batch(str(tmp_path / "in"), "-o", str(out), "--decisions-dir", str(dec), "-j", "1")
    changes = [json.loads(x) for x in (out / "b.changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert changes and b"\r" not in (out / "b.txt").read_bytes()

    (dec / "b.decisions.json").write_text(json.dumps({"reject": [c["id"] for c in changes]}), encoding="utf-8")
    r = _batch(str(tmp_path / "in"), "-o", str(out), "--decisions-dir", str(dec), "-j", "1")
    assert "1 cleaned" in r.output
    # every change rejected is an undo: the scan's own bytes, CR LF and all
    assert (out / "b.txt").read_bytes() == b"A line\r\nand another\r\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers to carry the fault")
def test_a_bug_costs_only_its_book(tmp_path, monkeypatch):
    _books(tmp_path / "in", 3)
    real = batch.clean

    def buggy(data, profile, name, **kw):
        if name == "book1.txt":
            raise RuntimeError("a bug")
        return real(data, profile, name=name, **kw)

    monkeypatch.setattr(batch, "clean", buggy)  # inherited by the forked worker
    s = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, progress=False, note=lambda _: None)

    assert s.done == 2 and [e["book"] for e in s.failed] == ["book1"]
    assert s.failed[0]["reason"].startswith("internal error RuntimeError: a bug at ")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers to carry the fault")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_dies_fails_only_its_own_book_and_the_rerun_redoes_it(tmp_path, monkeypatch, jobs):
    _books(tmp_path / "in", 12)
    real = batch.clean

    def fatal(data, profile, name, **kw):
        if name in ("book1.txt", "book7.txt"):
            os._exit(3)  # the worker process dies outright, as when the OOM killer strikes
        return real(data, profile, name=name, **kw)

    monkeypatch.setattr(batch, "clean", fatal)  # inherited by the forked workers
    s = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=jobs, progress=False, note=lambda _: None)

    failed = {e["book"]: e["reason"] for e in s.failed}
    assert sorted(failed) == ["book1", "book7"] and all("worker process died" in r for r in failed.values())
    assert s.done == 10
    monkeypatch.setattr(batch, "clean", real)
    again = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=2, progress=False, note=lambda _: None)
    assert (again.done, again.skipped, again.failed) == (2, 10, [])


def _state(pid: int) -> str | None:
    """A process's state letter, None once it is gone (a zombie, Z, is dead too)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_kill_9_of_the_batch_parent_ends_its_workers_and_the_same_command_completes(tmp_path, how):
    import signal
    import subprocess
    import time

    _books(tmp_path / "in", 16)
    out = tmp_path / "out"
    cmd = [str(Path(sys.executable).with_name("cleanup")), "batch", str(tmp_path / "in"), "-o", str(out), "-j", "2"]
    parent = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "manifest.jsonl").is_file() or not (
            out / "manifest.jsonl").read_text(encoding="utf-8").strip():
        time.sleep(0.05)  # until one book is recorded: the workers are mid-batch
    workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent_of(int(p.name)) == parent.pid]
    assert workers
    parent.send_signal(getattr(signal, how))
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_state(p) not in (None, "Z") for p in workers):
        time.sleep(0.05)
    assert all(_state(p) in (None, "Z") for p in workers)  # no orphan goes on writing

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr  # the lock died with its holder
    assert "0 failed" in again.stderr
    assert {e["status"] for e in _manifest(out).values()} == {"done"} and len(_manifest(out)) == 16


def test_dask_engine_on_a_local_cluster_writes_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    _books(tmp_path / "in", 4)
    (tmp_path / "in" / "scan.txt").write_bytes(bytes(range(256)) * 64)  # binary
    local = batch.run_batch([tmp_path / "in"], tmp_path / "local", jobs=2, progress=False, note=lambda _: None)

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = batch.run_batch([tmp_path / "in"], tmp_path / "dask", engine="dask",
                                 scheduler=cluster.scheduler_address, progress=False, note=lambda _: None)

    assert not [e for e in remote.failed if e["book"] != "scan"], remote.failed
    assert (remote.done, len(remote.failed)) == (local.done, len(local.failed)) == (4, 1)
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
    here = f"{socket.gethostname()}:{os.getpid()}"
    assert all(e["worker"] != here for e in _manifest(tmp_path / "dask").values())  # ran on the workers


def test_a_cleaned_book_is_freed_without_the_cyclic_collector(tmp_path):
    """A worker cleans book after book with the cyclic GC paused (pipeline.gc_paused)
    and its full passes rare: a reference cycle in a book's state kept every book's
    words and edits alive (a worker grew about 9 MB a book). Reference counting alone
    must free a book's document and what its run kept (its context) once written."""
    import weakref

    from cleanup.outputs import write_all
    from cleanup.pipeline import clean, gc_paused

    with gc_paused():
        doc = clean(MEMOIR[:30000], name="b.txt")
        write_all(doc, tmp_path)
        state = doc.context
        refs = [weakref.ref(doc), weakref.ref(state)]
        del doc, state
        assert [r() for r in refs] == [None, None]


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_scans_in_the_output_folder_are_books_and_never_replaced(tmp_path):
    """`cleanup batch lib -o lib/sub` where lib/sub holds scans: they are cleaned like
    the rest, under names that replace nothing; a scan whose output name is itself
    is refused, naming both; nothing the user had changes."""
    lib, sub = tmp_path / "lib", tmp_path / "lib" / "sub"
    sub.mkdir(parents=True)
    (lib / "a.txt").write_text(_excerpt(1), encoding="utf-8")
    (sub / "a.txt").write_text(_excerpt(2), encoding="utf-8")  # same name as a book in lib
    (sub / "d.txt").write_text(_excerpt(3), encoding="utf-8")  # its output would be itself
    before = _hashes(lib)

    r = _batch(str(lib), "-o", str(sub), "-j", "2")
    assert r.exit_code == 1 and "3 books" in r.output and "2 cleaned" in r.output and "1 failed" in r.output
    m = _manifest(sub)
    assert "would replace the input" in m["d"]["reason"] and str(sub / "d.txt") in m["d"]["reason"]
    assert {k: v for k, v in _hashes(lib).items() if k in before} == before
    assert len(list(sub.glob("a-*.txt"))) == 2 and not (sub / "d.changes.jsonl").exists()

    again = _batch(str(lib), "-o", str(sub), "-j", "2")  # outputs are not taken for books
    assert "3 books" in again.output and "2 unchanged" in again.output and "are outputs, not books" in again.output
    assert {k: v for k, v in _hashes(lib).items() if k in before} == before


def test_a_file_in_the_output_folder_that_cleanup_did_not_write_fails_only_its_book(tmp_path):
    _books(tmp_path / "in", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "book1.report.html").write_text("the user's page\n", encoding="utf-8")
    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert r.exit_code == 1 and "1 cleaned" in r.output
    assert "would replace a file cleanup did not write" in _manifest(out)["book1"]["reason"]
    assert (out / "book1.report.html").read_text(encoding="utf-8") == "the user's page\n"
    assert not (out / "book1.txt").exists() and (out / "book0.txt").exists()


def test_a_file_name_that_is_not_utf8_never_stops_a_batch(tmp_path):
    _books(tmp_path / "in", 2)
    (tmp_path / "in" / os.fsdecode(b"bad\xff.txt")).write_text(_excerpt(5), encoding="utf-8")
    (tmp_path / "in" / os.fsdecode(b"bin\xfe.txt")).write_bytes(bytes(range(256)) * 64)
    out = tmp_path / "out"
    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2")
    assert r.exit_code == 1 and "3 cleaned" in r.output and "1 failed" in r.output
    assert "bin\\xfe.txt" in r.output and "Traceback" not in r.output
    m = _manifest(out)  # every line UTF-8 JSON
    assert {k: e["status"] for k, e in m.items()} == {"book0": "done", "book1": "done", "bad_xff": "done", "bin_xfe": "failed"}
    assert m["bad_xff"]["input"].endswith("bad\\xff.txt") and "binary" in m["bin_xfe"]["reason"]
    assert (out / "bad_xff.txt").is_file()
    again = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2")
    assert "3 unchanged" in again.output  # resumed like any other book


def test_manifest_lines_that_cannot_be_read_cost_only_their_books(tmp_path):
    _books(tmp_path / "in", 3)
    out = tmp_path / "out"
    _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    bad = ["[" * 100_000 + "]" * 100_000, '{"book": ' + "1" * 100_000 + "}",
           '{"book": "book1", "status": "done", "outputs": 5}']  # nested too deep, a number too long, a wrong type
    (out / "manifest.jsonl").write_text("\n".join([lines[0], *bad, lines[2]]) + "\n", encoding="utf-8")
    r = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert r.exit_code == 0 and "1 cleaned, 2 unchanged" in r.output and "Traceback" not in r.output
    assert set(_manifest(out)) == {"book0", "book1", "book2"}


def test_jobs_are_capped_at_the_cores_with_a_warning(tmp_path):
    _books(tmp_path / "in", 3)
    notes = []
    s = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=100, progress=False, note=notes.append)
    cores = batch.default_jobs()
    assert s.done == 3 and f"--jobs 100 is more than the {cores} cores here: using {cores} workers" in notes
    assert batch.capped_jobs(None, 1, notes.append) == 1 and batch.capped_jobs(None, 100, notes.append) == cores


def test_outputs_written_for_another_book_of_the_same_name_are_not_replaced(tmp_path):
    for d, i in (("a", 1), ("b", 2)):
        (tmp_path / d).mkdir()
        (tmp_path / d / "vol.txt").write_text(_excerpt(i), encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(str(tmp_path / "a"), "-o", str(out), "-j", "1").exit_code == 0
    before = _outputs(out)
    r = _batch(str(tmp_path / "b"), "-o", str(out), "-j", "1")  # another book, the same name
    assert r.exit_code == 1 and "were written for another book" in r.output and str(tmp_path / "a" / "vol.txt") in r.output
    assert _outputs(out) == before
    assert "another book" in _batch(str(tmp_path / "b"), "-o", str(out), "-j", "1").output  # and again
    assert _outputs(out) == before
    (tmp_path / "a" / "vol.txt").rename(tmp_path / "moved.txt")
    (tmp_path / "c").mkdir()
    (tmp_path / "moved.txt").rename(tmp_path / "c" / "vol.txt")  # the same scan, moved: the same book
    assert "1 unchanged" in _batch(str(tmp_path / "c"), "-o", str(out), "-j", "1").output
    r = _batch(str(tmp_path / "b"), "-o", str(out), "-j", "1", "--force")
    assert r.exit_code == 0 and _outputs(out) != before


def test_an_accepted_proposal_is_in_the_text_later_stages_read_as_in_run(tmp_path):
    # a strict profile only proposes the running heads; the reviewer accepts them all:
    # batch rejoins the pages around them exactly as `run` does with the same decisions
    from .ocrlike import paged_book

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "vol.txt").write_text(
        paged_book(lambda p: f"{p} THE DUCHESS OF TRAJETTO." if p % 2 == 0 else f"REST AND PEACE. {p}"),
        encoding="utf-8")
    prof = tmp_path / "p.toml"
    prof.write_text("[rules]\nnumbered-running-head.auto_apply = 1.01\n", encoding="utf-8")
    first = tmp_path / "first"
    assert _batch(str(tmp_path / "in"), "-o", str(first), "--profile", str(prof), "-j", "1").exit_code == 0
    heads = [json.loads(line)["id"] for line in (first / "vol.changes.jsonl").read_text("utf-8").splitlines()
             if json.loads(line)["rule"] == "numbered-running-head"]
    dec = tmp_path / "dec"
    dec.mkdir()
    (dec / "vol.decisions.json").write_text(json.dumps({"accept": heads}), encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(str(tmp_path / "in"), "-o", str(out), "--profile", str(prof), "--decisions-dir", str(dec),
                  "-j", "1").exit_code == 0
    ran = tmp_path / "ran"
    r = CliRunner().invoke(main, ["run", str(tmp_path / "in" / "vol.txt"), "-o", str(ran), "--profile", str(prof),
                                  "--decisions", str(dec / "vol.decisions.json")])
    assert r.exit_code == 0, r.output
    text = (out / "vol.txt").read_text("utf-8")
    assert text == (ran / "vol.txt").read_text("utf-8")
    assert "TRAJETTO" not in text and text.count("\n\n") == 0
