"""The edit log: provenance, stable ids, absorption, and lossless undo."""
import json
from pathlib import Path

from hypothesis import given, settings, strategies as st

from cleanup.document import Decisions, Document, Edit, Proposal, render
from cleanup.outputs import _change_line
from cleanup.pipeline import clean

SEEDS = Path(__file__).parent.parent / "seeds"


def test_edit_names_its_source_span_and_line():
    doc = Document("one\ntwo iand three\n")
    [e] = doc.apply("words", [Proposal(8, 12, "and", "inserted-letter", "why", 0.9)])
    assert (e.start, e.end, e.line, e.before, e.after) == (8, 12, 2, "iand", "and")
    assert doc.text == "one\ntwo and three\n"


def test_later_edit_maps_through_earlier_ones_to_source():
    doc = Document("ab\ncd iand")
    doc.apply("layout", [Proposal(2, 3, " ", "line-join", "")])
    [e] = doc.apply("words", [Proposal(6, 10, "and", "inserted-letter", "")])
    assert doc.source[e.start : e.end] == "iand"


def test_edit_over_an_earlier_edit_absorbs_it_and_falls_with_it():
    doc = Document("the piam-\nphlet")
    [join] = doc.apply("layout", [Proposal(8, 10, "", "dehyphenate", "")])
    [fix] = doc.apply("words", [Proposal(4, 13, "pamphlet", "inserted-letter", "")])
    assert fix.replaces == (join.id,) and fix.before == "piam-\nphlet"
    assert render(doc.source, doc.edits) == "the pamphlet"
    # rejecting the join drops the fix made on its output; the printed hyphen stays,
    # and the line end inside the paragraph is gone (the output contract)
    assert render(doc.source, doc.edits, Decisions(reject={join.id})) == "the piam-phlet"
    # rejecting the fix re-exposes the join
    assert render(doc.source, doc.edits, Decisions(reject={fix.id})) == "the piamphlet"


def test_proposals_are_logged_not_applied_until_accepted():
    doc = Document("her right land duty")
    [p] = doc.apply("words", [Proposal(10, 14, "and", "real-word-context", "", 0.6, proposed_only=True)])
    assert doc.text == "her right land duty"
    assert render(doc.source, doc.edits) == "her right land duty"
    assert render(doc.source, doc.edits, Decisions(accept={p.id})) == "her right and duty"


def test_rejecting_a_rule_rejects_all_its_edits():
    doc = Document("a  b  c")
    doc.apply("tidy", [Proposal(1, 3, " ", "space-run", ""), Proposal(4, 6, " ", "space-run", "")])
    assert render(doc.source, doc.edits) == "a b c"
    assert render(doc.source, doc.edits, Decisions(reject_rules={"space-run"})) == "a  b  c"


def test_ids_are_stable_across_runs_and_unrelated_rules():
    text = (SEEDS / "zetkin-my-recollections-of-lenin.txt").read_text(encoding="utf-8")
    first = {e.id for e in clean(text).edits}
    second = {e.id for e in clean(text).edits}
    assert first == second and len(first) > 100


def test_overlapping_proposals_keep_the_first():
    doc = Document("abcdef")
    edits = doc.apply("s", [Proposal(1, 4, "X", "r1", ""), Proposal(2, 5, "Y", "r2", "")])
    assert [e.rule for e in edits] == ["r1"] and doc.text == "aXef"


def _all_rejected(doc: Document) -> str:
    """The source rebuilt from the cleaned text and the log: nothing is lost."""
    from cleanup.scoring import source_from_log

    return source_from_log(render(doc.source, doc.edits), doc.edits)


def test_empty_selection_reproduces_both_seeds_byte_for_byte():
    for seed in SEEDS.glob("*.txt"):
        data = seed.read_bytes()
        doc = clean(data, name=seed.name)
        assert doc.edits, seed
        assert _all_rejected(doc).encode("utf-8") == data


@st.composite
def proposal_rounds(draw):
    text = draw(st.text(alphabet=st.sampled_from("ab \n-é’"), max_size=40))
    rounds = draw(st.lists(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 6),
                                               st.text(alphabet="xy \n", max_size=3)), max_size=6), max_size=4))
    return text, rounds


@settings(max_examples=300, deadline=None)
@given(proposal_rounds())
def test_any_sequence_of_stages_is_undone_exactly_and_replayed_exactly(case):
    text, rounds = case
    doc = Document(text)
    for k, props in enumerate(rounds):
        n = len(doc.text)
        doc.apply(f"s{k}", [Proposal(min(s, n), min(s + w, n), after, f"r{k}", "") for s, w, after in props])
        # the log alone reproduces what the stages produced
        assert render(doc.source, doc.edits) == doc.text
    assert _all_rejected(doc) == text
    for e in doc.edits:
        assert doc.source[e.start : e.end] == e.before


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_pipeline_on_arbitrary_text_is_lossless(text):
    doc = clean(text)
    assert _all_rejected(doc) == text
    assert render(doc.source, doc.edits) == doc.text


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.lists(st.text(max_size=3), max_size=3),
       st.one_of(st.floats(), st.integers(), st.booleans()), st.one_of(st.booleans(), st.integers(0, 1)))
def test_a_change_log_line_is_the_json_of_its_record(before, after, replaces, confidence, proposed_only):
    """`changes_jsonl` writes its lines by hand, for speed: they must be exactly what
    json writes for `Edit.to_json` (quoting, non-ASCII, NaN, ints for floats, ...)."""
    e = Edit("ab12", "words\"", "rule\\x", 3, 9, 2, before, after, confidence, "why \u2028 é 𝔸",
             tuple(replaces), proposed_only)
    assert _change_line(e) == json.dumps(e.to_json(), ensure_ascii=False)
