"""Decisions files: reading, writing, and applying them across runs (issue 4)."""
import json
from pathlib import Path
import re

import pytest
from click.testing import CliRunner

from cleanup import decisions
from cleanup.cli import main
from cleanup.document import Decisions, Document, Proposal
from cleanup.errors import UserError

from .ocrlike import paged_book

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
    assert decisions.matches(d, doc) == {"reject": (1, 2), "accept": (0, 0), "reject_rules": (1, 2),
                                         "accept_corrections": (0, 0), "reject_corrections": (0, 0), "edit": (0, 0)}
    assert "2 kept for a later run" in decisions.describe_matches(d, doc)
    # a rule name no rule has rejects nothing: said, with the nearest name; the run's own are known
    line = decisions.describe_matches(Decisions(reject_rules={"typo", "line-joins", "zzqx"}), doc)
    assert "no rule is named 'line-joins' (did you mean 'line-join'?)" in line
    assert "no rule is named 'zzqx'" in line and "'typo'" not in line


# -- applying ---------------------------------------------------------------------------
def test_rejecting_every_change_is_an_undo_and_rejecting_some_keeps_the_contract(tmp_path):
    from cleanup.outputs import read_changes
    from cleanup.scoring import source_from_log

    source = tmp_path / "memoir.txt"
    source.write_bytes(open("seeds/lenin-testament-quotes.txt", "rb").read())
    out = tmp_path / "out"
    cli("run", source, "-o", out)
    ids = [c["id"] for c in changes(out, "memoir")]
    assert ids, "the pipeline should change something in a raw scan"
    log = read_changes(out / "memoir.changes.jsonl")
    # nothing is lost: the cleaned text and its log give back the scan byte for byte
    assert source_from_log((out / "memoir.txt").read_text("utf-8"), log).encode() == source.read_bytes()
    dec = tmp_path / "all.json"
    for rejected in ({"reject": ids}, {"reject_rules": sorted({c["rule"] for c in changes(out, "memoir")})}):
        dec.write_text(json.dumps(rejected), encoding="utf-8")
        cli("apply", source, "--decisions", dec, "-o", out)
        # every change rejected is an undo: the scan itself, byte for byte (issue 16)
        assert (out / "memoir.txt").read_bytes() == source.read_bytes()
    kept = next(c["id"] for c in changes(out, "memoir") if c["stage"] == "words" or c["rule"] != "line-join")
    dec.write_text(json.dumps({"reject": [i for i in ids if i != kept]}), encoding="utf-8")
    cli("apply", source, "--decisions", dec, "-o", out)
    text = (out / "memoir.txt").read_text("utf-8")
    assert_contract(text)  # all but one rejected: the rejected line ends keep the contract
    assert len(text.split()) >= len(source.read_text("utf-8").split()) - 1


def assert_contract(text):
    """No line break inside a paragraph, no space before a line break."""
    paras = text.rstrip("\n").split("\n\n")
    assert all("\n" not in p for p in paras), [p for p in paras if "\n" in p][:3]
    assert not re.search("[ \t]\n", text)


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


# -- issue 14: nothing lost, hand corrections, decisions by correction, the contract kept ---
MEMOIR = "seeds/zetkin-my-recollections-of-lenin.txt"


@pytest.fixture(scope="module")
def memoir(tmp_path_factory):
    """The memoir cleaned once with the default profile: (scan, out folder, log)."""
    tmp = tmp_path_factory.mktemp("memoir")
    scan = tmp / "memoir.txt"
    scan.write_bytes(open(MEMOIR, "rb").read())
    cli("run", scan, "-o", tmp / "out")
    return scan, tmp / "out", changes(tmp / "out", "memoir")


def applied(memoir, tmp_path, obj, name="d.json"):
    scan, out, _ = memoir
    dec = tmp_path / name
    dec.write_text(json.dumps(obj), encoding="utf-8")
    result = cli("apply", scan, "--decisions", dec, "-o", tmp_path / "o")
    return (tmp_path / "o" / "memoir.txt").read_text("utf-8"), result


