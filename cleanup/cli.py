"""The `cleanup` command line. Each command mirrors a function of the Python API."""
from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from . import __version__
from . import profile as profiles
from . import decisions as decisions_io
from . import dictionaries
from .dictionaries import add as add_dictionaries, of_profile as user_words
from .errors import UserError
from .files import atomic_write, shown
from .outputs import check_run, read_changes, read_text
from .record import scan_beside


# Commands defined in other modules, imported only when asked for: `cleanup run` should
# not pay for loading the batch and review machinery (name -> (module, attribute)).
_LAZY = {"batch": ("batch", "batch_command"), "apply": ("review", "apply"), "review": ("review", "review")}


class _Group(click.Group):
    """Turn a UserError anywhere into one clear line and exit status 1."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_LAZY))

    def get_command(self, ctx, name):
        if name in _LAZY and name not in self.commands:
            from importlib import import_module

            module, attr = _LAZY[name]
            self.add_command(getattr(import_module(f".{module}", __package__), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as e:
            click.echo(f"cleanup: {shown(str(e))}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleanup")
def main():
    """Clean the raw OCR text of scanned books, and show exactly what changed and why.

    Every change is logged with where it happened in the source, what it was,
    what it became, which rule made it and how sure it is."""


@main.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs: BOOK.txt (cleaned text), BOOK.changes.jsonl (the change log), "
                   "BOOK.report.html (the diff report) and BOOK.unknown.tsv (words no lexicon knows, "
                   "with count, first line and suggestions: names to add to a dictionary, damage to fix).")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="A profile TOML overlaid on the default: stages, thresholds, rule tables.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),  # issue 4
              help="A reviewer's decisions file (JSON) to honour: see `cleanup apply`.")
@dictionaries.option
@click.option("--force", is_flag=True, help="Replace outputs in OUT written for another book of the same name.")
def run(books, out_dir, profile_path, decisions_path, dictionaries, force):
    """Clean each BOOK (a text file) and write its outputs to the output folder.

    On stderr: how many user dictionary words were loaded and from where, then per
    book the changes applied and proposed for review, per stage, the time taken and
    how many unknown words BOOK.unknown.tsv lists. A book that cannot be cleaned is
    named and the others are still cleaned; the exit status is then 1. For a folder
    of books, use `cleanup batch`."""
    from .runner import clean_books, failures_line

    profile = add_dictionaries(profiles.load(profile_path), dictionaries)
    decided = decisions_io.load(decisions_path) if decisions_path else None  # issue 4
    check_run(books, out_dir, force)  # every book's outputs, before the first is written
    echo = lambda line: click.echo(shown(line), err=True)  # (a name that is not UTF-8, escaped)
    echo(user_words(profile).describe())
    results = clean_books(books, out_dir, profile, decided, echo,
                          profile_path=profile_path, dictionaries=dictionaries)
    # The process ends here: the GC need not pass over what is left (the lexicon,
    # the last book), first when it resumes and again at exit.
    gc.freeze()
    closing = failures_line(results)
    if closing:
        if len(results) > 1:
            echo(closing)
        sys.exit(1)


@main.command()
@click.argument("cleaned", type=click.Path(path_type=Path))
@click.argument("proofread", type=click.Path(path_type=Path))
@click.option("--raw", "raw_path", type=click.Path(path_type=Path),
              help="The raw scan CLEANED was made from. Default: rebuilt from CLEANED's change log.")
@click.option("--changes", "changes_path", type=click.Path(path_type=Path),
              help="CLEANED's change log (default: CLEANED with .changes.jsonl beside it). "
                   "With it, each rule is judged: how many of its changes were right.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="The decisions CLEANED was rendered with, if any.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="A profile TOML; only its [checks] min_aligned_words is used here.")
def score(cleaned, proofread, raw_path, changes_path, decisions_path, profile_path):
    """Score CLEANED against PROOFREAD text of the same pages.

    Prints character and word error rates before and after cleaning, words fixed
    and broken, paragraph-break precision/recall/F1, and per rule how many of its
    changes left the words they touched right, wrong, or broke words the scan had
    right, each rule's changes counted as applied and proposed. This is how to
    decide whether to trust a profile. Stops if the two texts are not the same
    pages (too few of their words align)."""
    from .scoring import check_same_pages, score as score_texts, source_from_log

    decided = decisions_io.load(decisions_path) if decisions_path else None
    changes_path = changes_path or cleaned.with_name(cleaned.name.removesuffix(".txt") + ".changes.jsonl")
    edits = read_changes(changes_path) if changes_path.exists() else None
    cleaned_text = read_text(cleaned)
    if raw_path is not None:
        raw = read_text(raw_path)
    elif decided is not None and (raw := scan_beside(cleaned)) is not None:
        pass  # decisions read the scan around their changes (issue 14): the scan the run record names
    elif edits is not None:
        raw = source_from_log(cleaned_text, edits, decided)
    else:
        raise UserError(f"{cleaned}: no change log beside it ({changes_path.name}); give the scan with --raw")
    if decided is not None and edits is not None:  # corrections decided, hand corrections: as `apply` saw them
        from .document import Document

        doc = Document(raw)
        for e in edits:
            doc.add_edit(e)
        edits = decisions_io.bind(decided, doc) and doc.edits
    gold = read_text(proofread)
    check_same_pages(cleaned_text, gold, cleaned, proofread, min_aligned(profiles.load(profile_path)))
    result = score_texts(raw, cleaned_text, gold, edits, decided)
    click.echo("\n".join(result.lines()))


def min_aligned(profile: dict) -> float:
    return float(profile.get("checks", {}).get("min_aligned_words", 0.0))


@main.group()
def profile():
    """Profiles: the TOML files that drive the pipeline."""


@profile.command("show")
@click.argument("profile_path", required=False, type=click.Path(path_type=Path))
def profile_show(profile_path):
    """Print the effective profile: the default, overlaid with PROFILE_PATH if given."""
    import tomli_w

    click.echo(tomli_w.dumps(profiles.load(profile_path)), nl=False)


@main.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects instead of text.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="A profile whose thresholds to show (default: the shipped default).")
def rules_command(as_json, profile_path):
    """List every rule a change can carry: its stage, what it does, an example, and
    the confidence at which it is applied (`auto_apply`; below it, only proposed).
    Reject a rule in review by its name; set its threshold with `[rules.NAME] auto_apply`."""
    from .rules import describe, listing

    records = listing(profiles.load(profile_path))
    if as_json:
        import json

        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        click.echo(describe(records))


@main.command()
@click.option("--scan", "scans", multiple=True, type=click.Path(path_type=Path),
              help="A raw scanned page or book (repeat for several).")
@click.option("--proofread", "truths", multiple=True, type=click.Path(path_type=Path),
              help="The proofread text of the matching --scan, in the same order.")
@click.option("--reviewed", "reviewed", multiple=True, type=click.Path(path_type=Path),
              help="A reviewed book's cleaned text (cleaned/BOOK.txt): its scan, change log, decisions "
                   "and hand corrections are learned from as a proofread page (repeat for several).")
@click.option("-o", "--out", "out_path", required=True, type=click.Path(path_type=Path),
              help="The profile TOML to write.")
@click.option("--from", "base_path", type=click.Path(path_type=Path),
              help="A profile to start from (default: the shipped default); the result includes it.")
@click.option("--min-count", default=2, show_default=True,
              help="Keep a confusion or word misreading only if seen at least this often.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists (never an input).")
def learn(scans, truths, reviewed, out_path, base_path, min_count, force):
    """Learn a profile from proofread pages: how this scanner misreads letters and
    words, and the words the proofreader kept that no lexicon has. Clean the rest
    of the book, or the next book from the same scanner, with `--profile OUT`."""
    import tomli_w

    from .decode import read_decoded
    from .learn import check_out_path, check_pairs, count_pages, profile_overlay, summary
    from .lexicon import Lexicon
    from .words.channel import rule_table

    if len(scans) != len(truths):
        raise UserError(f"learn: {len(scans)} --scan files but {len(truths)} --proofread files; give them in pairs")
    if not scans and not reviewed:
        raise UserError("learn: give --scan and --proofread pairs, or --reviewed books")
    check_out_path(out_path, [*scans, *truths, *reviewed, base_path], force)
    base = profiles.load(base_path)
    base_pairs = base.get("words", {}).get("glyph_pairs") or rule_table()["glyph"]["pairs"]
    pairs = [(read_decoded(s), read_decoded(t)) for s, t in zip(scans, truths)]  # any encoding `run` reads
    check_pairs(pairs, list(zip(scans, truths)), min_aligned(base))  # the same pages, each pair
    if reviewed:  # issue 14: a reviewed book is a proofread page
        from .book import reviewed_pair

        pairs += [reviewed_pair(p) for p in reviewed]
        scans = tuple(scans) + tuple(reviewed)
    lexicon = Lexicon.load(base.get("words", {}))
    counts = count_pages(pairs, lexicon.known)
    overlay = profile_overlay(counts, base_pairs, {"min_count": min_count})
    if base_path is not None:
        overlay = profiles.merge(profiles.read_overlay(base_path), overlay)
    header = (f"# Learned by `cleanup learn` from {len(scans)} proofread scan(s): "
              f"{', '.join(p.name for p in scans[:5])}{' …' if len(scans) > 5 else ''}\n"
              f"# {summary(counts, overlay)}.\n"
              "# Use with --profile; it is overlaid on the default profile, whose general rules stay.\n\n")
    atomic_write(out_path, header + tomli_w.dumps(overlay))
    click.echo(f"{out_path}: {summary(counts, overlay)}", err=True)
