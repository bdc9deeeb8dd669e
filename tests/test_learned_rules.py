"""The word stage applies what a learned profile holds (cleanup/words/learned.py)."""
from cleanup import profile as profiles
from cleanup.pipeline import clean


def _words_stage(text: str, **learned):
    """Clean `text` with the default profile plus `learned` in its [words] table:
    the text, and the word stage's edits as (rule, before, after, applied)."""
    doc = clean(text, profiles.merge(profiles.load(), {"words": learned}))
    return doc.text, [(e.rule, e.before, e.after, not e.proposed_only) for e in doc.edits if e.stage == "words"]


BAT = "She came home bat he stayed out late that night.\n"


def test_a_real_word_the_pages_always_corrected_is_changed_under_its_own_rule():
    text, edits = _words_stage(BAT, scannos=[["bat", "but", 5, 5]])
    assert "home but he" in text
    assert [e[0] for e in edits] == ["learned-scanno-real-word"] and edits[0][3]


def test_a_real_word_corrected_only_twice_is_not_enough_without_context():
    assert _words_stage(BAT, scannos=[["bat", "but", 2, 2]]) == (BAT, [])


def test_a_real_word_sometimes_corrected_changes_only_where_the_context_wants_it():
    often = [["land", "and", 5, 10]]
    assert _words_stage("He ate bread land butter at the table.\n", scannos=often)[0] == \
        "He ate bread and butter at the table.\n"
    river = "They bought the land near the river.\n"
    assert _words_stage(river, scannos=often) == (river, [])
    # corrected once in ten: even a favouring context does not carry it
    assert _words_stage("He ate bread land butter at the table.\n", scannos=[["land", "and", 1, 10]])[1] == []


def test_capitals_the_pages_lowered_mid_sentence_but_not_in_a_title_case_heading():
    text, edits = _words_stage("He lived In the city for a year.\n\nTrouble Is Expected\n",
                               lowered=[["In", 10, 11], ["Is", 10, 11]])
    assert text == "He lived in the city for a year.\n\nTrouble Is Expected\n"
    assert edits == [("learned-lowercase", "I", "i", True)]


def test_words_the_proofreader_kept_join_the_lexicon():
    text = "The raion of the village was visited by the delegation.\n"
    assert _words_stage(text)[1]  # without the profile: a repair is at least proposed
    assert _words_stage(text, extra_words=["raion"]) == (text, [])


def test_no_learned_tables_no_change_to_the_default():
    assert _words_stage(BAT) == _words_stage(BAT, scannos=[], lowered=[], extra_words=[])


def test_a_malformed_learned_table_is_refused_by_name(tmp_path):
    from click.testing import CliRunner

    from cleanup.cli import main

    bad = tmp_path / "p.toml"
    bad.write_text('[words]\nscannos = [["tho"]]\n', encoding="utf-8")
    book = tmp_path / "b.txt"
    book.write_text("Some text.\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["run", str(book), "-o", str(tmp_path / "out"), "--profile", str(bad)])
    assert res.exit_code == 1
    assert "p.toml: words.scannos" in res.output and "Traceback" not in res.output
