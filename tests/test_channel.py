"""The general OCR channel: built reproducibly from training pairs, shipped as
package data, and used so that common misreadings are decided without a big book."""
from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from cleanup import profile as profiles
from cleanup.lexicon import Lexicon
from cleanup.pipeline import clean
from cleanup.words.channel import Channel, general_channel
from cleanup.words.unknown import unknown_words_tsv

REPO = Path(__file__).resolve().parent.parent
PROFILE = profiles.load()


def _builder():
    spec = importlib.util.spec_from_file_location("build_channel", REPO / "scripts" / "build_channel.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _sample(tmp_path: Path) -> Path:
    """A tiny external folder in the shared sets' layout: train and test pages."""
    pages = {
        ("overproof_newspapers", "a1", "train"): ("tbe man and tbe horse wero here", "the man and the horse were here"),
        ("overproof_newspapers", "a2", "train"): ("tbe dog bo good aud wero glad", "the dog be good and were glad"),
        ("overproof_newspapers", "a3", "train"): ("wero tbe best aud tbe rest", "were the best and the rest"),
        ("overproof_newspapers", "a4", "test"): ("zzz tbe held out", "qqq the held out"),
        ("icdar2017_eng_monograph", "bk_p0001", "train"): ("tbe end of tbe day", "the end of the day"),
    }
    cols = {"overproof_newspapers": "split", "icdar2017_eng_monograph": "icdar_split"}
    for folder, col in cols.items():
        base = tmp_path / folder
        (base / "ocr").mkdir(parents=True)
        (base / "gt").mkdir()
        rows = [f"id\t{col}"]
        for (f, pid, split), (ocr, gt) in pages.items():
            if f == folder:
                rows.append(f"{pid}\t{split}")
                (base / "ocr" / f"{pid}.txt").write_text(ocr + "\n", encoding="utf-8")
                (base / "gt" / f"{pid}.txt").write_text(gt + "\n", encoding="utf-8")
        (base / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def test_the_build_is_reproducible_and_reads_only_training_pages(tmp_path):
    ext = _sample(tmp_path / "ext")
    build = _builder()
    names = [name for name, _, _ in build.training_pairs(ext)]
    assert len(names) == 4 and not any("a4" in n for n in names)  # the test page is never read
    out1, out2 = tmp_path / "one.toml", tmp_path / "two.toml"
    assert build.main(["--external", str(ext), "-o", str(out1), "--min-count", "2"]) == 0
    assert build.main(["--external", str(ext), "-o", str(out2), "--min-count", "2"]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    table = tomllib.loads(out1.read_text(encoding="utf-8"))
    # `b` for `h`, seen 7 times in four sources: counted less the largest one's 2
    assert ["b", "h"] == table["glyph"][0][:2] and table["glyph"][0][3] == 7 - 2
    assert "zzz" not in out1.read_text(encoding="utf-8")


def test_a_source_alone_teaches_no_general_misreading(tmp_path):
    build = _builder()
    lex = Lexicon.load({"user_dictionaries": []})
    pages = [("one-book", "wdl tbe wdl", "will the will"), ("one-book", "wdl wdl", "will will")]
    table = build.build(pages, lambda w: lex.known(w.lower()), min_count=1)
    assert table["glyph"] == [] and table["scannos"] == []


def test_the_shipped_channel_loads_and_prices_the_look_alikes():
    table = general_channel()
    assert table["glyph"] and all(len(row) == 4 for row in table["glyph"])
    ch = Channel(PROFILE["words"])
    assert ch.general_support(("glyph", "u", "n")) >= 20  # `aud` for `and`: common in real OCR
    assert ch.common(("glyph", "li", "h"), 20) and ch.common(("glyph", "rn", "m"), 20)
    assert not ch.common(("glyph", "x", "q"), 20)
    off = Channel(dict(PROFILE["words"], general_channel=False))
    assert off.general_support(("glyph", "u", "n")) == 0


def _applied(text: str):
    doc = clean(text, PROFILE, name="p.txt")
    return doc.text, [e for e in doc.edits if not e.proposed_only and e.stage == "words"]


def test_common_misreadings_are_repaired_in_one_paragraph():
    text = "The man went to tlie market and brouglit a horse home for tbe farm.\n"
    out, edits = _applied(text)
    assert out == "The man went to the market and brought a horse home for the farm.\n"
    # `brought` is printed nowhere else: the general channel alone decides it
    assert [e.rule for e in edits if e.after == "h" and "brouglit" in e.reason] == ["common-misreading"]



def test_a_heading_word_in_capitals_is_repaired_and_a_name_is_not():
    # a long capitalised form a common misreading makes of a frequent word is that
    # word (a heading's capitals), not a name; a short name near a word stays a name
    text = "The meeting of the Executivo Committeo was held, and Mr. Moro spoke to it.\n"
    out, edits = _applied(text)
    assert "the Executive Committee was" in out
    assert "Mr. Moro spoke" in out
    assert any("Committeo" in e.reason for e in edits)

def test_a_dialect_books_recurring_words_are_its_spelling():
    text = ("Marse George sont me dyah. He sont me back agin, an' he sont de letter too. "
            "I tole him so, an' he laugh.\n")
    out, _ = _applied(text)
    assert out.count("sont") == 3 and "dyah" in out


def test_a_dialect_word_the_book_repeats_teaches_no_misreading_of_its_own():
    # `pa` and `ax` each recur: the only evidence for "p inserted", "x inserted" is the
    # words themselves, which is the book's spelling, not a scan's habit
    text = ("Her pa came home at night. He tole her pa dat he would ax him, an' her pa said he would "
            "ax de jedge too, an' de boys ax for bread. The judge said that the bread was good.\n")
    out, _ = _applied(text)
    assert out.count(" pa ") == 3 and out.count(" ax ") == 3


def test_digits_inside_words_are_repaired_or_listed():
    doc = clean("His tact1essness was famous in the whole town, and every one of them knew it.\n",
                PROFILE, name="d.txt")
    tsv = unknown_words_tsv(doc)
    rows = {r.split("\t")[0] for r in tsv.splitlines()[1:]}
    assert "tact1essness" in rows or "tactlessness" in doc.text


def test_a_common_whole_word_misreading_changes_a_real_word_only_where_the_context_asks():
    out, edits = _applied("They went to the town and tho man said so to the mayor of the place; tho' he "
                          "was tired, he came to the house by the river.\n")
    assert "and the man said" in out and "; tho' he" in out
    assert [e.rule for e in edits if e.before == "o"] == ["common-scanno"]


def test_a_scan_that_repeats_a_misreading_does_not_vouch_for_it():
    # `of tho`, `to tho` again and again: the book's own pairs would make `tho` look at
    # home beside its neighbours; general English's pairs judge the misreading
    out, _ = _applied("The report of tho committee was read. Most of tho members came to tho hall, "
                      "and tho chairman spoke of tho war. " * 3)
    assert " tho " not in out and out.count("of the ") == 9


def test_without_the_general_channel_a_paragraph_keeps_its_common_misreadings():
    profile = dict(PROFILE, words=dict(PROFILE["words"], general_channel=False))
    doc = clean("The man went to tlie town and tho man said so.\n", profile, name="q.txt")
    assert "tlie" in doc.text and "tho man" in doc.text


def test_a_mark_that_may_be_a_misread_letter_is_only_proposed():
    # no footnotes in the text: a `*` glued to a word may be a misread `s`; a `(` no
    # bracket closes, where `t` makes a commoner word (`the`), may be a misread `t`
    doc = clean("The news came on account* of the month. He said (he man was late, and went on.\n",
                PROFILE, name="p.txt")
    proposed = {e.rule for e in doc.edits if e.proposed_only}
    assert {"orphan-footnote-mark", "unmatched-opening"} <= proposed
    assert "account* of" in doc.text and "(he man" in doc.text


def test_a_mark_where_a_letter_makes_a_word_is_no_speck_and_no_lost_space():
    # `;` in `Picture;que` is a misread `s`, not a clause mark run on to `que`; the `.` in
    # `we.t` may be the `n` of `went`: neither is closed up into another word
    out, _ = _applied("Embracing the most Picture;que views, we.t home at last by the river.\n")
    assert "Picture; que" not in out and "wet home" not in out
    out, _ = _applied("He made promises,and kept them; a sub.ject of talk.\n")
    assert "promises, and kept" in out and "subject of" in out
