"""Run the stages a profile names over a document, in order, logging every edit."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import profile as profiles
from . import rules, stages
from .decode import decode
from .document import Decisions, Document
from .errors import UserError
from .lexicon import Lexicon
from .files import read_bytes, shown


@dataclass
class Context:
    """What a stage may need beyond the text: the profile and shared resources."""

    profile: dict
    name: str = ""
    cache: dict = field(default_factory=dict)  # per-run memo for stages (book vocabulary, …)

    def lexicon(self) -> Lexicon:
        """The run's one lexicon, which every stage asks: general English, the user
        dictionaries and a learned profile's words (the profile's [words]), loaded once."""
        lex = self.cache.get("lexicon")
        if lex is None:
            lex = self.cache["lexicon"] = Lexicon.load(self.profile.get("words", {}))
        return lex


def clean(data: bytes | str, profile: dict | None = None, name: str = "<text>", on_stage=None,
          decisions: Decisions | None = None) -> Document:
    """Clean one book. `data` is the file's bytes (decoded here) or text; `on_stage`,
    if given, is called with each stage's name as it starts (a progress bar); the
    proposals `decisions` accept are in the text the later stages read."""
    profile = profile if profile is not None else profiles.load()
    if isinstance(data, bytes):
        text, encoding = decode(data, name)
    else:
        text, encoding = data, "utf-8"
    _check_line_lengths(text, name, profile["pipeline"].get("max_line_chars"))
    doc = Document(text, name=name, encoding=encoding)
    ctx = Context(profile=profile, name=name)
    doc.context = ctx  # outputs derived later (the unknown-words list) reuse its profile and lexicon
    doc.timings = {}
    with gc_paused():
        _run_stages(doc, profile, ctx, on_stage, decisions)
    return doc


@contextmanager
def gc_paused():
    """Edits, words and report pieces are many small long-lived objects: the cyclic
    GC's repeated passes over them cost more than the run itself on big books (they
    hold no cycles), and tens of milliseconds on a small one."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _check_line_lengths(text: str, name: str, limit: int | None) -> None:
    """Refuse a line no page could hold (a dump, not a scan) before the stages spend
    minutes and gigabytes on it: the user gets one message saying what to do."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise UserError(f"profile: [pipeline] max_line_chars must be a whole number, not {limit!r}")
    if not limit or len(text) <= limit:
        return
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > limit:
            raise UserError(
                f"{name}: line {number:,} is {len(line):,} characters long; a page's lines are "
                f"far shorter and this profile accepts at most {limit:,} "
                "([pipeline] max_line_chars). Break the text into lines or raise the limit.")


def _run_stages(doc: Document, profile: dict, ctx: Context, on_stage=None, decisions: Decisions | None = None) -> None:
    for stage in profile["pipeline"]["stages"]:
        if on_stage is not None:
            on_stage(stage)
        try:
            propose = stages.get(stage)
        except KeyError as e:
            raise UserError(f"profile: {e.args[0]}")
        t0 = time.perf_counter()
        # the stage proposes with a confidence; whether a change is applied is decided
        # here, by its rule's threshold, the same way for every stage (cleanup/rules.py)
        doc.apply(stage, rules.decide(propose(doc.text, profile.get(stage, {}), ctx), profile), decisions)
        doc.timings[stage] = time.perf_counter() - t0


def clean_file(path: str | Path, profile: dict | None = None, on_stage=None, decisions: Decisions | None = None) -> Document:
    p = Path(path)
    return clean(read_bytes(p), profile, name=shown(p.name), on_stage=on_stage, decisions=decisions)  # (a name that is not UTF-8, escaped)
