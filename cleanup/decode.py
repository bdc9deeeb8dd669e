"""Bytes to text, losslessly: the encoding is detected and remembered so that a
document with every change rejected can be written back byte for byte."""
from __future__ import annotations

import codecs
from pathlib import Path

from .errors import UserError
from .files import read_bytes, shown

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


# every byte but the control bytes text never has (tab, LF, FF, CR and NUL aside)
_NOT_BINARY_SIGNS = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 0))


def looks_binary(data: bytes) -> bool:
    """Control bytes that text never has (NUL aside from UTF-16, which is handled first)."""
    sample = data[:65536]
    if not sample:
        return False
    bad = len(sample.translate(None, _NOT_BINARY_SIGNS))  # counted in C, not a loop per byte
    return bad / len(sample) > 0.02 or sample.count(0) / len(sample) > 0.10


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte of ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """(text, encoding). The BOM, if any, stays in the text as U+FEFF: removing it
    is a logged edit like any other, so the round trip stays exact."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            base = enc.replace("-le", "").replace("-be", "") if enc.startswith("utf-8") else enc
            try:
                return data.decode(base), enc + "-sig" if enc == "utf-8" else enc
            except UnicodeDecodeError as e:
                raise UserError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc} ({e.reason} at byte {e.start})")
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise UserError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _guess_legacy(data)
    return data.decode(enc), enc


def _guess_legacy(data: bytes) -> str:
    """A single-byte encoding. charset-normalizer's best guess among the ones
    scans come in; cp1252 unless it cannot decode (its five unused bytes)."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "mac_roman"]).best()
        if best is not None:
            enc = codecs.lookup(best.encoding).name
            data.decode(enc)
            return enc
    except (ImportError, UnicodeDecodeError, LookupError):
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def encode(text: str, encoding: str) -> bytes:
    """The inverse of `decode` for the same encoding name."""
    if encoding == "utf-8-sig":
        return text.encode("utf-8")  # the BOM is in the text as U+FEFF
    return text.encode(encoding)


def read_decoded(path) -> str:
    """A text file the user named, in any encoding `decode` reads (UTF-8 with or
    without BOM, UTF-16, cp1252, Latin-1, ...), its byte-order mark dropped."""
    p = Path(path)
    return decode(read_bytes(p), shown(str(p)))[0].removeprefix("\ufeff")
