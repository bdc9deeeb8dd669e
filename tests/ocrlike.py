"""A Hypothesis strategy for OCR-like pages: clean sentences of common words,
set in lines to a page measure, then damaged the ways scans are: words broken at
line ends (with and without hyphens), page breaks inside paragraphs, stray
marks, page numbers, trailing spaces."""
from hypothesis import strategies as st

WORDS = ("the of and to in that was he it his with as for on but at by had not this "
         "which from all were they we she her one their been have there would when "
         "people party comrade revolution masses work great question women country "
         "international movement congress leader struggle working class history world").split()


@st.composite
def sentences(draw, min_words=4, max_words=14):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=max_words))
    return words[0].capitalize() + " " + " ".join(words[1:]) + draw(st.sampled_from([".", ".", "?", "!"]))


@st.composite
def clean_pages(draw):
    """A text in the cleaned layout: one paragraph per line, blank line between."""
    paras = draw(st.lists(st.lists(sentences(), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=6))
    return "\n\n".join(paras) + "\n"


@st.composite
def ocr_pages(draw, measure=55):
    """A clean page set in lines and damaged; returns the raw page."""
    paras = draw(st.lists(st.lists(sentences(), min_size=2, max_size=6).map(" ".join), min_size=1, max_size=5))
    out_lines: list[str] = []
    for para in paras:
        line = ""
        for word in para.split():
            if len(line) + 1 + len(word) > measure:
                if len(word) > 5 and draw(st.booleans()):  # break the word at the line end
                    cut = draw(st.integers(2, len(word) - 2))
                    hyphen = draw(st.sampled_from(["", "-"]))
                    out_lines.append(line + " " + word[:cut] + hyphen)
                    line = word[cut:]
                    continue
                out_lines.append(line + draw(st.sampled_from(["", " "])))
                line = word
            else:
                line = f"{line} {word}" if line else word
        out_lines.append(line)
        if draw(st.integers(0, 4)) == 0:  # a page break mid-paragraph, with its number
            k = draw(st.integers(1, max(1, len(out_lines) - 1)))
            out_lines[k:k] = ["", str(draw(st.integers(2, 300))), ""]
        out_lines.append("")
    if draw(st.booleans()):
        out_lines[0] = draw(st.sampled_from(["?■ ", "/ ", "t. "])) + out_lines[0]
    return "\n".join(out_lines)


def assert_only_salad_lookalikes(text: str, changes) -> None:
    """Sentences drawn from common words are word salad (`they he as`), where the
    look-alike rule (`could riot behave`) may read `be` by design: the one change
    allowed in generated clean text, and only where neither pair the word makes with
    its neighbours is known to English or to the text. `text` is the text the word
    stage saw; `changes` have `start`, `rule` and `reason` in its coordinates."""
    if not changes:
        return
    from cleanup import profile as profiles
    from cleanup.pipeline import Context
    from cleanup.stages.words import learned_stats
    from cleanup.words import realword
    from cleanup.words.reading import Reading

    st = learned_stats(text, Context(profile=profiles.load()))
    as_read = Reading(st.ws, st.linked)
    for c in changes:
        i = next(k for k, w in enumerate(st.ws) if w.start <= c.start < w.end)
        prev, nxt = as_read.neighbours(i)
        assert c.rule == "real-word-glyph" and "look-alike" in c.reason, c
        assert realword.pairs_say(st, st.ws[i].lower, None, prev, nxt), c


# Books of pages for the layout tests: prose in lines to a measure, each page opening
# with a head of the test's choosing.
PROSE = ("the river rose in the night and the farmers drove their cattle to higher ground while "
          "the women packed the bread and the children carried lanterns along the dyke until morning "
          "came grey over the flooded fields and the church bell rang for the living and the drowned "
          "alike so that nobody in the valley slept before the water turned and the wind fell").split()


def page_lines(n: int, lines: int = 14, width: int = 52) -> list[str]:
    """`lines` lines of prose for page n, wrapped at `width`, mid-sentence at both ends."""
    words = PROSE[n % 7:] + PROSE[: n % 7]
    out, line, k = [], "", 0
    while len(out) < lines:
        w = words[k % len(words)]
        k += 1
        if len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return out


def paged_book(head, first: int = 41, pages: int = 8) -> str:
    """Pages joined by a blank line, each opening with head(page number) (None: no head)."""
    out = []
    for p in range(first, first + pages):
        h = head(p)
        out.append("\n".join(([h] if h is not None else []) + page_lines(p)))
    return "\n\n".join(out) + "\n"
