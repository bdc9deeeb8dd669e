"""The review loop: `cleanup review` asks about one change at a time in the
terminal (like `git add -p`), `cleanup apply` re-renders the outputs under a
decisions file.

Both take the source scan, the same file `cleanup run` read. When the scan and
the profile are the ones BOOK.run.json records, the change log is the product:
the outputs are rendered from BOOK.changes.jsonl without cleaning again. When
either changed, the pipeline runs again (and says so): change ids are stable
(position and content), so the decisions meet the same changes again, and a
re-run with better rules is the same loop.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from . import decisions as decisions_io
from . import profile as profiles
from . import record as records
from .decode import decode
from .document import REVIEWER, Decisions, Document, Edit, in_effect, render
from .errors import UserError
from .files import output_dir, output_stem, read_bytes
from .outputs import check_not_output, read_changes, write_all
from .pipeline import clean
from .report import edit_kind, edit_span, is_ws, shown, tokens, word_diff

_CONTEXT_WORDS = 8



class Book:
    """A scan and its outputs, ready for decisions: the document (read back from
    the change log, or cleaned again), the record of what made it, and a note
    saying which of the two happened."""

    def __init__(self, path: Path, out_dir: Path, profile_path: Path | None = None):
        self.path, self.out_dir = Path(path), Path(out_dir)
        text, encoding = decode(read_bytes(self.path), self.path.name)
        self.stem = output_stem(self.path.name)
        rec = records.read(out_dir, self.stem)
        if profile_path is None and rec is not None:
            profile_path = Path(rec["profile"]) if rec.get("profile") else None
            profile = profiles.load(profile_path)
            if records.profile_hash(profile) != rec["profile_sha256"]:
                now = f"{profile_path or 'the default profile'} (sha256 {records.profile_hash(profile)[:12]})"
                raise UserError(f"{self.path}: its outputs were made with {records.describe(rec)}, but that "
                                f"is now {now}; give --profile to clean it again with a profile of your choice")
        else:
            profile = profiles.load(profile_path)
        self.profile, self.profile_path = profile, profile_path
        self.record = records.made_with(self.path, text, profile, profile_path)
        same_profile = rec is not None and rec["profile_sha256"] == self.record["profile_sha256"]
        same_source = rec is not None and rec.get("source_sha256") == self.record["source_sha256"]
        log = self.out_dir / f"{self.stem}.changes.jsonl"
        unknown = self.out_dir / f"{self.stem}.unknown.tsv"
        self.unknown_tsv = None
        if same_profile and same_source and log.exists() and unknown.exists():
            self.doc = Document(text, name=self.path.name, encoding=encoding)
            for e in read_changes(log):
                if e.rule != REVIEWER:  # hand corrections come from the decisions file alone
                    self.doc.add_edit(e)
            self.unknown_tsv = unknown.read_text(encoding="utf-8")
            self.note = f"rendered from {log.name} (scan and profile unchanged since the run)"
        else:
            self.doc = clean(text, profile, name=self.path.name)
            self.doc.encoding = encoding
            if rec is None:
                self.note = f"cleaned again with {profile_path or 'the default profile'} (no run record beside the outputs)"
            elif not same_profile:
                self.note = (f"cleaned again with {records.describe(self.record)}: the outputs were made "
                             f"with {records.describe(rec)}")
            elif not same_source:
                self.note = "cleaned again: the scan changed since the run"
            else:
                self.note = "cleaned again: the change log or unknown-words list is missing"

    def write(self, decisions: Decisions | None) -> dict[str, Path]:
        return write_all(self.doc, self.out_dir, decisions, record=self.record, unknown_tsv=self.unknown_tsv)


def reviewed_pair(cleaned: Path) -> tuple[str, str]:
    """(scan, reviewed text) of a reviewed book, from the outputs beside `cleaned`
    (BOOK.txt): the scan the run record names, the change log, and the review's
    decisions and hand corrections. The reviewed text is rendered from them, so it
    is what the reviewer decided even if `apply` was not run after the review."""
    cleaned = Path(cleaned)
    out, stem = cleaned.parent, cleaned.name.removesuffix(".txt")
    rec = records.read(out, stem)
    if rec is None or not rec.get("source"):
        raise UserError(f"{cleaned}: no run record ({stem}.run.json) beside it; clean the scan with "
                        "`cleanup run` and review it first")
    scan = Path(rec["source"])
    text, _ = decode(read_bytes(scan, "scan named by the run record"), scan.name)
    if records.sha256_text(text) != rec.get("source_sha256"):
        raise UserError(f"{cleaned}: the scan {scan} changed since it was cleaned; run `cleanup run` again")
    doc = Document(text, name=scan.name)
    for e in read_changes(out / f"{stem}.changes.jsonl"):
        if e.rule != REVIEWER:
            doc.add_edit(e)
    d = decisions_io.beside(out, scan.name) or Decisions()
    decisions_io.bind(d, doc)
    return text, render(text, doc.edits, d)


def apply_decisions(book: Path, decisions: Decisions, out_dir: Path, profile_path: Path | None = None) -> Book:
    """Re-render BOOK's outputs under `decisions` (the Python API of `cleanup apply`)."""
    check_not_output(book, out_dir)
    b = Book(book, out_dir, profile_path)
    b.write(decisions)
    return b