def test_apply_renders_from_the_log_when_scan_and_profile_are_unchanged(memoir, tmp_path):
    scan, out, log = memoir
    dec = tmp_path / "d.json"
    dec.write_text("{}", encoding="utf-8")
    result = cli("apply", scan, "--decisions", dec, "-o", out)
    assert "rendered from memoir.changes.jsonl" in result.output
    assert changes(out, "memoir") == log


def test_rejecting_every_line_join_leaves_no_line_break_inside_a_paragraph(memoir, tmp_path):
    _, _, log = memoir
    joins = sorted({c["rule"] for c in log if c["before"].count("\n") > c["after"].count("\n")})
    assert {"line-join", "word-join", "dehyphenate", "page-break-join"} <= set(joins)
    text, _ = applied(memoir, tmp_path, {"reject_rules": joins})
    assert_contract(text)
    one_by_one, _ = applied(memoir, tmp_path, {"reject": [c["id"] for c in log if c["rule"] in joins]})
    assert one_by_one == text
    # a dropped printed hyphen comes back, joined: no `strong- willed`, no line end
    default = (memoir[1] / "memoir.txt").read_text("utf-8")
    assert "strong-willed" in text and len(re.findall(r"\w- \w", text)) == len(re.findall(r"\w- \w", default))


def test_rejecting_a_correction_gives_back_every_place_it_was_made(memoir, tmp_path):
    from cleanup import report
    from cleanup.outputs import read_changes
    from cleanup.pipeline import clean_file

    scan, out, _ = memoir
    doc = clean_file(scan)
    keys = report.corrections(doc)
    made = [e for e in doc.edits if keys.get(e.id) == ("land", "and") and not e.proposed_only]
    assert len(made) == 17  # the default run turned 17 `land` into `and`
    default = (out / "memoir.txt").read_text("utf-8")
    text, result = applied(memoir, tmp_path, {"reject_corrections": [{"before": "land", "after": "and"}]})
    assert len(re.findall(r"\bland\b", text)) == len(re.findall(r"\bland\b", default)) + 17
    assert "1/1 rejected corrections" in result.output
    # a single accept wins over its correction's rejection ("all but this one")
    text, _ = applied(memoir, tmp_path, {"reject_corrections": [{"before": "land", "after": "and"}],
                                         "accept": [made[0].id]})
    assert len(re.findall(r"\bland\b", text)) == len(re.findall(r"\bland\b", default)) + 16
    # accepting a correction takes up its proposals too
    props = [e for e in doc.edits if e.proposed_only and keys.get(e.id)]
    if props:
        key = keys[props[0].id]
        text, _ = applied(memoir, tmp_path, {"accept_corrections": [{"before": key[0], "after": key[1]}]})
        assert text != default


def test_a_single_accept_wins_over_its_rules_rejection():
    doc = Document("a teh b teh c", name="t.txt")
    first, second = doc.apply("s", [Proposal(2, 5, "the", "typo", ""), Proposal(8, 11, "the", "typo", "")])
    from cleanup.document import render
    assert render(doc.source, doc.edits, Decisions(reject_rules={"typo"}, accept={second.id})) == "a teh b the c"


def test_a_hand_correction_is_applied_and_logged_as_reviewer(memoir, tmp_path):
    scan, out, _ = memoir
    src = scan.read_text("utf-8")
    k = src.index("trtfeune")
    edit = {"start": k, "end": k + 8, "before": "trtfeune", "text": "tribune"}
    wrong = {"start": 0, "end": 3, "before": "xyz", "text": "abc"}  # made on another scan
    text, result = applied(memoir, tmp_path, {"edit": [edit, wrong]})
    assert "tribune" in text and "trtfeune" not in text
    assert "1/2 hand corrections" in result.output and "1 kept for a later run" in result.output
    log = changes(tmp_path / "o", "memoir")
    (hand,) = [c for c in log if c["rule"] == "reviewer"]
    assert (hand["start"], hand["end"], hand["before"], hand["after"]) == (k, k + 8, "trtfeune", "tribune")
    # undoable: rejecting its id gives back the scan's word
    text, _ = applied(memoir, tmp_path, {"edit": [edit], "reject": [hand["id"]]})
    assert "trtfeune" in text


