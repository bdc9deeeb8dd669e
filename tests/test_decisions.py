"""Decisions files: reading, writing, and applying them across runs (issue 4)."""
import json
import re

import pytest
from click.testing import CliRunner

from cleanup import decisions
from cleanup.cli import main
from cleanup.document import Decisions, Document, Proposal
from cleanup.errors import UserError

# Mojibake (unicode stage), a control character inside a word, CRLF and a tab
# (line-ends stage): changes of two stages and five rules, all known to exist. The
# clean tail keeps the control character too rare for the file to look binary.
TAIL = "\nClean text stays exactly as it was scanned.\n" * 4
SCAN = "Itâ€™s one.\r\nA wor\x01d and donâ€™t.\r\nNext\tline.\r\n" + TAIL


def profile(tmp_path, *stages):
    p = tmp_path / f"profile-{'-'.join(stages)}.toml"
    p.write_text(f"[pipeline]\nstages = {json.dumps(list(stages))}\n", encoding="utf-8")
    return str(p)


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def changes(out, stem="book"):
    return [json.loads(line) for line in (out / f"{stem}.changes.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "book.txt"
    p.write_bytes(SCAN.encode("utf-8"))
    return p


# -- the file ---------------------------------------------------------------------------
def test_round_trip_keeps_every_id(tmp_path):
    d = Decisions(reject={"b", "a"}, accept={"c"}, reject_rules={"tab"})
    path = tmp_path / "d.json"
    decisions.save(path, d, book="x.txt")
    assert decisions.load(path) == d
    saved = json.loads(path.read_text("utf-8"))
    assert saved["reject"] == ["a", "b"]  # sorted: files diff cleanly
    assert saved["book"] == "x.txt"


def test_missing_keys_mean_no_decisions(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"reject_rules": ["tab"]}', encoding="utf-8")
    assert decisions.load(path) == Decisions(reject_rules={"tab"})


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"reject": "abc"}', "'reject' must be a list of strings"),
    ('{"reject": [1]}', "'reject' must be a list of strings"),
    ('{"rejects": ["abc"]}', "unknown key 'rejects'"),
])
def test_bad_file_is_a_user_error_naming_it(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as e:
        decisions.load(path)
    assert str(path) in str(e.value) and problem in str(e.value)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="decisions file not found"):
        decisions.load(tmp_path / "nope.json")


def test_bad_file_on_the_command_line_is_one_clear_line(tmp_path, book):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["apply", str(book), "--decisions", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and f"{bad}: not valid JSON" in result.output


def test_matches_counts_known_ids_and_keeps_unknown_ones():
    doc = Document("a teh b", name="t.txt")
    (e,) = doc.apply("s", [Proposal(2, 5, "the", "typo", "swapped letters")])
    d = Decisions(reject={e.id, "from-another-run"}, reject_rules={"typo", "gone-rule"})
    assert decisions.matches(d, doc) == {"reject": (1, 2), "accept": (0, 0), "reject_rules": (1, 2)}
    assert "2 kept for a later run" in decisions.describe_matches(d, doc)


# -- applying ---------------------------------------------------------------------------
def test_rejecting_every_change_gives_back_the_source_byte_for_byte(tmp_path):
    source = tmp_path / "memoir.txt"
    source.write_bytes(open("seeds/lenin-testament-quotes.txt", "rb").read())
    out = tmp_path / "out"
    cli("run", source, "-o", out)
    ids = [c["id"] for c in changes(out, "memoir")]
    assert ids, "the pipeline should change something in a raw scan"
    dec = tmp_path / "all.json"
    dec.write_text(json.dumps({"reject": ids}), encoding="utf-8")
    cli("apply", source, "--decisions", dec, "-o", out)
    assert (out / "memoir.txt").read_bytes() == source.read_bytes()
    # Rejecting every rule does the same.
    dec.write_text(json.dumps({"reject_rules": sorted({c["rule"] for c in changes(out, "memoir")})}), "utf-8")
    cli("apply", source, "--decisions", dec, "-o", tmp_path / "out2")
    assert (tmp_path / "out2" / "memoir.txt").read_bytes() == source.read_bytes()


def test_run_and_apply_honour_the_same_decisions(tmp_path, book):
    prof = profile(tmp_path, "unicode", "line-ends")
    cli("run", book, "-o", tmp_path / "a", "--profile", prof)
    first_mojibake = next(c for c in changes(tmp_path / "a") if c["rule"] == "mojibake")
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps({"reject": [first_mojibake["id"]], "reject_rules": ["tab"]}), "utf-8")
    ran = cli("run", book, "-o", tmp_path / "r", "--profile", prof, "--decisions", dec)
    applied = cli("apply", book, "-o", tmp_path / "a", "--profile", prof, "--decisions", dec)
    text = (tmp_path / "a" / "book.txt").read_text("utf-8")
    assert text == (tmp_path / "r" / "book.txt").read_text("utf-8")
    assert text == "Itâ€™s one.\nA word and don’t.\nNext\tline.\n" + TAIL
    for result in (ran, applied):
        assert "1/1 rejects" in result.output and "1/1 rejected rules" in result.output


def test_decisions_survive_an_unrelated_rule_added_and_a_re_run(tmp_path, book):
    """The reviewer decides on run 1; then a new stage (with rules of its own) is
    added in front of the old ones and the book re-run: the ids are the same, so
    every decision still lands on the change it was made for."""
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--profile", profile(tmp_path, "unicode"))
    run1 = changes(out)
    assert [c["rule"] for c in run1] == ["mojibake", "mojibake"]
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps({"reject": [run1[1]["id"]]}), "utf-8")  # keep `donâ€™t` as scanned

    result = cli("apply", book, "-o", out, "--decisions", dec, "--profile", profile(tmp_path, "line-ends", "unicode"))
    run2 = changes(out)
    assert {c["rule"] for c in run2} == {"mojibake", "line-end", "tab", "control-char"}
    assert {c["id"] for c in run1} <= {c["id"] for c in run2}
    assert "1/1 rejects," in result.output
    assert re.search(r"\d+ changes are new since the last run", result.output)
    assert (out / "book.txt").read_text("utf-8") == "It’s one.\nA word and donâ€™t.\nNext line.\n" + TAIL


def test_apply_refuses_the_cleaned_output_as_its_input(tmp_path, book):
    out = tmp_path / "out"
    cli("run", book, "-o", out)
    dec = tmp_path / "d.json"
    dec.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["apply", str(out / "book.txt"), "--decisions", str(dec), "-o", str(out)])
    assert result.exit_code == 1 and "is the cleaned output" in result.output
