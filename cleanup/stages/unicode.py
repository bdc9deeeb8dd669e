"""Unicode repair: a byte-order mark, mojibake (`â€™` for `’`), ligatures and
full-width letters, via ftfy configured to keep curly quotes and dashes."""
from __future__ import annotations

import re

import ftfy

from . import minimal

# Characters ftfy leaves alone with these settings: printable ASCII, tab, line
# ends, and the typography of English prose. A line of nothing else skips ftfy
# (most non-ASCII lines of a book hold only curly quotes and dashes). Why it is
# safe: no NFC, ligature or width change applies; no ASCII control character (ESC
# starts a terminal escape, SUB marks a lost byte); and in every 8-bit encoding
# ftfy tries, these quotes and dashes are all UTF-8 continuation bytes (the
# Windows pages) or all lead bytes (Mac Roman), never both, so no stretch of them
# re-decodes as UTF-8 mojibake. tests/test_properties.py holds it against ftfy.
FTFY_MAY_CHANGE = re.compile("[^\t\n\r -~‘’“”–—…]")
# An HTML entity (`&quot;`, `&#8217;`): some OCR exports escape the text they give.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def ftfy_config(cfg: dict) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        uncurl_quotes=cfg["uncurl_quotes"],
        fix_latin_ligatures=cfg["fix_latin_ligatures"],
        fix_character_width=cfg["fix_character_width"],
        normalization=cfg["normalization"],
        fix_line_breaks=False,  # the line-ends stage owns line breaks
        remove_control_chars=False,  # and control characters
        # no printed page shows `&quot;`: an OCR export that escaped its text did
        unescape_html=cfg["unescape_html"],
        explain=True,
    )


_MOJIBAKE_FIXERS = ("decode_inconsistent_utf8", "restore_byte_a0", "replace_lossy_sequences", "fix_c1_controls")


# ftfy's fixers by the rule a change they make is logged under (any re-decoding is
# `mojibake`; a fixer not named here: `unicode-other`)
_FIXER_RULES = {"fix_latin_ligatures": "ligature", "fix_character_width": "full-width", "unescape_html": "html-entity",
                **{f: "mojibake" for f in _MOJIBAKE_FIXERS}}
_DECODING = ("encode", "decode", "transcode")


def _rule(steps) -> str:
    """The line's repair, when one kind of fixer made it all."""
    if any(kind in _DECODING for kind, _ in (steps or [])):
        return "mojibake"
    rules = {"unicode-normalization" if kind == "normalize" else _FIXER_RULES.get(name, "unicode-other")
             for kind, name in (steps or []) if kind in ("apply", "normalize")}
    return rules.pop() if len(rules) == 1 else "mojibake" if "mojibake" in rules else "unicode-other"


def _piece_rule(before: str, after: str, line_rule: str, config) -> str:
    """A piece of a line several fixers changed, by the fixer that alone makes it
    (a ligature beside mojibake is still a ligature)."""
    if before and config.fix_latin_ligatures and ftfy.fixes.fix_latin_ligatures(before) == after:
        return "ligature"
    if before and config.fix_character_width and ftfy.fixes.fix_character_width(before) == after:
        return "full-width"
    return line_rule


def propose(text: str, cfg: dict, ctx) -> list:
    out = []
    if text.startswith("\ufeff"):
        out += minimal(0, "\ufeff", "", "byte-order-mark", "a byte-order mark is not text")
    config = ftfy_config(cfg)
    # (a profile that straightens quotes or asks NFKC, which turns `…` into `...`,
    # has ftfy see every line that is not plain ASCII)
    typography_kept = not config.uncurl_quotes and config.normalization in ("NFC", None)
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        if (line.isascii() or (typography_kept and not FTFY_MAY_CHANGE.search(line))) and not (
                config.unescape_html and "&" in line and _ENTITY.search(line)):
            continue  # ftfy is not asked (about plain ASCII it never was)
        body = line[1:] if start == 0 and line.startswith("\ufeff") else line
        offset = start + (len(line) - len(body))
        fixed, steps = ftfy.fix_and_explain(body, config=config)
        if fixed != body:
            rule = _rule(steps)
            how = "; ".join(f"{k} {n}" for k, n in steps) if steps else "ftfy"
            pieces = minimal(offset, body, fixed, rule, f"ftfy: {how}")
            if len(pieces) > 1:
                pieces = [p._replace(rule=_piece_rule(text[p.start:p.end], p.after, rule, config)) for p in pieces]
            out += pieces
    return out
