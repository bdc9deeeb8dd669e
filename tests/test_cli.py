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



def test_run_refuses_to_replace_another_books_outputs_and_its_review(tmp_path):
    for d, page in (("x", PAGE), ("y", "Another book altogether, with tbe other words.\n")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "vol.txt").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    assert run("run", tmp_path / "x" / "vol.txt", "-o", out).exit_code == 0
    (out / "vol.decisions.json").write_text('{"reject": []}', encoding="utf-8")  # the reviewer's work on x
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    res = run("run", tmp_path / "y" / "vol.txt", "-o", out)
    assert res.exit_code == 1 and "x/vol.txt" in res.output and "--force" in res.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written
    # the same book again (a new scan at its path, or moved) is the same book; --force replaces
    (tmp_path / "x" / "vol.txt").write_text(PAGE + "One more line.\n", encoding="utf-8")
    assert run("run", tmp_path / "x" / "vol.txt", "-o", out).exit_code == 0
    assert run("run", tmp_path / "y" / "vol.txt", "-o", out, "--force").exit_code == 0
    assert "Another book" in (out / "vol.txt").read_text(encoding="utf-8")

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


MALFORMED = {  # decisions file -> what the one message says
    "deep.json": ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    "number.json": ('{"reject": [' + "1" * 100_000 + "]}", "number too long"),
    "syntax.json": ('{"reject": [}', "not valid JSON"),
    "shape.json": ('{"reject": "abc"}', "must be a list of strings"),
}


@pytest.fixture(scope="module")
def cleaned_book(tmp_path_factory):
    d = tmp_path_factory.mktemp("book")
    (d / "book.txt").write_text(PAGE, encoding="utf-8")
    assert run("run", d / "book.txt", "-o", d / "out").exit_code == 0
    for name, (text, _) in MALFORMED.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("name", sorted(MALFORMED))
@pytest.mark.parametrize("command", ["run", "apply", "review", "score"])
def test_a_malformed_decisions_file_gets_one_message_naming_it(cleaned_book, name, command):
    d = cleaned_book
    args = {"run": ["run", d / "book.txt", "-o", d / "out2"], "apply": ["apply", d / "book.txt", "-o", d / "out"],
            "review": ["review", d / "book.txt", "-o", d / "out"],
            "score": ["score", d / "out" / "book.txt", d / "book.txt"]}[command]
    before = (d / "out" / "book.txt").read_bytes()
    res = run(*args, "--decisions", d / name)
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)  # no other exception escaped
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"cleanup: {d / name}: ") and MALFORMED[name][1] in lines[0]
    assert (d / "out" / "book.txt").read_bytes() == before and not (d / "out2").exists()


def test_a_decisions_file_with_a_byte_order_mark_is_read(cleaned_book):
    d = cleaned_book
    (d / "bom.json").write_bytes(b"\xef\xbb\xbf" + b'{"reject_rules": ["line-join"]}')
    res = run("apply", d / "book.txt", "--decisions", d / "bom.json", "-o", d / "out")
    assert res.exit_code == 0 and "rejected rules match" in res.output


@pytest.mark.parametrize("line, message", [
    ("[" * 100_000 + "]" * 100_000, "line 2: not a change record: its JSON is nested too deep"),
    ('{"start": ' + "1" * 100_000 + "}", "line 2: not a change record: it holds a number too long"),
    ('{"id": "a", "stage": "s", "rule": "r", "start": "x", "end": 1, "line": 1, "before": "", "after": "", '
     '"confidence": 1, "reason": ""}', "line 2 is not a change record ('start' is not a whole number)"),
])
def test_score_names_a_malformed_change_log_line(tmp_path, line, message):
    (tmp_path / "book.txt").write_text(PAGE, encoding="utf-8")
    assert run("run", tmp_path / "book.txt", "-o", tmp_path / "out").exit_code == 0
    log = tmp_path / "out" / "book.changes.jsonl"
    log.write_text(log.read_text(encoding="utf-8").splitlines()[0] + "\n" + line + "\n", encoding="utf-8")
    res = run("score", tmp_path / "out" / "book.txt", tmp_path / "book.txt")
    assert res.exit_code == 1 and res.output.startswith(f"cleanup: {log}: {message}") and res.output.count("\n") == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_learn_reads_the_encodings_run_reads(tmp_path, encoding):
    scan, truth = tmp_path / "s.txt", tmp_path / "t.txt"
    scan.write_bytes(("Tho café workers met tho leaders. " * 3 + "\n").encode(encoding))
    truth.write_bytes(("The café workers met the leaders. " * 3 + "\n").encode(encoding))
    res = run("learn", "--scan", scan, "--proofread", truth, "-o", tmp_path / "p.toml")
    assert res.exit_code == 0, res.output
    assert '"tho"' in (tmp_path / "p.toml").read_text(encoding="utf-8")  # the scanno, learned


