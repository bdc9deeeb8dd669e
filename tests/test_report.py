"""BOOK.report.html: the word-level diff report and review page (issues 2 and 4).

The browser tests drive the page in real headless Chromium (Debian's `chromium`)
through Playwright; they are skipped only when Chromium is not installed."""
import json
import os
import random
import re
import shutil
import sys
import time
import types
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cleanup import report, stages
from cleanup.cli import main
from cleanup.document import Decisions, Document, Edit, Proposal, render

XSS = "<script>alert(1)</script>"


def built(src, *stages_, name="t.txt", decisions=None):
    """A document with one stage per list of proposals, and its page."""
    doc = Document(src, name=name)
    for i, props in enumerate(stages_):
        doc.apply(f"stage{i}", props)
    return doc, report.build(doc, decisions)


def hunk_html(page_html, edit_id):
    m = re.search(r'<span class="h [^"]*" data-h="\d+" data-id="[^"]*\b' + edit_id + r'\b[^"]*"[^>]*>(.*?)</span>',
                  page_html)
    assert m, f"no hunk for {edit_id}"
    return m.group(1)


def at(src, word, after, rule, **kw):
    k = src.index(word)
    return Proposal(k, k + len(word), after, rule, kw.pop("reason", f"{rule} reason"), **kw)


# -- the page as HTML ---------------------------------------------------------------------
def test_changed_words_are_marked_inline_and_unchanged_paragraphs_left_out():
    src = "One teh line\nwraps here.\n\nThis paragraph is clean.\n\nThird has a stray ^mark in it.\n"
    doc, page = built(src, [at(src, "teh", "the", "typo", confidence=0.8),
                            at(src, "\n", " ", "line-join"), at(src, "^", "", "stray-mark")])
    typo, join, stray = doc.edits
    # the whole word, its changed letters marked
    assert hunk_html(page, typo.id) == "<del>teh</del><ins>the</ins>"  # most of it changed
    assert hunk_html(page, stray.id) == "<del><b>^</b>mark</del><ins>mark</ins>"
    assert "<del>" not in hunk_html(page, join.id) and "<ins>" not in hunk_html(page, join.id)
    assert "This paragraph is clean" not in page
    title = re.search(r'data-id="' + typo.id + r'" title="([^"]*)"', page).group(1)
    assert "typo" in title and "typo reason" in title and "0.8" in title and typo.id in title
    for rule in ("typo", "line-join", "stray-mark"):  # counts per rule, with a toggle each
        assert re.search(rf'<tr data-rule="{rule}">.*?<td class="num">1</td>', page)


def test_a_change_inside_a_word_shows_the_whole_word():
    src = "the working-cliass movement"
    k = src.index("cliass") + 2
    doc, page = built(src, [Proposal(k, k + 1, "", "inserted-letter", "OCR added an i")])
    assert hunk_html(page, doc.edits[0].id) == "<del>working-cl<b>i</b>ass</del><ins>working-class</ins>"


def test_a_reflowed_line_is_not_a_word_change_but_a_paragraph_join_is_marked_subtly():
    src = "a sentence that\nwraps.\n\nBroken para-\ngraph goes on.\n\nSplit here. Now.\n"
    doc, page = built(src, [at(src, "that\n", "that ", "line-join"),
                            at(src, ".\n\nBroken", ". Broken", "page-join"),
                            at(src, "para-\ngraph", "paragraph", "dehyphenate"),
                            at(src, "here. ", "here.\n\n", "paragraph-break")])
    join, page_join, dehyph, split = doc.edits
    assert "<del" not in hunk_html(page, join.id)
    assert hunk_html(page, page_join.id).count('<del class="pb">¶</del>') == 1
    assert hunk_html(page, split.id).count('<ins class="pb">¶</ins>') == 1
    assert hunk_html(page, dehyph.id) == "<del>para<b>- </b>graph</del><ins>paragraph</ins>"
    assert 'class="h k-layout' in page and 'class="h k-para' in page and 'class="h k-word' in page


