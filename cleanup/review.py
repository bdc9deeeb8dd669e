"""The review loop: `cleanup review` asks about one change at a time in the
terminal (like `git add -p`), `cleanup apply` re-renders the outputs under a
decisions file.

Both take the source scan, the same file `cleanup run` read, and re-run the
pipeline on it: change ids are stable (position and content), so the decisions
meet the same changes again, and a re-run with better rules is the same loop.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from . import decisions as decisions_io
from . import profile as profiles
from .document import Decisions, Document, Edit
from .files import output_dir, output_stem
from .outputs import check_not_output, write_all
from .pipeline import clean_file
from .dictionaries import add as add_dictionaries, option as dictionaries_option
from .progress import BookProgress
from .report import edit_kind, edit_span, is_ws, shown, tokens, word_diff

_CONTEXT_WORDS = 8

_HELP = """\
a - accept this change (keep it; a proposal is applied only if accepted)
r - reject this change
R - reject every change of this rule
s - skip: decide later
q - quit; every answer so far is already saved
? - this help"""


def _document(book: Path, profile_path: Path | None, dictionaries=()) -> Document:
    """The book cleaned again, with a progress bar if that takes more than ~2 s."""
    profile = add_dictionaries(profiles.load(profile_path), dictionaries)
    with BookProgress(book.name, profile["pipeline"]["stages"]) as bar:
        return clean_file(book, profile, on_stage=bar.step)


# -- cleanup apply ---------------------------------------------------------------------
def _previous_ids(path: Path) -> set[str] | None:
    """Ids of the change log a previous run left, or None if there is none readable."""
    try:
        return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


@click.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--decisions", "decisions_path", required=True, type=click.Path(path_type=Path),
              help="The decisions file (JSON): change ids to reject, proposals to accept, rules to reject.")
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs, as for `cleanup run`.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="The profile the book was cleaned with, if not the default.")
@dictionaries_option
def apply(books, decisions_path, out_dir, profile_path, dictionaries):
    """Re-render the outputs of each BOOK (the source scan) honouring a decisions file.

    The pipeline runs again on BOOK and every output is rewritten with the
    decisions applied; rejecting every change gives back the source text."""
    d = decisions_io.load(decisions_path)
    for book in books:
        check_not_output(book, out_dir)
        doc = _document(book, profile_path, dictionaries)
        before = _previous_ids(Path(out_dir) / f"{output_stem(doc.name)}.changes.jsonl")
        write_all(doc, out_dir, d)
        click.echo(f"{book}: {decisions_io.describe_matches(d, doc)}", err=True)
        if before is not None:
            new = sum(e.id not in before for e in doc.edits)
            if new:
                click.echo(f"{book}: {new} changes are new since the last run (not reviewed yet)", err=True)


# -- cleanup review --------------------------------------------------------------------
def _dead(e: Edit, doc: Document, d: Decisions) -> bool:
    """Off whatever the answer: it builds on a change that is rejected."""
    return any(c in d.reject or doc.edit(c).rule in d.reject_rules or _dead(doc.edit(c), doc, d)
               for c in e.replaces)


def to_review(doc: Document, d: Decisions, everything: bool = False, layout: bool = False) -> list[Edit]:
    """The changes to ask about, in reading order: word and paragraph changes
    (spacing-only ones too if `layout`), undecided ones unless `everything`."""
    order = {e.id: i for i, e in enumerate(doc.edits)}
    out = [e for e in doc.edits
           if (layout or edit_kind(doc.source, e) != "layout") and (everything or not d.decided(e))]
    return sorted(out, key=lambda e: (e.start, order[e.id]))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def show_change(doc: Document, e: Edit) -> str:
    """A few words before, the change as [-old-]{+new+} at word level, a few after."""
    src = doc.source
    s, t = edit_span(src, e, "word")
    left, right = src[s : e.start], src[e.end : t]
    same1, gone, came, same2 = word_diff(left + e.before + right, left + e.after + right)
    before_words = _words(tokens(src[max(0, s - 400) : s])[::-1])[::-1]
    after_words = _words(tokens(src[t : t + 400]))
    # Colour when it is a terminal; the brackets say the same without colour.
    old = click.style(f"[-{shown(gone)}-]", fg="red") if gone else ""
    new = click.style(f"{{+{shown(came)}+}}", fg="green") if came else ""
    middle = shown(same1) + old + new + shown(same2)
    has_words = lambda toks: any(not is_ws(t) for t in toks)
    lead = "…" + shown(before_words) if has_words(before_words) else ""
    tail = shown(after_words) + "…" if has_words(after_words) else ""
    return (lead + middle + tail).replace("¶", " ¶ ")


def _words(toks: list[str]) -> list[str]:
    """The first few words of `toks` with the whitespace between them (¶ shows a
    paragraph break); leading whitespace kept, trailing dropped."""
    out, n = [], 0
    for tok in toks:
        if not is_ws(tok):
            if n == _CONTEXT_WORDS:
                break
            n += 1
        out.append(tok)
    while out and is_ws(out[-1]) and n:
        out.pop()
    return out


def _header(e: Edit, k: int, n: int) -> str:
    prop = " · PROPOSAL (below the threshold: applied only if accepted)" if e.proposed_only else ""
    return (f"[{k}/{n}] line {e.line} · {e.rule} ({e.stage}) · confidence {e.confidence:g} · "
            f"id {e.id}{prop}\n  why: {e.reason}")


def _ask(prompt: str) -> str:
    """One answer; end of input counts as quit."""
    while True:
        try:
            answer = click.prompt(prompt, default="", show_default=False, prompt_suffix=" ").strip()
        except (click.Abort, EOFError):
            click.echo()
            return "q"
        if answer in ("a", "r", "R", "s", "q"):
            return answer
        click.echo(_HELP)


@click.command()
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="The decisions file to read and extend (default: OUT/BOOK.decisions.json).")
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="The output folder of `cleanup run`, where the decisions file goes by default.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="The profile the book was cleaned with, if not the default.")
@click.option("--all", "everything", is_flag=True, help="Ask again about changes that already have a decision.")
@click.option("--layout", is_flag=True, help="Ask about spacing-only changes (line joins) too.")
@dictionaries_option
def review(book, decisions_path, out_dir, profile_path, everything, layout, dictionaries):
    """Review the changes to BOOK (the source scan) one at a time in the terminal.

    For each change: a accept, r reject, R reject its whole rule, s skip,
    q quit. Every answer is written to the decisions file at once, so quitting
    loses nothing; `cleanup apply` then re-renders the outputs."""
    check_not_output(book, out_dir)
    doc = _document(book, profile_path, dictionaries)
    path = decisions_path or Path(out_dir) / f"{output_stem(doc.name)}.decisions.json"
    d = decisions_io.load_or_empty(path)
    if decisions_path is None:
        output_dir(out_dir)  # the default file lives there
    todo = to_review(doc, d, everything, layout)
    click.echo(f"{book}: {len(todo)} changes to review; decisions go to {path}")
    answered = Counter()
    for k, e in enumerate(todo, 1):
        if e.rule in d.reject_rules or _dead(e, doc, d):
            continue  # settled by a rule rejected, or a change it builds on rejected
        click.echo()
        click.echo(_header(e, k, len(todo)))
        click.echo("  " + show_change(doc, e))
        what = "Apply this proposal" if e.proposed_only else "Keep this change"
        answer = _ask(f"{what} [a,r,R,s,q,?]?")
        if answer == "q":
            break
        answered[answer] += 1
        if answer == "s":
            continue
        d.reject.discard(e.id)
        d.accept.discard(e.id)
        if answer == "a":
            d.accept.add(e.id)
        elif answer == "r":
            d.reject.add(e.id)
        elif answer == "R":
            d.reject_rules.add(e.rule)
        decisions_io.save(path, d, doc.name)
    click.echo(f"{answered['a']} accepted, {answered['r']} rejected, {answered['R']} rules rejected, "
               f"{answered['s']} skipped; decisions are in {path}")
    click.echo(f"To write the outputs with them: cleanup apply {book} --decisions {path} -o {out_dir}")

