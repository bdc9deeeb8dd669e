"""`cleanup run` end to end: outputs, the change log's fields, and clear errors."""
import json

import pytest
from click.testing import CliRunner

from cleanup.cli import main

from .unprivileged import run_cli

PAGE = ("The present edition of Clara Zetkin’s My Recollections \n"
        "of Lenin comprises the following items published before \n"
        "by IMEL. It also contains a fore\n"
        "word by Nadezhda Konstantinovna Krupskaya.\n\n"
        "Clara Zetkin’s recollections tell the story of the meet\n"
        "ings with Lenin in 1920, 1921, and 1922.\n")


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_run_writes_text_log_and_report(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(PAGE, encoding="utf-8")
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    text = (out / "book.txt").read_text(encoding="utf-8")
    assert "meetings with Lenin" in text and text.endswith(".\n")
    edits = [json.loads(line) for line in (out / "book.changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert edits
    for e in edits:
        assert {"id", "stage", "rule", "start", "end", "line", "before", "after", "confidence", "reason"} <= e.keys()
        assert PAGE[e["start"] : e["end"]] == e["before"]
    assert "<html" in (out / "book.report.html").read_text(encoding="utf-8").lower()
    assert "changes" in res.output and " s" in res.output  # the stderr summary


def test_help_explains_every_option():
    res = run("run", "--help")
    assert res.exit_code == 0
    for opt in ("--out", "--profile"):
        assert opt in res.output


@pytest.mark.parametrize("setup, message", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "is a folder"),
])
def test_bad_input_gets_one_clear_line(tmp_path, setup, message):
    res = run("run", setup(tmp_path), "-o", tmp_path / "out")
    assert res.exit_code == 1
    assert message in res.output and "Traceback" not in res.output


def test_binary_input_is_refused_by_name_and_nothing_is_written(tmp_path):
    blob = tmp_path / "scan.txt"
    blob.write_bytes(bytes(range(256)) * 64)
    res = run("run", blob, "-o", tmp_path / "out")
    assert res.exit_code == 1
    assert "scan.txt" in res.output and "binary" in res.output
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_unwritable_output_folder_is_named(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    res = run_cli("run", book, "-o", out)
    assert res.returncode == 1, res.stderr
    assert "ro: output folder is not writable" in res.stderr and "Traceback" not in res.stderr
    assert list(out.iterdir()) == []


def test_bad_profile_is_named(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(PAGE, encoding="utf-8")
    prof = tmp_path / "p.toml"
    prof.write_text("[pipeline\nstages = 3", encoding="utf-8")
    res = run("run", book, "--profile", prof, "-o", tmp_path / "out")
    assert res.exit_code == 1 and "p.toml" in res.output and "TOML" in res.output


def test_legacy_encoding_is_detected_and_named(tmp_path):
    book = tmp_path / "old.txt"
    book.write_bytes("Café society in Zürich — naïve façades.\n".encode("cp1252"))
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "cp1252" in res.output or "1252" in res.output
    assert "Café society in Zürich — naïve façades." in (tmp_path / "out" / "old.txt").read_text(encoding="utf-8")


def test_output_names_cannot_escape_the_output_folder(tmp_path):
    from cleanup.files import output_stem
    assert output_stem("../../etc/passwd.txt") == "passwd"
    assert "/" not in output_stem("a/b\\c.txt") and output_stem("..") == "book"


def test_run_refuses_to_clean_its_own_output_over_itself(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(PAGE, encoding="utf-8")
    assert run("run", book, "-o", tmp_path / "out").exit_code == 0
    out = tmp_path / "out" / "book.txt"
    before = out.read_bytes()
    res = run("run", out, "-o", tmp_path / "out")
    assert res.exit_code == 1 and "cleaned output" in res.output
    assert out.read_bytes() == before


def _hashes(folder):
    import hashlib
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("book, theirs", [
    ("ov/a.text", "a.txt"),  # the scan's output name is a file the user has beside it
    ("ov/b.TXT", "b.txt"),
    ("src/c.txt", "c.report.html"),  # any output name, not only the text
    ("src/d.txt", "d.changes.jsonl"),  # a log that cleanup did not write proves nothing
])
def test_run_never_replaces_a_file_the_user_had(tmp_path, book, theirs):
    ov, book = tmp_path / "ov", tmp_path / book
    book.parent.mkdir(exist_ok=True)
    ov.mkdir(exist_ok=True)
    book.write_text(PAGE, encoding="utf-8")
    (ov / theirs).write_text("the user's own file\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    before = _hashes(ov)
    res = run("run", tmp_path / "good.txt", book, "-o", ov)  # the good book is not written either
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert str(book) in res.output and str(ov / theirs) in res.output  # both paths named
    assert _hashes(ov) == before  # nothing replaced, nothing written


def test_an_input_that_is_one_file_with_the_output_but_for_case_is_refused(tmp_path):
    """`b.TXT` and `b.txt` are one file on a case-insensitive disk: refused on every disk."""
    ov = tmp_path / "ov"
    ov.mkdir()
    (ov / "b.TXT").write_text(PAGE, encoding="utf-8")
    before = _hashes(ov)
    res = run("run", ov / "b.TXT", "-o", ov)
    assert res.exit_code == 1 and "would replace" in res.output and "b.TXT" in res.output
    assert _hashes(ov) == before


def test_run_replaces_its_own_earlier_outputs(tmp_path):
    (tmp_path / "a.text").write_text(PAGE, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "empty.txt").write_text("", encoding="utf-8")  # no change: an empty log
    for _ in range(2):
        res = run("run", tmp_path / "a.text", tmp_path / "src" / "empty.txt", "-o", tmp_path)
        assert res.exit_code == 0, res.output
    assert (tmp_path / "a.text").read_text(encoding="utf-8") == PAGE
    assert "meetings with Lenin" in (tmp_path / "a.txt").read_text(encoding="utf-8")


def test_two_books_of_one_name_in_one_run_are_refused_before_anything_is_written(tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "vol.txt").write_text(PAGE, encoding="utf-8")
    res = run("run", tmp_path / "x" / "vol.txt", tmp_path / "y" / "vol.txt", "-o", tmp_path / "out")
    assert res.exit_code == 1 and "x/vol.txt" in res.output and "y/vol.txt" in res.output
    assert not (tmp_path / "out").exists()


def test_learn_never_writes_over_an_input_and_asks_before_replacing_a_file(tmp_path):
    scan, truth = tmp_path / "s.txt", tmp_path / "t.txt"
    scan.write_text("Tho workers met.\n", encoding="utf-8")
    truth.write_text("The workers met.\n", encoding="utf-8")
    before = _hashes(tmp_path)
    for target in (scan, truth):
        res = run("learn", "--scan", scan, "--proofread", truth, "-o", target, "--force")
        assert res.exit_code == 1 and f"would replace the input {target}" in res.output
    assert _hashes(tmp_path) == before
    prof = tmp_path / "p.toml"
    prof.write_text("# mine\n", encoding="utf-8")
    res = run("learn", "--scan", scan, "--proofread", truth, "-o", prof)
    assert res.exit_code == 1 and "already exists" in res.output and "--force" in res.output
    assert prof.read_text(encoding="utf-8") == "# mine\n"
    assert run("learn", "--scan", scan, "--proofread", truth, "-o", prof, "--force").exit_code == 0
    assert prof.read_text(encoding="utf-8").startswith("# Learned by")