def test_proposals_are_distinct_and_not_applied_until_accepted():
    src = "a cliass act\n"
    doc, page = built(src, [at(src, "cliass", "class", "guess", confidence=0.3, proposed_only=True)])
    e = doc.edits[0]
    assert re.search(r'class="h k-word prop" data-h="0" data-id="' + e.id, page)
    assert "proposal, not applied unless accepted" in page
    assert render(src, doc.edits) == src
    accepted = report.build(doc, Decisions(accept={e.id}))
    assert re.search(r'class="h k-word chg" data-h="0" data-id="' + e.id, accepted)
    rejected = report.build(doc, Decisions(reject={e.id}))
    assert re.search(r'class="h k-word off" data-h="0" data-id="' + e.id, rejected)


def test_everything_from_the_scan_is_escaped():
    """A scan (and its file name, rule names, reasons) holding markup shows it as text."""
    src = f"Before {XSS} after teh end.\n\nA <b>bold</b> & \"quoted\" 'line'.\n"
    doc, page = built(src, [at(src, "teh", "the", "typo", reason=f"reason {XSS}"),
                            at(src, "<b>bold</b>", f"{XSS}", f"rule{XSS}"),
                            at(src, "&", "and", "amp")], name=f"{XSS}.txt")
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 2  # the data block and the page's own code, nothing else
    data = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and json.loads(data)["hunks"]  # and it is still JSON
    parser = HTMLParser()  # and the page still parses
    parser.feed(page)


