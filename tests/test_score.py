"""`cleanup score`: error rates, fixed and broken words, paragraph F1, per-rule judgement."""
from click.testing import CliRunner

from cleanup.cli import main
from cleanup.document import Document, Proposal
from cleanup.scoring import score, source_from_log


def test_counts_fixed_and_broken_words_and_error_rates():
    raw = "the iand cat sat on the mat"
    gold = "the and cat sat on the mat"
    cleaned = "the and cat sat on a mat"  # one fix, one breakage
    s = score(raw, cleaned, gold)
    assert (s.fixed, s.broken) == (1, 1)
    assert s.wer_raw == 1 / 7 and s.wer == 1 / 7
    assert s.cer_raw > 0 and s.cer > 0


def test_perfect_cleaning_has_full_gain_and_paragraph_f1():
    raw = "One para\ngraph here.\n\nAnother one."
    gold = "One paragraph here.\n\nAnother one.\n"
    s = score(raw, gold, gold)
    assert s.cer == 0 and s.gain == 1.0
    assert (s.para_precision, s.para_recall, s.para_f1) == (1.0, 1.0, 1.0)


def test_missing_and_spurious_paragraph_breaks_lower_precision_and_recall():
    gold = "A b c.\n\nD e f.\n\nG h i.\n"
    s = score(gold, "A b c.\n\nD e f. G h i.\n", gold)
    assert s.para_precision == 1.0 and s.para_recall == 0.5
    s = score(gold, "A b c.\n\nD e\n\nf.\n\nG h i.\n", gold)
    assert s.para_recall == 1.0 and s.para_precision < 1.0


def test_each_rule_is_judged_by_the_words_it_touched():
    raw = "her right land duty and the land question"
    gold = "her right and duty and the land question"
    doc = Document(raw)
    doc.apply("words", [Proposal(10, 14, "and", "real-word", ""),      # right
                        Proposal(27, 31, "and", "real-word-bad", "")])  # breaks `land`
    s = score(raw, doc.text, gold, doc.edits)
    assert s.rules["real-word"] == {"applied": 1, "proposed": 0, "right": 1, "wrong": 0, "broke": 0}
    assert s.rules["real-word-bad"] == {"applied": 1, "proposed": 0, "right": 0, "wrong": 1, "broke": 1}


def test_source_is_rebuilt_from_the_cleaned_text_and_its_log():
    raw = "a  b\nc-\nd iand e"
    doc = Document(raw)
    doc.apply("l", [Proposal(1, 3, " ", "space", ""), Proposal(4, 5, " ", "join", ""), Proposal(6, 8, "", "dehyph", "")])
    doc.apply("w", [Proposal(9, 13, "and", "ins", "")])
    assert source_from_log(doc.text, doc.edits) == raw


def test_score_command_reads_the_change_log_beside_the_cleaned_text(tmp_path):
    scan = tmp_path / "scan.txt"
    scan.write_text("It was early in the autumn of 1920 that I met Lenin for the first \n"
                    "time after the outbreak of the Russian Revo\n"
                    "lution that shook the entire world.\n", encoding="utf-8")
    gold = tmp_path / "gold.txt"
    gold.write_text("It was early in the autumn of 1920 that I met Lenin for the first time after "
                    "the outbreak of the Russian Revolution that shook the entire world.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(scan), "-o", str(tmp_path / "out")]).exit_code == 0
    res = runner.invoke(main, ["score", str(tmp_path / "out" / "scan.txt"), str(gold)])
    assert res.exit_code == 0, res.output
    assert "words fixed 1, broken 0" in res.output
    assert "word-join" in res.output


def test_score_without_log_or_raw_says_what_is_missing(tmp_path):
    cleaned = tmp_path / "c.txt"
    cleaned.write_text("x\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(cleaned), str(cleaned)])
    assert res.exit_code == 1 and "--raw" in res.output


def test_rule_counts_are_the_logs_own_even_for_changes_built_on():
    # a page number removed, then the lines around it joined: the log has both, and so
    # does the table (the first is judged with the change that shows); a proposal is
    # counted as proposed, not as a change
    raw = "the end of a\n\n108\n\nsentence here iand there"
    gold = "the end of a sentence here and there"
    doc = Document(raw)
    doc.apply("debris", [Proposal(14, 17, "", "page-number", "")])
    doc.apply("paragraphs", [Proposal(12, 16, " ", "page-break-join", "")])
    doc.apply("words", [Proposal(len(doc.text) - 10, len(doc.text) - 6, "and", "inserted-letter", "", 0.5,
                                 proposed_only=True)])
    assert doc.text == "the end of a sentence here iand there"
    s = score(raw, doc.text, gold, doc.edits)
    assert s.rules["page-number"] == {"applied": 1, "proposed": 0, "right": 1, "wrong": 0, "broke": 0}
    assert s.rules["page-break-join"] == {"applied": 1, "proposed": 0, "right": 1, "wrong": 0, "broke": 0}
    assert s.rules["inserted-letter"]["applied"] == 0 and s.rules["inserted-letter"]["proposed"] == 1
    table = "\n".join(s.lines())
    assert "applied" in table and "proposed" in table


def test_aligned_share_tells_the_same_pages_from_others():
    from cleanup.scoring import aligned_share

    page = "It was early in the autumn of 1920 that I met Lenin for the first time after the outbreak"
    scan = "It was earlv in tlie autumn of 1920 tliat I met Lenin for the first time after tbe outbreak"
    other = "The committee of the party met in the spring and the resolution of the congress was read"
    assert aligned_share(scan, page) > 0.5
    assert aligned_share(other, page) < 0.05


def test_score_against_other_pages_stops_with_a_clear_message(tmp_path):
    from pathlib import Path

    lines = (Path(__file__).parent.parent / "seeds" / "zetkin-my-recollections-of-lenin.txt").read_text(
        encoding="utf-8").splitlines(keepends=True)
    scan = tmp_path / "scan.txt"
    scan.write_text("".join(lines[400:460]), encoding="utf-8")
    wrong = tmp_path / "wrong.txt"  # other pages of the same book
    wrong.write_text("".join(lines[900:960]), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(scan), "-o", str(tmp_path / "out")]).exit_code == 0
    res = runner.invoke(main, ["score", str(tmp_path / "out" / "scan.txt"), str(wrong)])
    assert res.exit_code == 1
    assert "do not look like the same pages" in res.output and "wrong.txt" in res.output
    assert "CER" not in res.output and "Traceback" not in res.output
    # the right pages pass
    assert runner.invoke(main, ["score", str(tmp_path / "out" / "scan.txt"), str(scan)]).exit_code == 0
    # the threshold is the profile's: a profile that sets it to 0 scores anyway
    prof = tmp_path / "p.toml"
    prof.write_text("[checks]\nmin_aligned_words = 0.0\n", encoding="utf-8")
    res = runner.invoke(main, ["score", str(tmp_path / "out" / "scan.txt"), str(wrong), "--profile", str(prof)])
    assert res.exit_code == 0 and "CER" in res.output
