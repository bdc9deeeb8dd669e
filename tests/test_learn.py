"""`cleanup learn` and `cleanup profile show`."""
import json
import random
import tomllib

from click.testing import CliRunner

from cleanup import profile as profiles
from cleanup.cli import main
from cleanup.learn import char_blocks, count_pages, merge_pairs, profile_overlay

SENTENCES = ["the house was near the river and the road", "he had seen the men at the harbour",
             "there were three ships in the bay that morning", "the council met on the third of the month",
             "they sold the land and the cattle to the bank"]


def synthetic_scan(seed: int = 1, pages: int = 6) -> list[tuple[str, str]]:
    """Proofread pages and a 'scan' of them that reads `e` as `o` one time in four
    and `h` as `li` one time in five: the confusions to be learned back."""
    rnd = random.Random(seed)
    out = []
    for _ in range(pages):
        truth = "\n".join(rnd.choice(SENTENCES) for _ in range(20)) + "\n"
        scan = "".join("o" if c == "e" and rnd.random() < 0.25 else
                       "li" if c == "h" and rnd.random() < 0.2 else c for c in truth)
        out.append((scan, truth))
    return out


def test_letter_groups_of_a_misread_word():
    assert char_blocks("tlie", "the") == [("li", "h")]
    assert char_blocks("tho", "the") == [("o", "e")]


def test_a_known_confusion_is_learned_back_with_a_plausible_cost():
    counts = count_pages(synthetic_scan())
    overlay = profile_overlay(counts, [], {"min_count": 2})
    costs = {(a, b): c for a, b, c in overlay["words"]["glyph_pairs"]}
    assert ("o", "e") in costs and ("li", "h") in costs
    # read `o` for `e` one time in four: cost near −log10(0.25) ≈ 0.6
    assert 0.5 <= costs[("o", "e")] <= 1.0
    assert costs[("li", "h")] > costs[("o", "e")] - 0.1
    scannos = {(a, b) for a, b, *_ in overlay["words"]["scannos"]}
    assert ("tho", "the") in scannos


def test_rare_confusions_are_not_learned_from_a_few_pages():
    counts = count_pages([("the cat sat on tbe mat", "the cat sat on the mat")])
    overlay = profile_overlay(counts, [], {"min_count": 2})
    assert overlay["words"]["glyph_pairs"] == []


def test_learned_pairs_merge_with_the_general_table_cheaper_wins():
    merged = merge_pairs([["rn", "m", 2.0], ["o", "e", 3.0]], [["o", "e", 0.8], ["li", "h", 1.5]])
    assert sorted(merged) == [["li", "h", 1.5], ["o", "e", 0.8], ["rn", "m", 2.0]]