# -- cleanup apply ---------------------------------------------------------------------
def _previous_ids(path: Path) -> set[str] | None:
    """Ids of the change log a previous run left, or None if there is none readable."""
    try:
        return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").split("\n") if line.strip()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


@click.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="The decisions file (JSON): change ids to reject, proposals to accept, rules and "
                   "corrections to reject, hand corrections. Default: OUT/BOOK.decisions.json.")
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs, as for `cleanup run`.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="Clean again with this profile (default: the one BOOK.run.json records).")
def apply(books, decisions_path, out_dir, profile_path):
    """Re-render the outputs of each BOOK (the source scan) honouring a decisions file.

    When the scan and profile are those of the run, the outputs are rendered
    from the change log; otherwise the pipeline runs again, and says so."""
    fixed = decisions_io.load(decisions_path) if decisions_path else None
    for book in books:
        path = decisions_path or Path(out_dir) / f"{output_stem(Path(book).name)}.decisions.json"
        d = fixed if fixed is not None else decisions_io.load(path)
        before = _previous_ids(Path(out_dir) / f"{output_stem(Path(book).name)}.changes.jsonl")
        b = apply_decisions(book, d, out_dir, profile_path)
        doc = b.doc
        click.echo(f"{book}: {b.note}", err=True)
        click.echo(f"{book}: {decisions_io.describe_matches(d, doc)}", err=True)
        if before is not None:
            new = sum(e.id not in before for e in doc.edits)
            if new:
                click.echo(f"{book}: {new} changes are new since the last run (not reviewed yet)", err=True)


# -- cleanup review --------------------------------------------------------------------
def _settled(e: Edit, doc: Document, d: Decisions, alive: dict[str, bool]) -> bool:
    """Off whatever the answer: it builds on a change that is not in effect."""
    return any(not alive.get(c, False) for c in e.replaces)


def to_review(doc: Document, d: Decisions, everything: bool = False, layout: bool = False,
              rule: str | None = None, stage: str | None = None, proposals: bool = False) -> list[Edit]:
    """The changes to ask about, in reading order: word and paragraph changes
    (spacing-only ones too if `layout`), undecided ones unless `everything`, of
    one rule or stage, or proposals only, as the page's filters."""
    order = {e.id: i for i, e in enumerate(doc.edits)}
    out = [e for e in doc.edits
           if (layout or edit_kind(doc.source, e) != "layout") and (everything or not d.decided(e))
           and (rule is None or e.rule == rule) and (stage is None or e.stage == stage)
           and (not proposals or e.proposed_only) and e.rule != REVIEWER]
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


def _header(e: Edit, k: int, n: int, undecided: int, d: Decisions) -> str:
    prop = " · PROPOSAL (below the threshold: applied only if accepted)" if e.proposed_only else ""
    return (f"[{k}/{n}, {undecided} undecided] line {e.line} · {e.rule} ({e.stage}) · confidence {e.confidence:g} · "
            f"id {e.id}{prop}{_state(e, d)}\n  why: {e.reason}")