def test_the_page_cannot_reach_the_network():
    src = "teh end\n"
    _, page = built(src, [at(src, "teh", "the", "typo")])
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe" not in csp
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|fetch\(|XMLHttpRequest|@import", page)


def test_an_empty_log_gives_a_page_that_says_so():
    _, page = built("already clean\n")
    assert "No changes." in page


# -- the page in Chromium ----------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

# Mojibake twice (unicode stage), CRLF line ends and a control character
# (line-ends stage), `teh` twice (rule `typo`) and an unsure proposal (rule
# `shout`) from a test stage. The clean tail keeps the file from looking binary.
TAIL = "\nClean text stays exactly as it was scanned.\n" * 4
SCAN = "Itâ€™s teh first line,\r\nand teh second one.\r\n\r\nA donâ€™t and a wor\x01d, one more.\r\n" + TAIL


def _typos(text, cfg, ctx):
    out = [Proposal(m.start(), m.end(), "the", "typo", "letters swapped", 0.9) for m in re.finditer(r"\bteh\b", text)]
    k = text.index("one more")
    return out + [Proposal(k, k + 3, "ONE", "shout", "an unsure guess", 0.6)]


@pytest.fixture
def book(tmp_path, monkeypatch):
    fake = types.ModuleType("cleanup.stages.typos")
    fake.propose = _typos
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setitem(stages.REGISTRY, "typos", "typos")
    (tmp_path / "p.toml").write_text('[pipeline]\nstages = ["unicode", "line-ends", "typos"]\n', encoding="utf-8")
    p = tmp_path / "book.txt"
    p.write_bytes(SCAN.encode("utf-8"))
    return p


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """Open a report file; record script errors, dialogs and any network request."""
    ctx = browser.new_context(accept_downloads=True)
    seen = {"errors": [], "dialogs": [], "requests": []}

    def opener(path):
        page = ctx.new_page()
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("request", lambda r: r.url.startswith(("file:", "blob:", "data:")) or seen["requests"].append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]")
        return page

    yield opener, seen
    ctx.close()


def current_edit(page):
    return page.eval_on_selector("#current .edit.here", "el => el.dataset.id")


@needs_chromium
def test_review_in_the_browser_then_apply(tmp_path, book, open_page):
    """Reject one change and one rule, accept a proposal, export, apply: the
    cleaned text is what the reviewer chose."""
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--profile", tmp_path / "p.toml")
    log = [json.loads(x) for x in (out / "book.changes.jsonl").read_text("utf-8").splitlines()]
    mojibake = [c["id"] for c in log if c["rule"] == "mojibake"]
    (proposal,) = [c["id"] for c in log if c["proposed_only"]]
    opener, seen = open_page
    page = opener(out / "book.report.html")

    # Keyboard: j moves forward, k back, over the word changes in reading order.
    page.keyboard.press("j")
    assert current_edit(page) == mojibake[0]
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert current_edit(page) == mojibake[0]

    # Filter by rule, pick the second mojibake with the keyboard and reject it.
    page.select_option("#f-rule", "mojibake")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert current_edit(page) == mojibake[1]
    page.keyboard.press("r")
    assert "rejected" in page.inner_text("#current .edit.here .state")
    assert page.get_attribute(f'.h[data-id~="{mojibake[1]}"]', "class").split()[-1] in ("off", "cur")
    assert "donâ€™t" in page.inner_text(f'.h[data-id~="{mojibake[1]}"]')
    page.select_option("#f-rule", "")

    # Reject the whole `typo` rule from the table of counts (folded on the first screen).
    page.click("#rule-table summary")
    assert page.inner_text('#rules tr[data-rule="typo"] td.num') == "2"
    page.uncheck('#rules input.rule-on[data-rule="typo"]')
    assert all("off" in c for c in page.eval_on_selector_all(
        ".h.k-word", "els => els.filter(e => e.title.includes('typo (')).map(e => e.className)"))

    # The proposal is shown distinctly; accept it.
    assert "prop" in page.get_attribute(f'.h[data-id~="{proposal}"]', "class")
    page.check("#f-props")
    page.keyboard.press("j")
    assert current_edit(page) == proposal
    page.keyboard.press("a")
    assert "prop" not in page.get_attribute(f'.h[data-id~="{proposal}"]', "class")

    with page.expect_download() as dl:
        page.click("#export")
    exported = tmp_path / dl.value.suggested_filename
    dl.value.save_as(exported)
    assert exported.name == "book.decisions.json"
    assert json.loads(exported.read_text("utf-8")) == json.loads(page.input_value("#decisions-json"))
    assert json.loads(exported.read_text("utf-8")) == {
        "book": "book.txt", "reject": [mojibake[1]], "accept": [proposal], "reject_rules": ["typo"]}
    assert not seen["errors"] and not seen["requests"] and not seen["dialogs"]

    cli("apply", book, "--decisions", exported, "-o", out, "--profile", tmp_path / "p.toml")
    text = (out / "book.txt").read_text("utf-8")
    assert text == "It’s teh first line,\nand teh second one.\n\nA donâ€™t and a word, ONE more.\n" + TAIL
    # The re-rendered page opens with those decisions made.
    again = opener(out / "book.report.html")
    assert json.loads(again.evaluate("decisionsJson()"))["reject_rules"] == ["typo"]


@needs_chromium
def test_a_decision_survives_a_reload_and_is_exported(tmp_path, book, open_page):
    """j, r; reload: the decision is back (with a notice saying so) and in the file e exports."""
    out = tmp_path / "out"
    cli("run", book, "-o", out, "--profile", tmp_path / "p.toml")
    opener, seen = open_page
    page = opener(out / "book.report.html")
    assert page.is_hidden("#restored")
    page.keyboard.press("j")
    first = current_edit(page)
    assert "1 of" in page.inner_text("#current .progress") and "undecided" in page.inner_text("#current .progress")
    page.keyboard.press("r")
    page.keyboard.press("u")  # undone
    assert json.loads(page.evaluate("decisionsJson()"))["reject"] == []
    page.keyboard.press("r")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert "Restored 1 decisions" in page.inner_text("#restored")
    assert first in json.loads(page.evaluate("decisionsJson()"))["reject"]
    with page.expect_download() as dl:
        page.keyboard.press("e")
    exported = tmp_path / "d.json"
    dl.value.save_as(exported)
    assert json.loads(exported.read_text("utf-8"))["reject"] == [first]
    # the page written again with other decisions: the browser's are offered, not imposed
    cli("apply", book, "-o", out, "--profile", tmp_path / "p.toml", "--decisions", exported)
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert "Restored" not in page.inner_text("#restored")
    assert json.loads(page.evaluate("decisionsJson()"))["reject"] == [first]  # the file's, as written
    # a correction typed for a change shows in its place and goes into the file
    page.keyboard.press("j")
    page.click('#current button[data-act="hand"]')
    page.fill("#hand-text", "Its")
    page.click("#hand button")
    hunk = page.get_attribute(".h.cur", "data-h")
    assert "Its" in page.inner_text(f'.h[data-h="{hunk}"]')
    (typed,) = json.loads(page.evaluate("decisionsJson()"))["edit"]
    assert typed["text"] == "Its" and typed["before"] == "Itâ€™s"
    # the page written again with other decisions: the browser's work is offered, not imposed
    (tmp_path / "none.json").write_text("{}", encoding="utf-8")
    cli("apply", book, "-o", out, "--profile", tmp_path / "p.toml", "--decisions", tmp_path / "none.json")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert "earlier version of this page" in page.inner_text("#restored")
    assert "edit" not in json.loads(page.evaluate("decisionsJson()"))
    page.click("#restore-old")
    assert json.loads(page.evaluate("decisionsJson()"))["edit"] == [typed]
    # what was seen is marked, after a reload too; "undecided only" leaves out what was decided
    assert "seen" in page.get_attribute(f'.h[data-id~="{first}"]', "class")
    page.check("#f-open")
    page.keyboard.press("j")
    assert current_edit(page) != first
    assert not seen["errors"] and not seen["requests"] and not seen["dialogs"]


@needs_chromium
def test_unknown_words_are_marked_and_corrected_by_hand(tmp_path, open_page):
    """The words no lexicon knows are in the page (their paragraphs too, changed or
    not); w goes to the next; a suggestion is one click, or the reviewer types one;
    the exported file holds the hand correction and `apply` logs it as `reviewer`."""
    out = tmp_path / "out"
    scan = "seeds/zetkin-my-recollections-of-lenin.txt"
    cli("run", scan, "-o", out)
    unknown = (out / "zetkin-my-recollections-of-lenin.unknown.tsv").read_text("utf-8")
    opener, seen = open_page
    page = opener(out / "zetkin-my-recollections-of-lenin.report.html")
    n_words = len(unknown.splitlines()) - 1
    assert page.locator("#doc .unk").count() >= n_words
    page.keyboard.press("w")
    assert "unknown word" in page.inner_text("#current")
    el = page.locator('#doc .unk', has_text="trtfeune").first
    el.click()
    page.fill("#hand-text", "tribune")
    page.click("#hand button")
    assert "tribune" in el.inner_text()
    with page.expect_download() as dl:
        page.keyboard.press("e")
    exported = tmp_path / "d.json"
    dl.value.save_as(exported)
    (edit,) = json.loads(exported.read_text("utf-8"))["edit"]
    assert edit["before"] == "trtfeune" and edit["text"] == "tribune"
    cli("apply", scan, "-o", out, "--decisions", exported)
    assert "tribune" in (out / "zetkin-my-recollections-of-lenin.txt").read_text("utf-8")
    log = (out / "zetkin-my-recollections-of-lenin.changes.jsonl").read_text("utf-8")
    assert '"rule": "reviewer"' in log
    # any stretch: select it (here across a line end, `hoary ⏎leader`) and type what it should read
    page = opener(out / "zetkin-my-recollections-of-lenin.report.html")
    select = """() => {
        const w = document.createTreeWalker(document.getElementById("doc"), NodeFilter.SHOW_TEXT);
        let n; while ((n = w.nextNode()) && !n.data.includes("hoary")) {}
        let m = n; while (!m.data.includes("leader")) m = w.nextNode();  // past the line join's hunk
        const r = document.createRange();
        r.setStart(n, n.data.indexOf("hoary")); r.setEnd(m, m.data.indexOf("leader") + 6);
        getSelection().removeAllRanges(); getSelection().addRange(r);
        document.getElementById("doc").dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }"""
    page.evaluate(select)
    page.fill("#hand-text", "hoary chief")
    page.click("#hand button")
    assert page.locator("#doc .hand ins", has_text="hoary chief").count() == 1
    page.keyboard.press("u")  # undone: the scan's text is back in its place
    assert page.locator("#doc .hand").count() == 0 and "hoary chief" not in page.evaluate("decisionsJson()")
    page.evaluate(select)
    page.fill("#hand-text", "hoary leader")
    page.click("#hand button")
    src = open(scan, encoding="utf-8").read()
    typed = [v for v in json.loads(page.evaluate("decisionsJson()"))["edit"] if v["text"] == "hoary leader"]
    assert typed and src[typed[0]["start"] : typed[0]["end"]] == typed[0]["before"] == "hoary \nleader"
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#doc .hand ins", has_text="hoary leader").count() == 1  # restored, shown
    # a suggestion is one click
    page = opener(out / "zetkin-my-recollections-of-lenin.report.html")
    first = page.locator("#doc .unk").first
    first.click()
    buttons = page.locator("#current button[data-fix]")
    if buttons.count():
        word = buttons.first.inner_text()
        buttons.first.click()
        assert word in first.inner_text()
    assert not seen["errors"] and not seen["requests"]


@needs_chromium
def test_script_in_the_scan_shows_as_text_in_the_browser(tmp_path, open_page):
    src = f"Before {XSS} after teh end.\n"
    doc = Document(src, name=f"{XSS}.txt")
    doc.apply("s", [at(src, "teh", "the", "typo"), at(src, "</script>", "<img src=x onerror=alert(2)>", "x")])
    path = tmp_path / "r.html"
    path.write_text(report.build(doc), encoding="utf-8")
    opener, seen = open_page
    page = opener(path)
    assert XSS[:-9] in page.inner_text("#doc") and "onerror=alert(2)" in page.inner_text("#doc")
    assert page.title() == f"Changes to {XSS}.txt"
    page.keyboard.press("j")
    page.keyboard.press("r")  # the script re-renders the hunk: still text
    page.keyboard.press("j")
    page.keyboard.press("r")
    assert XSS in page.inner_text("#doc")
    assert page.locator("#doc script, #doc img").count() == 0
    assert not seen["dialogs"] and not seen["errors"] and not seen["requests"]


# The hunks whose markup or state the page's own script renders otherwise than Python did.
HUNKS_THE_PAGE_RENDERS_OTHERWISE = """() => {
    const t = document.createElement("template");
    return H.filter(h => { const [state, html] = hunkState(h); t.innerHTML = html;
        return t.innerHTML !== h.el.innerHTML || !h.el.classList.contains(state); }).map(h => h.i);
}"""


@needs_chromium
def test_the_memoir_page_is_fast_and_its_script_renders_like_python(tmp_path, open_page):
    """On a real book: size, load time, and every hunk re-rendered by the page's
    script is the HTML Python wrote; a rule with thousands of changes toggles fast."""
    out = tmp_path / "out"
    cli("run", "seeds/zetkin-my-recollections-of-lenin.txt", "-o", out)
    path = out / "zetkin-my-recollections-of-lenin.report.html"
    assert path.stat().st_size < 4_000_000
    opener, seen = open_page
    t0 = time.perf_counter()
    page = opener(path)
    assert time.perf_counter() - t0 < 10
    differ = page.evaluate(HUNKS_THE_PAGE_RENDERS_OTHERWISE)
    assert differ == []
    # and under decisions of every kind: rejected joins (their reading), a rule rejected but
    # one of its changes accepted, a correction rejected everywhere, a hand correction
    log = [json.loads(x) for x in (out / "zetkin-my-recollections-of-lenin.changes.jsonl").read_text("utf-8").splitlines()]
    rnd = random.Random(3)
    src = open("seeds/zetkin-my-recollections-of-lenin.txt", encoding="utf-8").read()
    k = src.index("trtfeune")
    dec = {"reject": rnd.sample([c["id"] for c in log], 600), "reject_rules": ["word-join", "inserted-letter"],
           "accept": [next(c["id"] for c in log if c["rule"] == "inserted-letter")],
           "reject_corrections": [{"before": "land", "after": "and"}],
           "edit": [{"start": k, "end": k + 8, "before": "trtfeune", "text": "tribune"}]}
    (tmp_path / "d.json").write_text(json.dumps(dec), encoding="utf-8")
    cli("apply", "seeds/zetkin-my-recollections-of-lenin.txt", "-o", out, "--decisions", tmp_path / "d.json")
    page = opener(path)
    differ = page.evaluate(HUNKS_THE_PAGE_RENDERS_OTHERWISE)
    assert differ == []
    assert "tribune" in page.inner_text("#doc")
    biggest = page.evaluate("""() => { const n = new Map();
        for (const e of E) n.set(e.rule, (n.get(e.rule) || 0) + 1);
        return [...n].sort((a, b) => b[1] - a[1])[0][0]; }""")
    page.click("#rule-table summary")
    t0 = time.perf_counter()
    page.uncheck(f'#rules input.rule-on[data-rule="{biggest}"]')
    page.check(f'#rules input.rule-on[data-rule="{biggest}"]')
    assert time.perf_counter() - t0 < 5
    assert not seen["errors"] and not seen["requests"]


# -- hunks are self-contained: the page can re-render each one on its own -------------
def reassembled(doc, d):
    """The cleaned text put together hunk by hunk, as the page shows it."""
    hunks, _ = report.hunks_of(doc)
    out, pos = [], 0
    for h in hunks:
        assert h.start >= pos, "hunks overlap"
        out += [doc.source[pos : h.start], render(doc.source, [doc.edits[i] for i in h.edits], d, span=(h.start, h.end))]
        pos = h.end
    blocks = report.blocks_of(doc.source, hunks)
    assert sorted(i for b in blocks for i in b.hunks) == list(range(len(hunks)))
    assert all(a.end <= b.start for a, b in zip(blocks, blocks[1:]))
    return "".join(out) + doc.source[pos:]


def test_hunks_reassemble_the_cleaned_text_of_a_real_book():
    from cleanup.pipeline import clean_file
    import random

    doc = clean_file("seeds/zetkin-my-recollections-of-lenin.txt")
    rnd = random.Random(4)
    ids = [e.id for e in doc.edits]
    for d in (Decisions(), Decisions(reject=set(rnd.sample(ids, len(ids) // 4)),
                                     accept={e.id for e in doc.edits if e.proposed_only})):
        assert reassembled(doc, d) == render(doc.source, doc.edits, d)


from hypothesis import given, settings, strategies as st  # noqa: E402


@st.composite
def logged(draw):
    """A small text and two stages of random proposals, the second often landing
    on the first one's output (so edits absorb earlier ones)."""
    doc = Document(draw(st.text(alphabet="ab -\n", min_size=1, max_size=30)))
    for stage in ("one", "two"):
        n = len(doc.text)
        props = []
        for _ in range(draw(st.integers(0, 4))):
            s = draw(st.integers(0, n))
            t = draw(st.integers(s, min(n, s + 4)))
            props.append(Proposal(s, t, draw(st.text(alphabet="xy \n", max_size=3)), draw(st.sampled_from("pq")),
                                  "r", proposed_only=draw(st.booleans())))
        doc.apply(stage, props)
    ids = [e.id for e in doc.edits]
    d = Decisions(reject=set(draw(st.lists(st.sampled_from(ids)))) if ids else set(),
                  accept=set(draw(st.lists(st.sampled_from(ids)))) if ids else set())
    return doc, d


@settings(max_examples=300, deadline=None)
@given(logged())
def test_hunks_reassemble_the_cleaned_text(case):
    doc, d = case
    assert reassembled(doc, d) == render(doc.source, doc.edits, d)
    assert reassembled(doc, Decisions()) == render(doc.source, doc.edits)
    report.build(doc, d)  # and the page builds


def test_attribute_breakouts_and_javascript_urls_stay_text():
    """A scan that tries to close an attribute, add a handler or a link stays inert text."""
    bad = "\"><img src=x onerror=alert(1)> ' onmouseover='alert(2) javascript:alert(3) <a href=\"javascript:alert(4)\">x</a>"
    src = f"Teh {bad} end.\n"
    _, page = built(src, [at(src, "Teh", "The", "typo", reason=bad)], name=f"{bad}.txt")
    parser = _Tags()
    parser.feed(page)
    assert not [t for t in parser.tags if t[0] in ("img", "iframe", "object", "embed")]
    links = [dict(attrs).get("href", "") for tag, attrs in parser.tags if tag == "a"]
    assert all(h.startswith("#") for h in links)  # only the page's own anchors
    for _, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), name
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert "javascript:" not in (value or "").lower()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_the_kind_shortcuts_agree_with_kind_of():
    """`_kind_in` answers spacing-only and inside-word edits without `kind_of`; on
    random text and edits (exotic spaces, ¶, runs past the widening limit) it must
    give what `kind_of` gives on the edit's whole-word context."""
    rnd = random.Random(7)
    pieces = ["a", "b", " ", "\n", "\n\n", "\t", "\r", "¶", "\xa0", "\u2028"]
    for _ in range(20000):
        src = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        if rnd.random() < 0.1:
            src = "x" + " " * rnd.randint(50, 80) + "\n" * rnd.randint(0, 3) + " " * rnd.randint(50, 80) + "y"
        start = rnd.randint(0, len(src))
        end = rnd.randint(start, min(len(src), start + 4))
        after = "".join(rnd.choice(pieces + [" ", "\n", "c"]) for _ in range(rnd.randint(0, 4)))
        e = Edit("x", "s", "r", start, end, 1, src[start:end], after, 1.0, "r")
        s, t = widened(src, start, end, ws=True)
        s, _ = widened(src, s, s, ws=False)
        _, t = widened(src, t, t, ws=False)
        left, right = src[s:start], src[end:t]
        assert report.edit_kind(src, e) == report.kind_of(left + e.before + right, left + after + right), (src, e)


def widened(src, start, end, ws):
    """`report.edit_span` of a span: grown over whitespace (`ws`) or word characters."""
    return report.edit_span(src, Edit("x", "s", "r", start, end, 1, src[start:end], "", 1.0, "r"),
                            "layout" if ws else "word")


def test_widen_shortcut_agrees_with_the_scan():
    """`edit_span` looks at each neighbour before scanning: it must give what a scan
    alone gives, on random text (exotic spaces, runs past the widening limit)."""
    space, word = re.compile("[ \t\n\r\f\v]*"), re.compile("[^ \t\n\r\f\v]*")

    def scanned(source, start, end, ws):
        ahead = space if ws else word
        behind = source[max(0, start - report.MAX_WIDEN) : start][::-1]
        return start - ahead.match(behind).end(), ahead.match(source, end, end + report.MAX_WIDEN).end()

    rnd = random.Random(11)
    pieces = ["a", "b", " ", "\n", "\t", "\r", "\f", "\v", "\xa0", "\u2028", " " * 70, "w" * 70]
    for _ in range(20000):
        src = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        start = rnd.randint(0, len(src))
        end = rnd.randint(start, len(src))
        for ws in (True, False):
            assert widened(src, start, end, ws) == scanned(src, start, end, ws), (src, start, end, ws)


def test_plain_each_is_plain_of_each():
    """`plain_each` renders a paragraph's stretches in one `plain` call, joined by a
    cut character: on random stretches (spaces, breaks, escapes, the cut character
    itself) it must give `plain` of each."""
    rnd = random.Random(5)
    pieces = ["a", " ", "  ", "\n", "\n\n", " \n \n", "\t", "\r", "&", "<", '"', "'", "\x00", "\xa0", "¶"]
    for _ in range(5000):
        texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(1, 5))]
        assert report.plain_each(texts) == [report.plain(t) for t in texts], texts


