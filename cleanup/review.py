"""The review loop: `cleanup review` asks about one change at a time in the
terminal (like `git add -p`), `cleanup apply` re-renders the outputs under a
decisions file. Both take the source scan, the same file `cleanup run` read
(see `cleanup.book`: the change log is read back, or the scan cleaned again).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from . import decisions as decisions_io
from .book import Book, apply_decisions
from .document import REVIEWER, Decisions, Document, Edit, in_effect
from .files import output_dir, output_stem
from .dictionaries import option as dictionaries_option
from .outputs import check_not_output
from .report import edit_kind, edit_span, is_ws, shown, tokens, word_diff

_CONTEXT_WORDS = 8


# -- cleanup apply ---------------------------------------------------------------------
def _previous_ids(path: Path) -> set[str] | None:
    """Ids of the change log a previous run left, or None if there is none readable."""
    try:
        return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").split("\n") if line.strip()}
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # (RecursionError: JSON nested too deep)
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
@dictionaries_option
def apply(books, decisions_path, out_dir, profile_path, dictionaries):
    """Re-render the outputs of each BOOK (the source scan) honouring a decisions file.

    When the scan and profile are those of the run, the outputs are rendered
    from the change log; otherwise the pipeline runs again, and says so."""
    fixed = decisions_io.load(decisions_path) if decisions_path else None
    for book in books:
        path = decisions_path or Path(out_dir) / f"{output_stem(Path(book).name)}.decisions.json"
        d = fixed if fixed is not None else decisions_io.load(path)
        before = _previous_ids(Path(out_dir) / f"{output_stem(Path(book).name)}.changes.jsonl")
        b = apply_decisions(book, d, out_dir, profile_path, dictionaries)
        doc = b.doc
        click.echo(f"{book}: {b.note}", err=True)
        click.echo(f"{book}: {decisions_io.describe_matches(d, doc)}", err=True)
        if before is not None:
            new = sum(e.id not in before for e in doc.edits)
            if new:
                click.echo(f"{book}: {new} changes are new since the last run (not reviewed yet)", err=True)


# -- cleanup review --------------------------------------------------------------------
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


class Session:
    """One terminal review: the changes to ask about, the decisions (saved after
    every answer), where the reviewer is, and what `u` can undo."""

    def __init__(self, doc: Document, d: Decisions, path: Path, todo: list[Edit], everything: bool):
        from .report import corrections

        self.doc, self.d, self.path, self.todo, self.everything = doc, d, path, todo, everything
        self.keys = d.keys = corrections(doc)
        self.answered: Counter = Counter()
        self.history: list[tuple[Decisions, int, str]] = []  # the decisions before each answer
        self.k = 0
        self.shown_anyway: int | None = None  # the change k, g or / went to, decided or not

    def run(self) -> None:
        while 0 <= self.k < len(self.todo):
            e = self.todo[self.k]
            if self.k != self.shown_anyway and not self.everything and self._settled(e):
                self.k += 1
                continue
            click.echo()
            undecided = sum(not self.d.decided(x) for x in self.todo)
            click.echo(_header(e, self.k + 1, len(self.todo), undecided, self.d))
            click.echo("  " + show_change(self.doc, e))
            what = "Apply this proposal" if e.proposed_only else "Keep this change"
            answer = _ask(f"{what} [a,r,R,c,C,e,u,k,s,q,?]?")
            if answer == "q" or not self._answer(e, answer):
                break

    def _settled(self, e: Edit) -> bool:
        """Decided, or off whatever the answer: it builds on a change not in effect."""
        if self.d.decided(e):
            return True
        if not e.replaces:  # (most changes: no need to judge the whole log)
            return False
        alive = in_effect(self.doc.edits, self.d)
        return any(not alive.get(c, False) for c in e.replaces)

    def _go(self, k: int) -> None:
        self.k = self.shown_anyway = k

    def _answer(self, e: Edit, answer: str) -> bool:
        """Act on one answer; False ends the review."""
        if answer == "s":
            self.answered["s"] += 1
            self.k += 1
        elif answer == "k":
            self._go(max(0, self.k - 1))
        elif answer.startswith("g "):
            try:
                self._go(min(len(self.todo) - 1, max(0, int(answer[2:]) - 1)))
            except ValueError:
                click.echo("g takes a change number, e.g. g 12")
        elif answer.startswith("/"):
            hits = [j for j in range(self.k + 1, len(self.todo)) if answer[1:] in show_change(self.doc, self.todo[j])]
            if hits:
                self._go(hits[0])
            else:
                click.echo(f"no later change shows {answer[1:]!r}")
        elif answer == "u":
            self._undo()
        else:
            before = _copy(self.d)
            if answer in ("R", "c", "C"):
                done = self._bulk(e, answer)
            elif answer == "e":
                done = self._typed(e)
                if done is None:
                    return False
            else:
                self.d.reject.discard(e.id)
                self.d.accept.discard(e.id)
                (self.d.accept if answer == "a" else self.d.reject).add(e.id)
                done = True
            if done:
                self.history.append((before, self.k, answer))
                self.answered[answer] += 1
                decisions_io.save(self.path, self.d, self.doc.name)
                self.k += 1
        return True

    def _undo(self) -> None:
        if not self.history:
            click.echo("nothing to undo")
            return
        self.d, k, last = self.history.pop()
        self._go(k)
        self.answered[last] -= 1
        decisions_io.save(self.path, self.d, self.doc.name)
        click.echo(f"undone: {last}")

    def _bulk(self, e: Edit, answer: str) -> bool:
        """R, c, C: counted and confirmed. Asked again where it is already decided so
        (a review --all of an earlier session), the same key takes the decision back."""
        d = self.d
        if answer == "R":
            n = sum(x.rule == e.rule for x in self.doc.edits)
            back = e.rule in d.reject_rules
            question = (f"Take back the rejection of rule {e.rule} ({n} changes)?" if back
                        else f"Reject all {n} changes of rule {e.rule}?")
        else:
            key = self.keys.get(e.id)
            if key is None:
                click.echo("a spacing change has no correction to decide everywhere")
                return False
            n = sum(self.keys.get(x.id) == key for x in self.doc.edits)
            mine, other = ((d.reject_corrections, d.accept_corrections) if answer == "c"
                           else (d.accept_corrections, d.reject_corrections))
            back = key in mine
            verb = "reject" if answer == "c" else "accept"
            question = (f"Take back the decision to {verb} all {n} changes {key[0]} → {key[1]}?" if back
                        else f"{verb.capitalize()} all {n} changes {key[0]} → {key[1]}?")
        if not _confirm(question):
            return False
        if answer == "R":
            (d.reject_rules.discard if back else d.reject_rules.add)(e.rule)
        elif back:
            mine.discard(key)
        else:
            mine.add(key)
            other.discard(key)
        d.reject.discard(e.id)
        d.accept.discard(e.id)
        return True

    def _typed(self, e: Edit) -> bool | None:
        """e: the reviewer types what the words the change touches should read (a
        hand correction over the scan's own text). None: input ended."""
        s, t = edit_span(self.doc.source, e, "word")
        before = self.doc.source[s:t]
        proposed = self.doc.source[s : e.start] + e.after + self.doc.source[e.end : t]
        try:
            text = click.prompt(f"  the scan reads {before!r}; it should read", default=proposed, show_default=True)
        except (click.Abort, EOFError):
            return None
        v = {"start": s, "end": t, "before": before, "text": text}
        self.d.edit = [x for x in self.d.edit if not (x["start"] < t and s < x["end"])] + [v]
        self.d.reject.discard(e.id)
        return True


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
@dictionaries_option
def review(book, decisions_path, out_dir, profile_path, everything, layout, rule, stage, proposals,
           dictionaries):
    """Review the changes to BOOK (the source scan) one at a time in the terminal.

    For each change: a accept, r reject, R reject its whole rule, c/C reject or
    accept its correction everywhere, e type a correction, u undo, k back, g N go
    to, /WORD search, s skip, q quit. Every answer is written to the decisions
    file at once, so quitting loses nothing; `cleanup apply` then re-renders the outputs."""
    check_not_output(book, out_dir)
    b = Book(book, out_dir, profile_path, dictionaries)
    path = decisions_path or Path(out_dir) / f"{b.stem}.decisions.json"
    d = decisions_io.load_or_empty(path)
    if decisions_path is None:
        output_dir(out_dir)  # the default file lives there
    todo = to_review(b.doc, d, everything, layout, rule, stage, proposals)
    click.echo(f"{book}: {len(todo)} changes to review ({b.note}); decisions go to {path}")
    session = Session(b.doc, d, path, todo, everything)
    session.run()
    n = session.answered
    click.echo(f"{n['a']} accepted, {n['r']} rejected, {n['R']} rules rejected or taken back, "
               f"{n['c'] + n['C']} corrections decided, {n['e']} typed, "
               f"{n['s']} skipped; decisions are in {path}")
    click.echo(f"To write the outputs with them: cleanup apply {book} --decisions {path} -o {out_dir}")
