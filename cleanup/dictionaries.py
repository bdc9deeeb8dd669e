"""User dictionaries: plain word lists (one word a line, `#` comments) that the
lexicon counts as known words, so they are never "repaired" and never listed as
unknown.

Where they come from, in this order: the profile's `[words] user_dictionaries`
(a profile file's entries are relative to that file; the shipped default names
`dictionaries`, the folder of that name in the current folder), then each
`--dictionary FILE_OR_DIR` of the command. A folder gives its `*.txt` files."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import click

from .errors import UserError

OPTION_HELP = ("A word list (one word a line, # comments) or a folder of them (*.txt): its words are known, "
               "never repaired nor listed as unknown. Repeatable; added to the profile's user_dictionaries "
               "(a profile file's are read relative to that file; the default profile's is dictionaries/ "
               "in the current folder).")


def option(f):
    """`--dictionary FILE_OR_DIR` (repeatable), for every command that cleans."""
    return click.option("--dictionary", "dictionaries", multiple=True, type=click.Path(path_type=Path),
                        metavar="FILE_OR_DIR", help=OPTION_HELP)(f)


def add(profile: dict, paths) -> dict:
    """The profile with `paths` added to its user dictionaries (as absolute paths, so a
    worker or a later folder change reads the same files). A path that does not exist
    is an error: the user named it."""
    if not paths:
        return profile
    out = copy.deepcopy(profile)
    folders = list(out.setdefault("words", {}).get("user_dictionaries", []))
    for p in map(Path, paths):
        if not p.exists():
            raise UserError(f"{p}: dictionary not found (give a word list file or a folder of .txt lists)")
        folders.append(str(p.resolve()))
    out["words"]["user_dictionaries"] = folders
    return out


def resolve_relative(overlay: dict, base: Path) -> dict:
    """A profile file's `user_dictionaries`, made relative to the profile's folder
    rather than to wherever the command runs."""
    words = overlay.get("words")
    if not isinstance(words, dict) or not isinstance(words.get("user_dictionaries"), list):
        return overlay
    out = copy.deepcopy(overlay)
    out["words"]["user_dictionaries"] = [str((base / d).resolve()) if isinstance(d, str) else d
                                         for d in words["user_dictionaries"]]
    return out


@dataclass
class Loaded:
    """The words of the user dictionaries, with where each came from."""

    words: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)  # lower-cased word -> file name
    per_entry: dict[str, int] = field(default_factory=dict)  # entry as given -> words read
    missing: list[str] = field(default_factory=list)  # entries that name nothing

    def describe(self) -> str:
        """One line: how many user words were loaded, and from where."""
        found = [f"{n} from {entry}" for entry, n in self.per_entry.items()]
        gone = [f"{entry} not found" for entry in self.missing]
        return f"user words: {len(self.words)}" + (f" ({'; '.join(found + gone)})" if found or gone else "")

    def digest(self) -> str:
        return hashlib.sha256("\n".join(sorted(self.words)).encode("utf-8")).hexdigest()


def read(entries) -> Loaded:
    """Read every user dictionary the profile names (files unreadable as UTF-8 are skipped)."""
    from .lexicon import read_word_list

    out = Loaded()
    for entry in entries:
        d = Path(entry)
        files = sorted(d.glob("*.txt")) if d.is_dir() else ([d] if d.is_file() else [])
        if not files:
            if not d.exists():
                out.missing.append(str(entry))
            else:
                out.per_entry[str(entry)] = 0
            continue
        n = 0
        for f in files:
            try:
                words = read_word_list(f)
            except (OSError, UnicodeDecodeError):
                continue
            n += len(words)
            for w in words:
                out.words.add(w)
                out.sources.setdefault(w.lower(), f.name)
        out.per_entry[str(entry)] = n
    return out


def of_profile(profile: dict) -> Loaded:
    return read(profile.get("words", {}).get("user_dictionaries", ["dictionaries"]))
