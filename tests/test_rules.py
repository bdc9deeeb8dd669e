"""The rule registry (cleanup/rules.py, cleanup/data/rules.toml): every rule's example
holds, every change names a listed rule and is applied exactly when its confidence
reaches that rule's threshold, and the profile is checked against one schema."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleanup import profile as profiles
from cleanup.cli import main
from cleanup.document import Decisions, render
from cleanup.pipeline import clean
from cleanup.outputs import read_changes
from cleanup.rules import auto_apply, decide, log_problems, registry, threshold_text

ROOT = Path(__file__).resolve().parent.parent
PROFILE = profiles.load()
RULES = registry()


@pytest.mark.parametrize("name", list(RULES))
def test_the_rules_example_holds(name):
    """As ftfy's fixers carry doctests: cleaning the example's `before` (after the
    evidence it needs, if any) gives `after`, by a change of this rule (a proposal
    accepted, where the rule only proposes)."""
    rule = RULES[name]
    before, after = rule.example
    profile = profiles.merge(PROFILE, rule.teach_profile or {})
    doc = clean(rule.teach + before, profile)
    mine = [e for e in doc.edits if e.rule == name and e.end > len(rule.teach)]  # (in the example itself)
    assert mine, [(e.rule, e.before, e.after) for e in doc.edits]
    accepted = render(doc.source, doc.edits, Decisions(accept={e.id for e in mine}))
    assert after in accepted, accepted[len(rule.teach):]
    assert all(e.stage == rule.stage for e in mine)
    assert all(_as_stated(e) for e in mine), [e.confidence for e in mine]


def _as_stated(edit) -> bool:
    """A confidence the registry states as a number or a range is the one given."""
    stated = re.fullmatch(r"(\d\.\d+)(?:–(\d\.\d+))?", RULES[edit.rule].confidence)
    return not stated or float(stated[1]) <= edit.confidence <= float(stated[2] or stated[1])


def test_every_setting_a_rule_reads_is_in_the_profile():
    for rule in RULES.values():
        for setting in rule.settings:
            table, key = setting.split(".")
            assert key in PROFILE[table] or key in profiles._LEARNED, (rule.name, setting)


def test_every_threshold_names_a_rule():
    assert set(PROFILE["rules"]) <= set(RULES)


SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_change_names_a_rule_and_is_applied_exactly_at_its_threshold(seed, tmp_path):
    """Read back from the change log `cleanup run` writes."""
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(seed), "-o", str(out)]).exit_code == 0
    edits = read_changes(out / f"{seed.stem}.changes.jsonl")
    assert edits and log_problems(edits, PROFILE) == []
    assert all(e.stage == RULES[e.rule].stage and _as_stated(e) for e in edits)
    # (and the check can fail: a change flipped, a rule no one listed)
    from dataclasses import replace

    first = edits[0]
    assert log_problems([replace(first, proposed_only=not first.proposed_only)], PROFILE)
    assert log_problems([replace(first, rule="stray")], PROFILE)


def test_the_pipeline_decides_for_every_stage():
    """A layout rule too: a `word-join` below its threshold is only proposed, and
    anything below propose_min is dropped."""
    from cleanup.document import Proposal

    props = [Proposal(0, 1, "", "word-join", "", 0.6), Proposal(2, 3, "", "word-join", "", 0.3),
             Proposal(4, 5, "", "glyph-confusion", "", 0.8996)]
    strict = profiles.merge(PROFILE, {"rules": {"word-join": {"auto_apply": 0.7}}})
    decided = decide(props, strict)
    assert [(p.rule, p.confidence, p.proposed_only) for p in decided] == [
        ("word-join", 0.6, True), ("glyph-confusion", 0.9, False)]  # (decided on the confidence as logged)


def test_halves_that_make_no_word_are_left_apart():
    """`xqzr⏎vbnt`: joined, such halves made the true word 1 time in 27 on the training
    pages; they stay apart (a line-join), as the scan read them."""
    doc = clean("The paper printed a line that ends in xqzr\nvbnt and the next line goes on as before.\n")
    assert "xqzr vbnt" in doc.text
    assert [e.rule for e in doc.edits if e.before == "\n"] == ["line-join"]


def test_rules_lists_every_rule_with_its_threshold():
    result = CliRunner().invoke(main, ["rules", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.output)
    assert len(listed) >= 25 and len({r["name"] for r in listed}) == len(listed)
    assert all({"name", "stage", "description", "auto_apply", "example"} <= set(r) for r in listed)
    by_name = {r["name"]: r for r in listed}
    assert by_name["real-word-context"]["auto_apply"] == 0.8
    assert by_name["glyph-confusion"]["auto_apply"] == PROFILE["pipeline"]["auto_apply"]
    text = CliRunner().invoke(main, ["rules"]).output
    assert all(r["name"] in text for r in listed) and "never (proposed only)" in text


def test_rules_shows_a_profiles_thresholds(tmp_path):
    p = tmp_path / "p.toml"
    p.write_text('[rules.word-join]\nauto_apply = 0.95\n[pipeline]\nauto_apply = 0.97\n', encoding="utf-8")
    listed = {r["name"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--json", "--profile", str(p)]).output)}
    assert listed["word-join"]["auto_apply"] == 0.95 and listed["inserted-letter"]["auto_apply"] == 0.97


def _readme_rules() -> dict[str, tuple[str, str, str]]:
    """README's rule tables: name -> (stage, description, auto_apply)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Rules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+?) \| (.+) \| (.+?) \|$", section, re.M)
    return {name: (stage, desc, threshold) for name, stage, desc, threshold in rows}


