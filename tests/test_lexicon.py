from __future__ import annotations

from cleanup.lexicon import Lexicon, cache_dir, read_word_list


def test_general_layer_knows_both_spellings():
    lex = Lexicon.load()
    for w in ("labour", "labor", "realise", "realize", "colour", "and", "a", "I"):
        assert lex.known(w), w
    for w in ("iand", "piarty", "yotir", "gommunists"):
        assert not lex.known(w), w
    assert lex.zipf("the") > lex.zipf("land") > 0


def test_bigrams_and_reasons():
    lex = Lexicon.load()
    assert lex.bigram("the", "land") is not None
    assert lex.bigram("right", "land") is None
    assert "general English" in lex.why("labour")
    assert lex.why("qzxv") == "not in any lexicon"


def test_user_dictionary(tmp_path):
    (tmp_path / "names.txt").write_text("# Russian names\nKrupskaya\n\nZinoviev  # a comment\n", encoding="utf-8")
    assert read_word_list(tmp_path / "names.txt") == ["Krupskaya", "Zinoviev"]
    lex = Lexicon.load({"user_dictionaries": [str(tmp_path)]})
    assert lex.known("Krupskaya") and lex.known("zinoviev")
    assert "user dictionary names.txt" == lex.why("Krupskaya")


def test_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CLEANUP_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path


def test_bigram_table_finds_listed_pairs_and_only_those():
    from cleanup.lexicon import BigramTable

    logp = {"in sufficient": -5.7, "of the": -1.9, "fore word": -9.1}
    table = BigramTable(*BigramTable.build(logp))
    assert len(table) == 3
    for pair, value in logp.items():
        assert table.get(pair) == value
    assert table.get("the of") is None and table.get("") is None
