"""The rule registry: every kind of change, by the name its edits carry.

The rules are data (cleanup/data/rules.toml: stage, description, an example, how
the confidence is given, the settings read). Confidence means one thing for every
rule: the estimated probability that the change is right. Whether a change is
applied is decided here, once, for every stage (`decide`): applied when its
confidence reaches its rule's `auto_apply`, proposed for review below that, dropped
below `propose_min`. The thresholds are profile settings: `[pipeline] auto_apply`
and `propose_min`, and `[rules.NAME] auto_apply` for one rule."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

_DATA = Path(__file__).parent / "data" / "rules.toml"


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str
    description: str
    example: tuple[str, str]  # (before, after)
    confidence: str  # how the rule's confidence is given
    settings: tuple[str, ...]
    teach: str = ""  # text set before the example: evidence from the rest of a book
    teach_profile: dict | None = None  # profile tables the example needs (a learned profile's)


@cache
def registry() -> dict[str, Rule]:
    """Every rule by name, in the order of the data file (stage by stage)."""
    rows = tomllib.loads(_DATA.read_text(encoding="utf-8"))["rule"]
    out: dict[str, Rule] = {}
    for r in rows:
        teach = r.get("teach", "") * int(r.get("teach_repeat", 1)) + r.get("teach_after", "")
        out[r["name"]] = Rule(r["name"], r["stage"], r["description"], tuple(r["example"]), r["confidence"],
                              tuple(r["settings"]), teach, r.get("teach_profile"))
    return out


def names() -> list[str]:
    return list(registry())


def auto_apply(profile: dict, rule: str) -> float:
    """The confidence at which a change of `rule` is applied under `profile`."""
    over = profile.get("rules", {}).get(rule)
    if over is not None and "auto_apply" in over:
        return float(over["auto_apply"])
    return float(profile["pipeline"]["auto_apply"])


def thresholds(profile: dict) -> dict[str, float]:
    """auto_apply of every registered rule under `profile`."""
    return {name: auto_apply(profile, name) for name in registry()}


def decide(proposals: Iterable, profile: dict) -> list:
    """The proposals worth logging, each marked applied or proposed-only by its rule's
    threshold. Decided on the confidence as logged (three decimals), so the log
    shows why: applied exactly when `confidence >= auto_apply`."""
    propose_min = float(profile["pipeline"]["propose_min"])
    limits: dict[str, float] = {}
    out = []
    for p in proposals:
        conf = round(float(p.confidence), 3)
        if conf < propose_min:
            continue
        limit = limits.get(p.rule)
        if limit is None:
            limit = limits[p.rule] = auto_apply(profile, p.rule)
        proposed_only = conf < limit
        out.append(p if (p.proposed_only == proposed_only and p.confidence == conf)
                   else p._replace(confidence=conf, proposed_only=proposed_only))
    return out


def listing(profile: dict) -> list[dict]:
    """Every rule as a plain record (for `cleanup rules --json`)."""
    return [{"name": r.name, "stage": r.stage, "description": r.description,
             "example": {"before": r.example[0], "after": r.example[1]},
             "confidence": r.confidence, "settings": list(r.settings),
             "auto_apply": auto_apply(profile, r.name)}
            for r in registry().values()]


def threshold_text(value: float) -> str:
    return "never (proposed only)" if value > 1 else f"{value:g}"


def describe(records: list[dict]) -> str:
    """The listing as text: one block per rule."""
    out = []
    for r in records:
        ex = r["example"]
        out.append(f"{r['name']}  [{r['stage']}]  auto_apply {threshold_text(r['auto_apply'])}\n"
                   f"    {r['description']}\n"
                   f"    e.g. {ex['before']!r} → {ex['after']!r}")
    return "\n".join(out)


def log_problems(edits: Iterable, profile: dict) -> list[str]:
    """What in a change log disagrees with the registry and the profile's thresholds:
    a rule no one listed, or a change applied (or only proposed) against its rule's
    auto_apply. Empty for a log this profile made."""
    rules = registry()
    propose_min = float(profile["pipeline"]["propose_min"])
    out = []
    for e in edits:
        if e.rule not in rules:
            out.append(f"{e.id}: rule {e.rule!r} is not listed")
        elif e.proposed_only != (e.confidence < auto_apply(profile, e.rule)) or e.confidence < propose_min:
            state = "proposed only" if e.proposed_only else "applied"
            out.append(f"{e.id}: {e.rule} at {e.confidence} {state}, its auto_apply is {auto_apply(profile, e.rule)}")
    return out