def _state(e: Edit, d: Decisions) -> str:
    """What is decided about `e` already, for a change asked about again."""
    if e.id in d.reject:
        return " · decided: rejected"
    if e.id in d.accept:
        return " · decided: accepted"
    if d.rejected(e):
        return " · decided: rejected with its " + ("correction" if d.keys.get(e.id) in d.reject_corrections else "rule")
    if d.accepted(e):
        return " · decided: accepted with its correction"
    return ""


_HELP = """\
a - accept this change (keep it; a proposal is applied only if accepted)
r - reject this change
R - reject every change of this rule (counted, then confirmed; on a rejected rule: take it back)
c - reject this correction everywhere (every `land → and`; counted, then confirmed; again: take it back)
C - accept this correction everywhere (counted, then confirmed; again: take it back)
e - edit: type the text this stretch should read (a hand correction)
u - undo the last answer (a bulk one too)
k - back to the previous change; g N - go to change N; /WORD - the next change showing WORD
s - skip: decide later
q - quit; every answer so far is already saved
? - this help"""


def _ask(prompt: str) -> str:
    """One answer; end of input counts as quit."""
    while True:
        try:
            answer = click.prompt(prompt, default="", show_default=False, prompt_suffix=" ").strip()
        except (click.Abort, EOFError):
            click.echo()
            return "q"
        if answer in ("a", "r", "R", "c", "C", "e", "u", "k", "s", "q") or answer.startswith(("g ", "/")):
            return answer
        click.echo(_HELP)


def _confirm(question: str) -> bool:
    try:
        return click.confirm(question, default=False)
    except (click.Abort, EOFError):
        return False


def _copy(d: Decisions) -> Decisions:
    return Decisions(set(d.reject), set(d.accept), set(d.reject_rules), set(d.accept_corrections),
                     set(d.reject_corrections), [dict(v) for v in d.edit], d.keys)


def _hand(doc: Document, e: Edit, text: str) -> dict:
    """A hand correction over the words the change touches, as the scan has them."""
    s, t = edit_span(doc.source, e, "word")
    return {"start": s, "end": t, "before": doc.source[s:t], "text": text}


