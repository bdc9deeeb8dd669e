"""Properties over generated text: nothing is ever lost, and cleaning is idempotent."""
from hypothesis import HealthCheck, given, settings, strategies as st

from cleanup.document import render
from cleanup.pipeline import clean
from cleanup.profile import load as load_profile

from .ocrlike import assert_only_salad_lookalikes, clean_pages, ocr_pages

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def undone(doc) -> str:
    """The source rebuilt from the cleaned text and the change log as written to
    BOOK.changes.jsonl (read back): it can fail if the log loses anything."""
    import json
    from cleanup.document import Edit
    from cleanup.outputs import changes_jsonl
    from cleanup.scoring import source_from_log

    log = [Edit.from_json(json.loads(line)) for line in changes_jsonl(doc).split("\n") if line]
    return source_from_log(render(doc.source, doc.edits), log)


@FAST
@given(st.text())
def test_lossless_on_arbitrary_unicode(text):
    doc = clean(text)
    assert undone(doc) == text


UNICODE = load_profile()["unicode"]


def _ftfy_safe() -> list[str]:
    """Every character the unicode stage lets skip ftfy, read off its own pattern."""
    from cleanup.stages.unicode import _FTFY_MAY_CHANGE
    return [chr(c) for c in range(0x3000) if not _FTFY_MAY_CHANGE.match(chr(c))]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ftfy_safe()), max_size=120))
def test_unicode_stage_skips_only_what_ftfy_keeps(line):
    import ftfy
    from cleanup.stages.unicode import _config
    assert ftfy.fix_and_explain(line, config=_config(UNICODE)).text == line


def test_a_profile_that_changes_typography_has_ftfy_see_those_lines():
    from cleanup.stages.unicode import propose
    line = "“Well,” he said — and left…\n"
    assert propose(line, UNICODE, None) == []  # the default keeps curly quotes, dashes, ellipses
    assert [p.after for p in propose(line, dict(UNICODE, uncurl_quotes=True), None)] == ['"', '"']
    assert [p.after for p in propose(line, dict(UNICODE, normalization="NFKC"), None)] == ["..."]


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_cleaned_or_refused_clearly(data):
    from cleanup.errors import UserError
    try:
        doc = clean(data, name="x.txt")
    except UserError as e:
        assert "x.txt" in str(e)
        return
    from cleanup.decode import encode
    assert encode(undone(doc), doc.encoding) == data


@FAST
@given(ocr_pages())
def test_lossless_on_ocr_like_pages(page):
    doc = clean(page)
    assert undone(doc) == page
    assert render(doc.source, doc.edits) == doc.text


@FAST
@given(ocr_pages())
def test_cleaning_is_idempotent(page):
    once = clean(page).text
    again = clean(once)
    applied = [e for e in again.edits if not e.proposed_only]
    assert not applied, [(e.rule, e.before, e.after) for e in applied]


@FAST
@given(ocr_pages())
def test_ocr_like_pages_come_out_in_the_layout_contract(page):
    out = clean(page).text
    assert "\n\n\n" not in out and (out == "" or out.endswith("\n"))
    assert all(line == line.strip() for line in out.split("\n"))


@FAST
@given(clean_pages())
def test_clean_text_is_returned_unchanged(page):
    doc = clean(page)
    applied = [e for e in doc.edits if not e.proposed_only]
    # The layout stages leave it as it is, so the word stage saw the page itself.
    assert all(e.stage == "words" for e in applied), [(e.rule, e.before, e.after) for e in applied]
    assert_only_salad_lookalikes(doc.context.cache["words"], applied)