# -- issue 15: several books, user dictionaries, honest counts, progress -------------------
def test_run_cleans_every_book_it_can_names_each_failure_and_exits_1(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(PAGE, encoding="utf-8")
    b.write_text(PAGE, encoding="utf-8")
    res = run("run", a, tmp_path / "missing.txt", b, "-o", tmp_path / "out")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "missing.txt: no such file" in res.output
    assert "2 of 3 books cleaned" in res.output
    for name in ("a", "b"):
        assert "meetings with Lenin" in (tmp_path / "out" / f"{name}.txt").read_text(encoding="utf-8")


def test_run_on_a_folder_points_to_batch(tmp_path):
    res = run("run", tmp_path, "-o", tmp_path / "out")
    assert res.exit_code == 1 and "is a folder" in res.output and "cleanup batch" in res.output


def test_batch_with_no_readable_input_creates_nothing(tmp_path):
    out = tmp_path / "out"
    res = run("batch", tmp_path / "mistyped.txt", tmp_path / "nothing-*.txt", "-o", out)
    assert res.exit_code == 1 and "mistyped.txt" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_batch_writes_to_cleaned_by_default_as_run_does(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "book.txt").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = run("batch", "in", "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "cleaned" / "book.txt").exists() and (tmp_path / "cleaned" / "manifest.jsonl").exists()
    assert "--out" in run("batch", "--help").output and "cleaned" in run("run", "--help").output


NAMES_PAGE = ("In the winter Wardlowe and Pettigrue came to Kestrane with the news.\n\n"
              "Wardlowe said that Kestrane was cold, and Pettigrue agreed with him.\n")


def _unknown(tsv):
    rows = tsv.read_text(encoding="utf-8").splitlines()[1:]
    return {r.split("\t")[0] for r in rows if r.strip()}


def test_dictionary_option_from_another_folder_drops_its_words_from_unknown(tmp_path, monkeypatch):
    book = tmp_path / "books" / "names.txt"
    book.parent.mkdir()
    book.write_text(NAMES_PAGE, encoding="utf-8")
    words = tmp_path / "lists" / "people.txt"
    words.parent.mkdir()
    words.write_text("# people of this book\nWardlowe\nPettigrue\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = run("run", book, "-o", tmp_path / "plain")
    assert res.exit_code == 0, res.output
    assert {"Wardlowe", "Pettigrue"} <= _unknown(tmp_path / "plain" / "names.unknown.tsv")
    res = run("run", book, "--dictionary", words, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    unknown = _unknown(tmp_path / "out" / "names.unknown.tsv")
    assert not {"Wardlowe", "Pettigrue"} & unknown and "Kestrane" in unknown
    assert f"user words: 2 (2 from {words.resolve()}" in res.output
    res = run("run", book, "--dictionary", tmp_path / "nope.txt", "-o", tmp_path / "out")
    assert res.exit_code == 1 and "nope.txt: dictionary not found" in res.output


def test_a_profiles_dictionaries_are_read_beside_the_profile(tmp_path, monkeypatch):
    book = tmp_path / "names.txt"
    book.write_text(NAMES_PAGE, encoding="utf-8")
    (tmp_path / "proj" / "words").mkdir(parents=True)
    (tmp_path / "proj" / "words" / "people.txt").write_text("Wardlowe\nPettigrue\nKestrane\n", encoding="utf-8")
    prof = tmp_path / "proj" / "scanner.toml"
    prof.write_text('[words]\nuser_dictionaries = ["words"]\n', encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    res = run("run", book, "--profile", prof, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "user words: 3" in res.output
    assert not {"Wardlowe", "Pettigrue", "Kestrane"} & _unknown(tmp_path / "out" / "names.unknown.tsv")


def test_review_and_apply_take_dictionaries_too():
    for command in ("review", "apply", "batch", "run"):
        assert "--dictionary" in run(command, "--help").output


def test_run_summary_counts_applied_and_proposed_changes_from_the_log(tmp_path):
    from cleanup.counts import tally

    book = tmp_path / "book.txt"
    book.write_text(PAGE + "\nThe workers of the factory decided to act and the strike bogan at dawn.\n",
                    encoding="utf-8")
    res = run("run", book, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    from cleanup.outputs import read_changes

    edits = read_changes(tmp_path / "out" / "book.changes.jsonl")
    applied = sum(not e.proposed_only for e in edits)
    proposed = sum(e.proposed_only for e in edits)
    assert f"{applied} changes applied, {proposed} proposed for review" in res.output
    for stage, t in tally(edits).items():
        assert f"{stage} {t.applied}" + (f" + {t.proposed} proposed" if t.proposed else "") in res.output


def test_a_born_digital_text_reports_no_change_applied(tmp_path):
    from pathlib import Path

    seed = Path(__file__).parent.parent / "seeds" / "lenin-testament-quotes.txt"
    res = run("run", seed, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "lenin-testament-quotes.txt").read_text(encoding="utf-8").split() == \
        seed.read_text(encoding="utf-8").split()
    assert "words 0" in res.output  # proposals are not counted as changes


def test_progress_bar_shows_only_for_a_slow_book(capsys):
    import time

    from cleanup.progress import BookProgress

    with BookProgress("slow.txt", ["a", "b"], enabled=True, delay=0.05) as bar:
        bar.step("a")
        time.sleep(0.3)
        bar.step("b")
    assert "slow.txt" in capsys.readouterr().err
    with BookProgress("fast.txt", ["a", "b"], enabled=True, delay=5) as bar:
        bar.step("a")
        bar.step("b")
    assert "fast.txt" not in capsys.readouterr().err
    with BookProgress("pipe.txt", ["a"], enabled=None, delay=0) as bar:  # stderr is no terminal here
        bar.step("a")
        time.sleep(0.1)
    assert "pipe.txt" not in capsys.readouterr().err


def test_the_pipeline_reports_each_stage_as_it_starts():
    from cleanup import profile as profiles
    from cleanup.pipeline import clean

    seen = []
    clean(PAGE, profiles.load(), on_stage=seen.append)
    assert seen == profiles.load()["pipeline"]["stages"]


def test_batch_takes_dictionaries_and_a_changed_list_makes_the_book_due_again(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "names.txt").write_text(NAMES_PAGE, encoding="utf-8")
    words = tmp_path / "people.txt"
    words.write_text("Wardlowe\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run("batch", tmp_path / "in", "-o", out, "--jobs", "1", "--dictionary", words)
    assert res.exit_code == 0, res.output
    assert "user words: 1" in res.output
    assert "Wardlowe" not in _unknown(out / "names.unknown.tsv")
    assert "1 unchanged" in run("batch", tmp_path / "in", "-o", out, "--jobs", "1", "--dictionary", words).output
    words.write_text("Wardlowe\nPettigrue\n", encoding="utf-8")
    res = run("batch", tmp_path / "in", "-o", out, "--jobs", "1", "--dictionary", words)
    assert "1 cleaned" in res.output
    assert not {"Wardlowe", "Pettigrue"} & _unknown(out / "names.unknown.tsv")
