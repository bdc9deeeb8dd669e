"""The proofreader's list (`BOOK.unknown.tsv`): the words of the cleaned text no
lexicon knows, with the word stage's suggestions for each."""
from __future__ import annotations

import re
from collections import Counter

# a whitespace- or dash-separated piece whose core (between its marks) is all letters,
# or letters with digits inside (`tact1essness`: a misreading no repair explained)
_ALPHA_PIECE = re.compile(r"(?:(?<=[\s—–])|^)[^\w\s—–]*([^\W\d_]+(?:\d+[^\W\d_]+)*)[^\w\s—–]*(?=[\s—–]|$)", re.M)


def unknown_words_tsv(doc, ctx=None) -> str:
    """Every word of the cleaned text that no lexicon knows: count, first source
    line, and the best suggestions. Tab-separated, most frequent first. Reuses
    the run's learned state (`ctx`, the pipeline's context) when there is one."""
    ctx = ctx if ctx is not None else getattr(doc, "context", None)
    st = ctx.cache.get("words") if ctx is not None else None
    text = doc.text
    if st is None:
        from ..pipeline import Context
        from .. import profile as profiles
        from ..stages.words import learned_stats  # (here: the stage imports this module)

        ctx = ctx or Context(profile=profiles.load())
        st = learned_stats(text, ctx)
    first: dict[str, int] = {}
    counts: Counter = Counter()
    listed: dict[str, bool] = {}  # per form, judged once
    for m in _ALPHA_PIECE.finditer(text):  # a regex, not the tokenizer: only letter cores count
        core = m.group(1)
        ok = listed.get(core)
        if ok is None:
            ok = listed[core] = not (len(core) <= 2 or st.lex.known(core.lower()) or st.lex.in_user(core))
        if not ok:
            continue
        counts[core] += 1
        if core not in first:
            first[core] = m.start(1)
    lines = _source_lines(doc, sorted(set(first.values())))
    first = {k: lines.get(v, 0) for k, v in first.items()}
    rows = ["word\tcount\tfirst_line\tsuggestions"]
    for core, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower())):
        # the repair's own candidates where it searched; a cheap search for the rest
        # (names and protected words, which it never searched)
        cands = st.gen.searched(core) or st.gen.candidates(core, depth=1, dear=False)
        others = [k for k in cands.values() if k.word.lower() != core.lower()]
        ranked = sorted(others, key=lambda k: st.zipf(k.word) - k.cost, reverse=True)[:3]
        rows.append(f"{core}\t{n}\t{first[core]}\t{', '.join(k.word for k in ranked)}")
    return "\n".join(rows) + "\n"


def _source_lines(doc, positions: list[int]) -> dict[int, int]:
    """Source line of each current-text offset in sorted `positions`."""
    return {p: doc.line_of(src) for p, src in zip(positions, doc.source_offsets(positions))}
