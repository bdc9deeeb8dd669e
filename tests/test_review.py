"""`cleanup review`: one change at a time in the terminal, like `git add -p` (issue 4)."""
import json
import sys
import types

import pytest
from click.testing import CliRunner

from cleanup import stages
from cleanup.cli import main
from cleanup.document import Proposal

# Word and paragraph changes in reading order: mojibake, a control character in
# `wor\x01d`, mojibake, a form feed (page break → paragraph break), a control
# character in `page\x02s`. CRLF and the tab are layout-only: not asked about.
# The clean tail keeps the control characters too rare for the file to look binary.
TAIL = "\nClean text stays exactly as it was scanned.\n" * 4
SCAN = "Itâ€™s one.\r\nA wor\x01d and donâ€™t.\fNext page\x02s\ttext.\n" + TAIL


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "book.txt"
    p.write_bytes(SCAN.encode("utf-8"))
    (tmp_path / "p.toml").write_text('[pipeline]\nstages = ["unicode", "line-ends"]\n', encoding="utf-8")
    return p


def review(tmp_path, book, answers, *extra):
    args = ["review", str(book), "-o", str(tmp_path / "out"), "--profile", str(tmp_path / "p.toml"), *extra]
    result = CliRunner().invoke(main, args, input=answers)
    assert result.exit_code == 0, result.output
    return result


def saved(tmp_path):
    return json.loads((tmp_path / "out" / "book.decisions.json").read_text("utf-8"))


def apply(tmp_path, book):
    args = ["apply", str(book), "-o", str(tmp_path / "out"), "--profile", str(tmp_path / "p.toml"),
            "--decisions", str(tmp_path / "out" / "book.decisions.json")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return (tmp_path / "out" / "book.txt").read_text("utf-8")


def test_answers_become_decisions_and_apply_gives_the_reviewed_text(tmp_path, book):
    # reject, reject the whole rule (which settles the second control character too),
    # accept, skip.
    result = review(tmp_path, book, "r\nR\na\ns\n")
    out = result.output
    assert "[1/5]" in out and "mojibake (unicode)" in out
    assert "[-Itâ€™s-]{+It’s+}" in out  # the change at word level, with its context
    assert "[-wor\x01d-]{+word+}" in out
    assert "[5/5]" not in out  # its rule was rejected at [2/5]
    assert "1 accepted, 1 rejected, 1 rules rejected, 1 skipped" in out
    d = saved(tmp_path)
    assert d["reject_rules"] == ["control-char"] and len(d["reject"]) == 1 and len(d["accept"]) == 1
    text = apply(tmp_path, book)
    assert text == "Itâ€™s one.\nA wor\x01d and don’t.\n\nNext page\x02s text.\n" + TAIL


def test_quitting_loses_nothing_and_the_next_review_resumes(tmp_path, book):
    review(tmp_path, book, "r\nq\n")
    assert len(saved(tmp_path)["reject"]) == 1
    again = review(tmp_path, book, "a\n")  # input ends after one answer: that is a quit too
    assert "4 changes to review" in again.output
    assert "Itâ€™s" not in again.output.split("[1/4]")[1].split("\n")[1]  # starts at the next change
    d = saved(tmp_path)
    assert len(d["reject"]) == 1 and len(d["accept"]) == 1
    everything = review(tmp_path, book, "", "--all")
    assert "5 changes to review" in everything.output


def test_help_and_unknown_keys_ask_again(tmp_path, book):
    result = review(tmp_path, book, "?\nx\nr\nq\n")
    assert result.output.count("R - reject every change of this rule") == 2
    assert len(saved(tmp_path)["reject"]) == 1


def test_layout_changes_are_asked_about_only_on_request(tmp_path, book):
    result = review(tmp_path, book, "q\n", "--layout")
    assert "7 changes to review" in result.output


def test_a_proposal_is_applied_only_when_accepted(tmp_path, book, monkeypatch):
    """A stage that is unsure proposes: `cleanup review` says so and `a` applies it."""
    def propose(text, cfg, ctx):
        k = text.index("one")
        return [Proposal(k, k + 3, "ONE", "shout", "a guess", confidence=0.6)]
    fake = types.ModuleType("cleanup.stages.guess")
    fake.propose = propose
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setitem(stages.REGISTRY, "guess", "guess")
    (tmp_path / "p.toml").write_text('[pipeline]\nstages = ["unicode", "guess"]\n', encoding="utf-8")

    assert apply_with_no_decisions(tmp_path, book).startswith("It’s one.")
    result = review(tmp_path, book, "s\na\nq\n")
    assert "PROPOSAL" in result.output and "Apply this proposal" in result.output
    assert apply(tmp_path, book).startswith("It’s ONE.")


def apply_with_no_decisions(tmp_path, book):
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / "book.decisions.json").write_text("{}", encoding="utf-8")
    return apply(tmp_path, book)


def test_review_refuses_a_missing_book(tmp_path):
    result = CliRunner().invoke(main, ["review", str(tmp_path / "nope.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "no such file" in result.output