@click.command()
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              help="The decisions file to read and extend (default: OUT/BOOK.decisions.json).")
@click.option("-o", "--out", "out_dir", default="cleaned", show_default=True, type=click.Path(path_type=Path),
              help="The output folder of `cleanup run`, where the decisions file goes by default.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="Clean again with this profile (default: the one BOOK.run.json records).")
@click.option("--all", "everything", is_flag=True, help="Ask again about changes that already have a decision.")
@click.option("--layout", is_flag=True, help="Ask about spacing-only changes (line joins) too.")
@click.option("--rule", help="Only the changes of this rule.")
@click.option("--stage", help="Only the changes of this stage.")
@click.option("--proposals", is_flag=True, help="Only proposals (changes below the confidence threshold).")
def review(book, decisions_path, out_dir, profile_path, everything, layout, rule, stage, proposals):
    """Review the changes to BOOK (the source scan) one at a time in the terminal.

    For each change: a accept, r reject, R reject its whole rule, c/C reject or
    accept its correction everywhere, e type a correction, u undo, k back, g N go
    to, /WORD search, s skip, q quit. Every answer is written to the decisions
    file at once, so quitting loses nothing; `cleanup apply` then re-renders the outputs."""
    check_not_output(book, out_dir)
    b = Book(book, out_dir, profile_path)
    doc = b.doc
    path = decisions_path or Path(out_dir) / f"{b.stem}.decisions.json"
    d = decisions_io.load_or_empty(path)
    if decisions_path is None:
        output_dir(out_dir)  # the default file lives there
    from .report import corrections

    keys = corrections(doc)
    d.keys = keys
    todo = to_review(doc, d, everything, layout, rule, stage, proposals)
    click.echo(f"{book}: {len(todo)} changes to review ({b.note}); decisions go to {path}")
    answered: Counter = Counter()
    history: list[tuple[Decisions, int, str]] = []  # for u: the decisions before each answer
    k, shown_anyway = 0, None  # shown_anyway: the change k, g or / went to, decided or not
    while 0 <= k < len(todo):
        e = todo[k]
        alive = in_effect(doc.edits, d)
        if k != shown_anyway and not everything and (d.decided(e) or _settled(e, doc, d, alive)):
            k += 1
            continue  # settled by a rule or correction decided, or a change it builds on
        undecided = sum(not d.decided(x) for x in todo)
        click.echo()
        click.echo(_header(e, k + 1, len(todo), undecided, d))
        click.echo("  " + show_change(doc, e))
        what = "Apply this proposal" if e.proposed_only else "Keep this change"
        answer = _ask(f"{what} [a,r,R,c,C,e,u,k,s,q,?]?")
        if answer == "q":
            break
        if answer == "s":
            answered["s"] += 1
            k += 1
            continue
        if answer == "k":
            k = shown_anyway = max(0, k - 1)
            continue
        if answer.startswith("g "):
            try:
                k = shown_anyway = min(len(todo) - 1, max(0, int(answer[2:]) - 1))
            except ValueError:
                click.echo("g takes a change number, e.g. g 12")
            continue
        if answer.startswith("/"):
            word = answer[1:]
            hits = [j for j in range(k + 1, len(todo)) if word in show_change(doc, todo[j])]
            if hits:
                k = shown_anyway = hits[0]
            else:
                click.echo(f"no later change shows {word!r}")
            continue
        if answer == "u":
            if not history:
                click.echo("nothing to undo")
                continue
            d, k, last = history.pop()
            shown_anyway = k
            answered[last] -= 1
            decisions_io.save(path, d, doc.name)
            click.echo(f"undone: {last}")
            continue
        before = _copy(d)
        if answer in ("R", "c", "C"):
            # Asked again where it is already decided so (a review --all of an earlier
            # session), the same key takes the bulk decision back.
            if answer == "R":
                hit = [x for x in doc.edits if x.rule == e.rule]
                back = e.rule in d.reject_rules
                question = (f"Take back the rejection of rule {e.rule} ({len(hit)} changes)?" if back
                            else f"Reject all {len(hit)} changes of rule {e.rule}?")
            else:
                key = keys.get(e.id)
                if key is None:
                    click.echo("a spacing change has no correction to decide everywhere")
                    continue
                hit = [x for x in doc.edits if keys.get(x.id) == key]
                mine, other = ((d.reject_corrections, d.accept_corrections) if answer == "c"
                               else (d.accept_corrections, d.reject_corrections))
                back = key in mine
                verb = "reject" if answer == "c" else "accept"
                question = (f"Take back the decision to {verb} all {len(hit)} changes {key[0]} → {key[1]}?" if back
                            else f"{verb.capitalize()} all {len(hit)} changes {key[0]} → {key[1]}?")
            if not _confirm(question):
                continue
            if answer == "R":
                (d.reject_rules.discard if back else d.reject_rules.add)(e.rule)
            elif back:
                mine.discard(key)
            else:
                mine.add(key)
                other.discard(key)
            d.reject.discard(e.id)
            d.accept.discard(e.id)
        elif answer == "e":
            span = _hand(doc, e, "")
            s, t = span["start"], span["end"]
            proposed = doc.source[s : e.start] + e.after + doc.source[e.end : t]
            try:
                text = click.prompt(f"  the scan reads {span['before']!r}; it should read",
                                    default=proposed, show_default=True)
            except (click.Abort, EOFError):
                break
            span["text"] = text
            d.edit = [v for v in d.edit if not (v["start"] < span["end"] and span["start"] < v["end"])] + [span]
            d.reject.discard(e.id)
        else:
            d.reject.discard(e.id)
            d.accept.discard(e.id)
            (d.accept if answer == "a" else d.reject).add(e.id)
        history.append((before, k, answer))
        answered[answer] += 1
        decisions_io.save(path, d, doc.name)
        k += 1
    click.echo(f"{answered['a']} accepted, {answered['r']} rejected, {answered['R']} rules rejected, "
               f"{answered['c'] + answered['C']} corrections decided, {answered['e']} typed, "
               f"{answered['s']} skipped; decisions are in {path}")
    click.echo(f"To write the outputs with them: cleanup apply {book} --decisions {path} -o {out_dir}")

