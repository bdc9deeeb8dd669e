"""Profiles: TOML files that drive the pipeline (stages, thresholds, rule tables).

A user profile is overlaid on the shipped default, table by table, so a profile
only needs the settings it changes."""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path

from .errors import UserError

DEFAULT = "default"
_HERE = Path(__file__).parent  # the package folder (importlib.resources costs a cold run ~6 ms)


def _shipped(name: str) -> dict:
    ref = _HERE / "profiles" / f"{name}.toml"
    return tomllib.loads(ref.read_text(encoding="utf-8"))


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
    """The effective profile: the default, overlaid with `path` if given (its
    `user_dictionaries` read relative to the profile file's folder)."""
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
    from .words.learned import table_problem

    problem = table_problem(over.get("words", {})) if isinstance(over.get("words"), dict) else None
    if problem:
        raise UserError(f"{p}: {problem}")
    return over