def test_learn_command_writes_a_profile_that_loads(tmp_path):
    args = []
    for k, (scan, truth) in enumerate(synthetic_scan()):
        (tmp_path / f"s{k}.txt").write_text(scan, encoding="utf-8")
        (tmp_path / f"t{k}.txt").write_text(truth, encoding="utf-8")
        args += ["--scan", str(tmp_path / f"s{k}.txt"), "--proofread", str(tmp_path / f"t{k}.txt")]
    out = tmp_path / "learned.toml"
    res = CliRunner().invoke(main, ["learn", *args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    learned = tomllib.loads(out.read_text(encoding="utf-8"))
    assert ["o", "e"] in [p[:2] for p in learned["words"]["glyph_pairs"]]
    effective = profiles.load(out)
    assert effective["pipeline"]["stages"] == profiles.load()["pipeline"]["stages"]  # the general rules stay
    assert out.read_text(encoding="utf-8").startswith("# Learned by `cleanup learn`")


def test_learn_refuses_unpaired_files(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    res = CliRunner().invoke(main, ["learn", "--scan", str(f), "--scan", str(f), "--proofread", str(f), "-o", str(tmp_path / "p.toml")])
    assert res.exit_code == 1 and "pairs" in res.output


def test_profile_show_prints_the_effective_profile(tmp_path):
    res = CliRunner().invoke(main, ["profile", "show"])
    assert res.exit_code == 0 and tomllib.loads(res.output)["pipeline"]["stages"]
    user = tmp_path / "p.toml"
    user.write_text("[paragraphs]\nshort_line_ratio = 0.5\n", encoding="utf-8")
    shown = tomllib.loads(CliRunner().invoke(main, ["profile", "show", str(user)]).output)
    assert shown["paragraphs"]["short_line_ratio"] == 0.5
    assert shown["paragraphs"]["max_measure"] == profiles.load()["paragraphs"]["max_measure"]


# -- learned back, then applied by `cleanup run --profile` ------------------------------------
TRAIN = ["but the men must go up to the church just after the sun is up",
         "they put much trust in us but the hunt was run under the full moon",
         "the number of judges must be just and the rules must be understood",
         "but it was summer and the musicians played until the public left"]
# a later book from the same scanner: other sentences, some words the pages never had
BOOK = ["we must trust the judges but the court is full of doubt",
        "the sun was up but the truth was hard to put into just words",
        "such a number of runners must be counted but not thus by us"]


def _u_read_as_a(text: str, rnd: random.Random) -> str:
    """The scanner's habit: `u` read as `a` four times in ten (`but` → `bat`, a real word)."""
    return "".join("a" if c == "u" and rnd.random() < 0.4 else c for c in text)


def _pages(rnd, sentences, n):
    return "\n".join(rnd.choice(sentences).capitalize() + "." for _ in range(n)) + "\n"


def test_a_learned_confusion_is_applied_to_a_new_scan_by_run_with_the_profile(tmp_path):
    from rapidfuzz.distance import Levenshtein

    rnd = random.Random(3)
    args = []
    for k in range(4):
        truth = _pages(rnd, TRAIN, 25)
        (tmp_path / f"s{k}.txt").write_text(_u_read_as_a(truth, rnd), encoding="utf-8")
        (tmp_path / f"t{k}.txt").write_text(truth, encoding="utf-8")
        args += ["--scan", str(tmp_path / f"s{k}.txt"), "--proofread", str(tmp_path / f"t{k}.txt")]
    prof = tmp_path / "scanner.toml"
    assert CliRunner().invoke(main, ["learn", *args, "-o", str(prof)]).exit_code == 0
    learned = tomllib.loads(prof.read_text(encoding="utf-8"))["words"]
    costs = {(a, b): c for a, b, c in learned["glyph_pairs"]}
    assert costs[("a", "u")] < 1.0  # four in ten: −log10(0.4) ≈ 0.4
    assert ["a", "u"] == learned["learned_support"][0][:2]
    assert ["bat", "but"] in [s[:2] for s in learned["scannos"]]

    truth = _pages(rnd, BOOK, 30)
    book = tmp_path / "book.txt"
    book.write_text(_u_read_as_a(truth, rnd), encoding="utf-8")
    norm = lambda t: " ".join(t.split())  # noqa: E731
    errors = {}
    for name, extra in (("plain", []), ("learned", ["--profile", str(prof)])):
        out = tmp_path / name
        assert CliRunner().invoke(main, ["run", str(book), "-o", str(out), *extra]).exit_code == 0
        errors[name] = Levenshtein.distance(norm((out / "book.txt").read_text(encoding="utf-8")), norm(truth))
        if name == "learned":
            changes = (out / "book.changes.jsonl").read_text(encoding="utf-8")
    raw_errors = Levenshtein.distance(norm(book.read_text(encoding="utf-8")), norm(truth))
    assert raw_errors > 50 and errors["plain"] > raw_errors / 2
    assert errors["learned"] <= raw_errors / 10
    edits = [json.loads(line) for line in changes.splitlines()]
    assert any(e["rule"] == "learned-scanno" for e in edits)
    # words the proofread pages never had are repaired by the learned confusion, not memorised
    seen = set(" ".join(TRAIN).split())
    new_words = {e["reason"].split("’")[0].lstrip("‘") for e in edits if e["rule"] == "glyph-confusion"}
    assert {w.replace("a", "u") for w in new_words} - seen  # `coart`, `doabt`, `sach` …


def test_line_aligned_pages_with_words_broken_at_line_ends_teach_no_false_misreadings():
    """Newspaper OCR, line for line with its correction: the corrector joined broken
    words onto the first line, the scan lost some line-end hyphens."""
    scan = "if they are cow-\nards they should\nsurrender at discre\ntion and the dem\nocrats tho same\n"
    truth = "if they are cowards\nthey should\nsurrender at discre-\ntion and the democrats\nthe same\n"
    overlay = profile_overlay(count_pages([(scan, truth)] * 3), [], {"min_count": 2})
    assert [s[:2] for s in overlay["words"]["scannos"]] == [["tho", "the"]]
    assert overlay["words"]["learned_support"] == [["o", "e", 3]]


def test_learn_refuses_a_scan_paired_with_other_pages_and_writes_nothing(tmp_path):
    from pathlib import Path

    lines = (Path(__file__).parent.parent / "seeds" / "zetkin-my-recollections-of-lenin.txt").read_text(
        encoding="utf-8").splitlines(keepends=True)
    good_scan, good_truth = synthetic_scan(pages=1)[0]
    files = {}
    for name, text in {"s1": good_scan, "t1": good_truth, "s2": "".join(lines[400:460]),
                       "t2": "".join(lines[900:960])}.items():
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text(text, encoding="utf-8")
    out = tmp_path / "learned.toml"
    res = CliRunner().invoke(main, ["learn", "--scan", files["s1"], "--proofread", files["t1"],
                                    "--scan", files["s2"], "--proofread", files["t2"], "-o", out])
    assert res.exit_code == 1, res.output
    assert "s2.txt and" in res.output and "t2.txt do not look like the same pages" in res.output
    assert not out.exists()