def test_a_hand_correction_wins_over_the_changes_it_overlaps():
    from cleanup.document import render

    doc = Document("a cliass act", name="t.txt")
    (e,) = doc.apply("s", [Proposal(2, 8, "class", "typo", "")])
    d = decisions.from_json({"edit": [{"start": 2, "end": 12, "before": "cliass act", "text": "glass art"}]})
    decisions.bind(d, doc)
    assert render(doc.source, doc.edits, d) == "a glass art"


@pytest.mark.parametrize("bad", [
    '{"edit": [{"start": 1, "end": 0, "before": "", "text": "x"}]}',
    '{"edit": [{"start": "1", "end": 2, "before": "a", "text": "x"}]}',
    '{"reject_corrections": [{"before": "land"}]}',
])
def test_bad_hand_corrections_and_corrections_are_named(tmp_path, bad):
    path = tmp_path / "bad.json"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(UserError) as e:
        decisions.load(path)
    assert str(path) in str(e.value)


def test_a_plain_run_honours_the_review_beside_the_outputs(tmp_path, book):
    prof = profile(tmp_path, "unicode", "line-ends")
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--profile", prof)
    first = next(c for c in changes(out) if c["rule"] == "mojibake")
    (out / "book.decisions.json").write_text(json.dumps({"reject": [first["id"]]}), "utf-8")
    result = cli("run", book, "-o", out, "--profile", prof)
    assert f"honouring the review in {out / 'book.decisions.json'}" in result.output
    assert (out / "book.txt").read_text("utf-8").startswith("Itâ€™s one.")


def test_outputs_record_their_profile_and_apply_uses_it(tmp_path, book):
    prof = profile(tmp_path, "unicode", "line-ends")
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--profile", prof)
    rec = json.loads((out / "book.run.json").read_text("utf-8"))
    assert rec["profile"] == prof and len(rec["profile_sha256"]) == 64
    n = len(changes(out))
    dec = tmp_path / "d.json"
    dec.write_text("{}", encoding="utf-8")
    result = cli("apply", book, "--decisions", dec, "-o", out)  # no --profile: the recorded one
    assert len(changes(out)) == n and "rendered from book.changes.jsonl" in result.output
    # the recorded profile changed since: an error naming both
    Path(prof).write_text('[pipeline]\nstages = ["unicode"]\n', encoding="utf-8")
    bad = CliRunner().invoke(main, ["apply", str(book), "--decisions", str(dec), "-o", str(out)])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert prof in bad.output and rec["profile_sha256"][:12] in bad.output
    # told otherwise: --profile cleans again with it, saying so
    other = profile(tmp_path, "unicode")
    again = cli("apply", book, "--decisions", dec, "-o", out, "--profile", other)
    assert "cleaned again with" in again.output and {c["rule"] for c in changes(out)} == {"mojibake"}
    review = CliRunner().invoke(main, ["review", str(book), "-o", str(out)], input="q\n")
    assert review.exit_code == 0 and "rendered from book.changes.jsonl" in review.output
    # the recorded profile gone: named, with what to do
    cli("run", book, "-o", out, "--profile", prof)
    Path(prof).unlink()
    gone = CliRunner().invoke(main, ["apply", str(book), "--decisions", str(dec), "-o", str(out)])
    assert gone.exit_code == 1 and prof in gone.output and "not found" in gone.output and "--profile" in gone.output


