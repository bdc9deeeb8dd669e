"""The layout contract of every cleaned text (docs: the output contract): one
paragraph a line, one blank line between paragraphs, one final newline, no
trailing or leading space on a line, no blank line at the start."""


def layout_contract_errors(text: str) -> list[str]:
    """What in `text` breaks the contract (empty when it holds)."""
    if text == "":
        return []
    errors = []
    if not text.endswith("\n") or text.endswith("\n\n"):
        errors.append("the text must end with exactly one newline")
    if "\n\n\n" in text:
        errors.append(f"two blank lines in a row at offset {text.index(chr(10) * 3)}")
    if text.startswith("\n"):
        errors.append("a blank line opens the text")
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    for n, line in enumerate(lines, 1):
        if line != line.strip():
            errors.append(f"line {n} has leading or trailing space: {line[:40]!r}")
    # paragraphs alternate with single blank lines: no two text lines touch
    for n, (a, b) in enumerate(zip(lines, lines[1:]), 1):
        if a and b:
            errors.append(f"lines {n} and {n + 1} are one paragraph split over two lines: {a[-30:]!r} / {b[:30]!r}")
            break
    return errors


def assert_layout_contract(text: str) -> None:
    errors = layout_contract_errors(text)
    assert not errors, errors
