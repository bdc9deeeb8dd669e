"""Profiles: TOML files that drive the pipeline (stages, thresholds, rule tables).

A user profile is overlaid on the shipped default, table by table, so a profile
only needs the settings it changes."""
from __future__ import annotations

import copy
import difflib
import tomllib
from pathlib import Path

from .errors import UserError

DEFAULT = "default"
_HERE = Path(__file__).parent  # the package folder (importlib.resources costs a cold run ~6 ms)


def _shipped(name: str) -> dict:
    ref = _HERE / "profiles" / f"{name}.toml"
    return tomllib.loads(ref.read_text(encoding="utf-8"))  # (a fresh copy: callers may change it)


def merge(base: dict, over: dict) -> dict:
    """`over` wins, recursively for tables; lists and values are replaced whole."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load(path: str | Path | None = None) -> dict:
    """The effective profile: the default, overlaid with `path` if given (checked
    against the default's settings first; its `user_dictionaries` read relative to
    the profile file's folder)."""
    profile = _shipped(DEFAULT)
    if path is None:
        return profile
    from .dictionaries import resolve_relative  # a profile's word lists live beside it

    return merge(profile, resolve_relative(read_overlay(path), Path(path).parent))


def read_overlay(path: str | Path) -> dict:
    """A user's profile file as written: only the tables it changes."""
    p = Path(path)
    try:
        over = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{p}: profile not found")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{p}: cannot read profile ({e})")
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{p}: not valid TOML ({e})")
    problem = check(over)
    if problem:
        raise UserError(f"{p}: {problem}")
    return over


def check(over: dict, schema: dict | None = None) -> str | None:
    """What is wrong with a profile overlay, as one sentence, or None. The schema is
    the shipped default: every setting it has, of the type its value has; besides,
    `[rules.NAME]` for a registered rule, and a learned profile's `[words]` tables."""
    from .rules import registry
    from .words.learned import table_problem

    schema = schema if schema is not None else _shipped(DEFAULT)
    for table, values in over.items():
        if table not in schema:
            return f"unknown table [{table}]{_nearest(table, schema, '[{}]')}"
        if not isinstance(values, dict):
            return f"[{table}] must be a table of settings, not {values!r}"
        if table == "rules":
            problem = _rules_problem(values, registry())
        else:
            problem = _table_problem(table, values, schema)
        if problem:
            return problem
    words = over.get("words")
    return table_problem(words) if isinstance(words, dict) else None


# A learned profile's [words] tables (cleanup/words/learned.py checks their rows),
# and the channel's cost overrides: no default has them.
_LEARNED = {"glyph_pairs": list, "learned_support": list, "inserted_letters": list, "scannos": list,
            "lowered": list, "extra_words": list, "costs": dict}


# Thresholds the word stage once read itself, now the pipeline's (cleanup/rules.py).
_MOVED = {("words", "auto_apply"): "[pipeline] auto_apply", ("words", "propose_min"): "[pipeline] propose_min",
          ("words", "real_word_auto_apply"): "[rules.real-word-context] auto_apply (and real-word-glyph, "
                                             "lone-letter, learned-scanno-real-word, learned-lowercase)",
          ("words", "real_word_unseen_auto_apply"): "[rules.real-word-unseen-pair] auto_apply",
          ("words", "learned_auto_apply"): "[rules.learned-scanno] auto_apply"}


def _table_problem(table: str, values: dict, schema: dict) -> str | None:
    known = schema[table]
    for key, value in values.items():
        if (table, key) in _MOVED:
            return f"[{table}] {key} is now {_MOVED[table, key]}"
        if key not in known:
            if table == "words" and key in _LEARNED:
                if not isinstance(value, _LEARNED[key]):
                    return f"[words] {key} must be a {_LEARNED[key].__name__}, not {value!r}"
                continue
            return f"unknown setting [{table}] {key}{_nearest_setting(table, key, schema)}"
        want = _type_name(known[key])
        if not _fits(value, known[key]):
            return f"[{table}] {key} must be {want}, not {value!r}"
    return None


def _rules_problem(values: dict, rules: dict) -> str | None:
    for name, table in values.items():
        if name not in rules:
            return f"unknown rule [rules.{name}]{_nearest(name, rules, '[rules.{}]')} (`cleanup rules` lists them)"
        if not isinstance(table, dict):
            return f"[rules.{name}] must be a table (auto_apply = …), not {table!r}"
        for key, value in table.items():
            if key != "auto_apply":
                return f"unknown setting [rules.{name}] {key}{_nearest(key, ['auto_apply'], '{}')}"
            if not _fits(value, 0.5):
                return f"[rules.{name}] auto_apply must be a number, not {value!r}"
    return None


def _fits(value, default) -> bool:
    """`value` has the type of the default's value (a whole number is a number too)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list) and all(_fits(v, default[0]) for v in value) if default else isinstance(value, list)
    return isinstance(value, type(default))


def _type_name(default) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a whole number" if isinstance(default, int) else "a number"
    if isinstance(default, str):
        return "a string"
    if isinstance(default, list):
        return f"a list of {_type_name(default[0]).removeprefix('a ')}s" if default else "a list"
    return "a table"


def _nearest(name: str, choices, form: str) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {form.format(close[0])}?" if close else ""


def _nearest_setting(table: str, key: str, schema: dict) -> str:
    """The nearest setting of the same table, else of any table (`auto_apply` is
    [pipeline]'s), else nothing."""
    close = difflib.get_close_matches(key, list(schema[table]) + (list(_LEARNED) if table == "words" else []), n=1)
    if close:
        return f"; did you mean {close[0]}?"
    for other, settings in schema.items():
        if other != table and other != "rules" and isinstance(settings, dict):
            close = difflib.get_close_matches(key, list(settings), n=1, cutoff=0.8)
            if close:
                return f"; did you mean [{other}] {close[0]}?"
    return ""