def test_score_judges_what_the_decisions_made(memoir, tmp_path):
    """`cleanup score --decisions` with a correction rejected: the scan is the one the
    run record names, and the correction's changes are judged as not made."""
    scan, out, _ = memoir
    text, _ = applied(memoir, tmp_path, {"reject_corrections": [{"before": "land", "after": "and"}]})
    gold = tmp_path / "gold.txt"
    gold.write_text(text, encoding="utf-8")
    o = tmp_path / "o"
    result = cli("score", o / "memoir.txt", gold, "--decisions", tmp_path / "d.json")
    # scored against itself: every change judged was made, so none is wrong
    header = re.search(r"^rule +(.*)$", result.output, re.M).group(1).split()
    row = re.search(r"^real-word-context +([\d ]+)$", result.output, re.M).group(1).split()
    col = dict(zip(header, map(int, row)))
    assert col["wrong"] == 0 and col["right"] == col["applied"]
    assert "WER" in result.output and "→   0.00%" in result.output


def test_apply_uses_the_word_lists_the_run_was_given(tmp_path, book):
    words = tmp_path / "names.txt"
    words.write_text("Zetkin\n", encoding="utf-8")
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--dictionary", words)
    rec = json.loads((out / "book.run.json").read_text("utf-8"))
    assert rec["dictionaries"] == [str(words.resolve())]
    dec = tmp_path / "d.json"
    dec.write_text("{}", encoding="utf-8")
    assert "rendered from book.changes.jsonl" in cli("apply", book, "--decisions", dec, "-o", out).output


def test_an_accepted_running_head_removal_rejoins_the_page_in_run_and_apply(tmp_path):
    # heads only proposed (a reviewer who checks each): the layout stage, which
    # reads the text before review, joins the pages around them
    scan = tmp_path / "vol.txt"
    scan.write_text(paged_book(lambda p: f"{p} THE DUCHESS OF TRAJETTO." if p % 2 == 0 else f"REST AND PEACE. {p}"),
                    encoding="utf-8")
    prof = tmp_path / "p.toml"
    prof.write_text("[rules]\nnumbered-running-head.auto_apply = 1.01\n", encoding="utf-8")
    out = tmp_path / "out"
    cli("run", scan, "-o", out, "--profile", prof)
    heads = [c["id"] for c in changes(out, "vol") if c["rule"] == "numbered-running-head"]
    assert heads and all(c["proposed_only"] for c in changes(out, "vol") if c["id"] in heads)
    assert "TRAJETTO" in (out / "vol.txt").read_text("utf-8")
    # accepted in review: gone, and the pages rejoin as if the profile had applied them
    (out / "vol.decisions.json").write_text(json.dumps({"accept": heads}), encoding="utf-8")
    from cleanup.book import reviewed_pair  # (what `learn --reviewed` reads, before any `apply`)

    reviewed = reviewed_pair(out / "vol.txt")[1]
    assert "TRAJETTO" not in reviewed and reviewed.count("\n\n") == 0
    res = cli("apply", scan, "-o", out)
    assert "cleaned again" in res.output
    text = (out / "vol.txt").read_text("utf-8")
    plain = tmp_path / "plain"
    cli("run", scan, "-o", plain)
    assert text == (plain / "vol.txt").read_text("utf-8")
    assert "TRAJETTO" not in text and "PEACE" not in text and text.count("\n\n") == 0
    assert "rendered from" in cli("apply", scan, "-o", out).output  # the log now shows it
    cli("run", scan, "-o", out, "--profile", prof)  # a plain run honours the review the same way
    assert (out / "vol.txt").read_text("utf-8") == text
    # the acceptance withdrawn: the heads come back (the log was made with it: cleaned again)
    (out / "vol.decisions.json").write_text("{}", encoding="utf-8")
    assert "cleaned again" in cli("apply", scan, "-o", out).output
    assert "TRAJETTO" in (out / "vol.txt").read_text("utf-8")
