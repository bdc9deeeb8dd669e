"""Hostile and odd inputs: each gets a correct result or one clear message naming
the file and the problem, and nothing the user had is lost or half-written."""
import os

import pytest
from click.testing import CliRunner

from cleanup.cli import main
from cleanup.decode import decode, encode
from cleanup.document import render
from cleanup.pipeline import clean

from .unprivileged import run_cli

TEXT = "Clara Zetkin’s “recollections” — of Lenin.\nThe second line of the page, café.\n"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.mark.parametrize("encoding, expected_name", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("cp1252", "cp1252"),
])
def test_encodings_are_detected_and_the_round_trip_is_exact(encoding, expected_name):
    data = TEXT.encode(encoding)
    text, name = decode(data, "x.txt")
    assert name == expected_name
    assert text.lstrip("\ufeff") == TEXT
    doc = clean(data, name="x.txt")
    assert "\ufeff" not in doc.text and "Zetkin’s “recollections” — of Lenin." in doc.text
    from cleanup.scoring import source_from_log

    undone = source_from_log(render(doc.source, doc.edits), doc.edits)
    assert encode(undone, doc.encoding) == data


def test_latin1_without_cp1252_characters_is_read():
    data = "naïve façade in Zürich, señor\n".encode("latin-1")
    assert "naïve façade in Zürich, señor" in clean(data, name="x.txt").text


def test_mojibake_is_repaired_and_curly_quotes_kept():
    doc = clean("Lenin’s words were â€œclearâ€\x9d and Zetkinâ€™s too.\n")
    assert doc.text == "Lenin’s words were “clear” and Zetkin’s too.\n"
    assert {e.rule for e in doc.edits} >= {"mojibake"}


@pytest.mark.parametrize("raw", [
    "one line\r\nand the next line of it\r\n",
    "one line\rand the next line of it\r",
    "one line\n\fand the next line of it\n",
    "one\tline\nand the next\x00 line of it\n",
])
def test_line_ends_and_control_characters(raw):
    out = clean(raw).text
    assert out == "one line and the next line of it\n" or out == "one line\n\nand the next line of it\n"
    assert not any(c in out for c in "\r\t\f\x00")


@pytest.mark.parametrize("raw", ["", " ", "\n\n\n", " \t \n  \n"])
def test_empty_and_whitespace_only_files(tmp_path, raw):
    book = tmp_path / "empty.txt"
    book.write_text(raw, encoding="utf-8")
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "empty.txt").read_text(encoding="utf-8").strip() == ""


def test_odd_characters_in_the_path(tmp_path):
    folder = tmp_path / "a folder with spaces & ‘quotes’"
    folder.mkdir()
    book = folder / "Zetkin — memoir (1955) [draft].txt"
    book.write_text(TEXT, encoding="utf-8")
    res = run("run", book, "-o", folder / "out")
    assert res.exit_code == 0, res.output
    assert (folder / "out" / "Zetkin — memoir (1955) [draft].txt").exists()


def test_an_output_folder_that_cannot_be_made_is_named(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(TEXT, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    res = run("run", book, "-o", blocker / "out")
    assert res.exit_code == 1 and "out" in res.output and "Traceback" not in res.output


def test_an_unreadable_file_is_named(tmp_path):
    book = tmp_path / "secret.txt"
    book.write_text(TEXT, encoding="utf-8")
    book.chmod(0)
    res = run_cli("run", book, "-o", tmp_path / "out")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "secret.txt" in res.stderr and "not readable" in res.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_run_killed_mid_write_leaves_no_finished_looking_output_and_the_next_run_completes(tmp_path, monkeypatch):
    import cleanup.files as files

    book = tmp_path / "book.txt"
    book.write_text(TEXT, encoding="utf-8")
    real_replace = os.replace
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        if str(dst).endswith(".report.html"):
            raise KeyboardInterrupt  # the process is stopped right here
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        from cleanup.outputs import write_all
        write_all(clean(book.read_bytes(), name="book.txt"), tmp_path / "out")
    out = tmp_path / "out"
    assert not (out / "book.txt").exists()  # the cleaned text is written last: nothing looks finished
    assert not list(out.glob(".*.tmp"))  # and no temp file is left behind
    monkeypatch.setattr(files.os, "replace", real_replace)
    assert run("run", book, "-o", out).exit_code == 0
    assert (out / "book.txt").read_text(encoding="utf-8").startswith("Clara Zetkin’s")


def test_a_50_mb_single_line_gets_one_clear_message_and_no_outputs(tmp_path):
    book = tmp_path / "dump.txt"
    book.write_bytes(b"word " * (10 * 1024 * 1024))  # 50 MiB, no line break
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "dump.txt: line 1 is 52,428,800 characters long" in res.output
    assert "max_line_chars" in res.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_long_line_under_the_limit_is_cleaned(tmp_path):
    book = tmp_path / "long.txt"
    book.write_text("The workers and the party met again. " * 20_000, encoding="utf-8")  # 740 kB line
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "long.txt").read_text(encoding="utf-8").startswith("The workers and the party met again. The")
