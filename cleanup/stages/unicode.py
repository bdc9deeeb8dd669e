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
_FTFY_MAY_CHANGE = re.compile("[^\t\n\r -~‘’“”–—…]")
# An HTML entity (`&quot;`, `&#8217;`): some OCR exports escape the text they give.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _config(cfg: dict) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        uncurl_quotes=cfg.get("uncurl_quotes", False),
        fix_latin_ligatures=cfg.get("fix_latin_ligatures", True),
        fix_character_width=cfg.get("fix_character_width", True),
        normalization=cfg.get("normalization", "NFC"),
        fix_line_breaks=False,  # the line-ends stage owns line breaks
        remove_control_chars=False,  # and control characters
        # no printed page shows `&quot;`: an OCR export that escaped its text did
        unescape_html=cfg.get("unescape_html", True),
        explain=True,
    )


_MOJIBAKE_FIXERS = ("decode_inconsistent_utf8", "restore_byte_a0", "replace_lossy_sequences", "fix_c1_controls")


def _rule(steps) -> str:
    """One rule name per kind of repair: any re-decoding is `mojibake`."""
    names = [name for kind, name in (steps or []) if kind == "apply"]
    if any(kind in ("encode", "decode", "transcode") for kind, _ in (steps or [])) or any(
            n in _MOJIBAKE_FIXERS for n in names):
        return "mojibake"
    return names[0].replace("_", "-") if names else "unicode"


def propose(text: str, cfg: dict, ctx) -> list:
    out = []
    if text.startswith("\ufeff"):
        out += minimal(0, "\ufeff", "", "byte-order-mark", "a byte-order mark is not text")
    config = _config(cfg)
    # (a profile that straightens quotes or asks NFKC, which turns `…` into `...`,
    # has ftfy see every line that is not plain ASCII)
    typography_kept = not config.uncurl_quotes and config.normalization in ("NFC", None)
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        if (line.isascii() or (typography_kept and not _FTFY_MAY_CHANGE.search(line))) and not (
                config.unescape_html and "&" in line and _ENTITY.search(line)):
            continue  # ftfy is not asked (about plain ASCII it never was)
        body = line[1:] if start == 0 and line.startswith("\ufeff") else line
        offset = start + (len(line) - len(body))
        fixed, steps = ftfy.fix_and_explain(body, config=config)
        if fixed != body:
            rule = _rule(steps)
            how = "; ".join(f"{k} {n}" for k, n in steps) if steps else "ftfy"
            out += minimal(offset, body, fixed, rule, f"ftfy: {how}")
    return out