def test_the_readme_rule_tables_agree_with_the_registry():
    listed = _readme_rules()
    assert list(listed) == list(RULES)
    for name, (stage, description, threshold) in listed.items():
        assert stage == RULES[name].stage, name
        assert description == RULES[name].description.replace("|", "\\|"), name
        assert threshold == threshold_text(auto_apply(PROFILE, name)), name


# -- the checked profile ------------------------------------------------------------------
@pytest.mark.parametrize("toml, message", [
    ("[words]\nauto_aply = 0.5\n", "unknown setting [words] auto_aply; did you mean [pipeline] auto_apply?"),
    ('[pipeline]\nauto_apply = "high"\n', "[pipeline] auto_apply must be a number, not 'high'"),
    ("[wrods]\nmin_zipf = 3.0\n", "unknown table [wrods]; did you mean [words]?"),
    ("[words]\nreal_word_auto_apply = 0.8\n", "[words] real_word_auto_apply is now [rules.real-word-context] auto_apply"),
    ("[paragraphs]\nshort_line_ration = 0.8\n", "unknown setting [paragraphs] short_line_ration; did you mean short_line_ratio?"),
    ("[rules.word-jion]\nauto_apply = 0.5\n", "unknown rule [rules.word-jion]; did you mean [rules.word-join]?"),
    ("[rules.word-join]\nauto_apply = true\n", "[rules.word-join] auto_apply must be a number, not True"),
    ("[debris]\nrunning_head_min_repeats = 2.5\n", "[debris] running_head_min_repeats must be a whole number, not 2.5"),
    ('[pipeline]\nstages = ["unicode", 3]\n', "[pipeline] stages must be a list of strings"),
    ("[words]\nscannos = [[\"tho\", \"the\", \"x\", 3]]\n", "words.scannos"),
])
def test_a_bad_profile_is_refused_with_one_message_naming_the_key(tmp_path, toml, message):
    p = tmp_path / "bad.toml"
    p.write_text(toml, encoding="utf-8")
    book = tmp_path / "b.txt"
    book.write_text("Some text.\n", encoding="utf-8")
    for args in (["run", str(book), "-o", str(tmp_path / "out"), "--profile", str(p)], ["profile", "show", str(p)],
                 ["rules", "--profile", str(p)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert message in result.output and str(p) in result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_whole_number_is_a_number_and_a_good_profile_is_overlaid(tmp_path):
    p = tmp_path / "ok.toml"
    p.write_text("[pipeline]\nauto_apply = 1\n[words]\nmin_zipf = 3\n[rules.word-join]\nauto_apply = 0.7\n",
                 encoding="utf-8")
    loaded = profiles.load(p)
    assert loaded["pipeline"]["auto_apply"] == 1 and loaded["rules"]["word-join"]["auto_apply"] == 0.7
    assert loaded["rules"]["real-word-context"] == PROFILE["rules"]["real-word-context"]


def test_learned_profiles_validate(tmp_path):
    """The shipped example learned profile, and one `cleanup learn` writes now."""
    for example in (ROOT / "profiles").glob("*.toml"):
        assert profiles.load(example)["words"]["scannos"]
    scan, truth = tmp_path / "scan.txt", tmp_path / "truth.txt"
    scan.write_text("tho man and tho woman went to tho city and tho man came back.\n" * 3, encoding="utf-8")
    truth.write_text("the man and the woman went to the city and the man came back.\n" * 3, encoding="utf-8")
    out = tmp_path / "learned.toml"
    result = CliRunner().invoke(main, ["learn", "--scan", str(scan), "--proofread", str(truth), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert profiles.load(out)["words"]["scannos"]


def test_each_default_lives_only_in_the_profile():
    """The stages read their settings from the profile, not from defaults of their own."""
    pattern = re.compile(r"cfg\.get\(\"([a-z_]+)\", ")
    settings = {key for table in PROFILE.values() if isinstance(table, dict) for key in table}
    for module in [*(ROOT / "cleanup" / "stages").glob("*.py"), *(ROOT / "cleanup" / "words").glob("*.py")]:
        found = set(pattern.findall(module.read_text(encoding="utf-8"))) & settings
        assert not found, (module.name, found)