def test_the_scans_page_number_is_beside_a_change():
    src = "One line.\n\n12\n\nTwo lines.\n\nThree teh lines.\n"
    doc, page = built(src, [at(src, "12\n\n", "", "page-number"), at(src, "teh", "the", "typo")])
    labels = re.findall(r'<a class="where" href="#b\d+">([^<]*)</a>', page)
    assert labels[0] == "line 1" and labels[-1] == "line 7 · after p. 12 of the scan"


@needs_chromium
def test_an_accepted_proposal_a_later_change_runs_through_says_apply_will_show_it(tmp_path, open_page):
    # a strict profile proposes the running heads; the line joins of the run ran through
    # them: accepted in the page, a head says `cleanup apply` (cleaning again) shows it
    from .ocrlike import paged_book

    scan = tmp_path / "vol.txt"
    scan.write_text(paged_book(lambda p: f"{p} THE DUCHESS OF TRAJETTO." if p % 2 == 0 else f"REST AND PEACE. {p}"),
                    encoding="utf-8")
    prof = tmp_path / "p.toml"
    prof.write_text("[rules]\nnumbered-running-head.auto_apply = 1.01\n", encoding="utf-8")
    cli("run", scan, "-o", tmp_path / "out", "--profile", prof)
    opener, seen = open_page
    page = opener(tmp_path / "out" / "vol.report.html")
    states = page.evaluate("""() => {
        const heads = E.filter(e => e.rule === "numbered-running-head");
        heads.forEach(e => decide(e, "accept"));
        return heads.map(stateOf); }""")
    assert states and all("cleanup apply" in s for s in states), states
    assert not seen["errors"]
