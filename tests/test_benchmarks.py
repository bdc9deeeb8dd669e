"""The benchmark scripts' own logic (scripts, not a package: loaded from their files)."""
import importlib.util
from pathlib import Path

import pytest

from cleanup import profile
from cleanup.lexicon import Lexicon


def _script(name: str):
    path = Path(__file__).resolve().parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CEILINGS = _script("ceilings")
KNOWN = Lexicon.load(profile.load()["words"]).known


@pytest.mark.parametrize("read, truth, kind", [
    (["tlie"], ["the"], 0),                  # a non-word two letters from its word
    (["hIiouIJ"], ["should"], 1),            # a non-word garbled past two letters
    (["tho"], ["the"], 2),                   # a real word misread as another
    (["In"], ["in"], 2),                     # only the case wrong: a cleaner may fix it
    (["pro", "ceed"], ["proceed"], 3),       # a word split
    (["first"], ["ﬁrst"], None),             # the truth's ligature: no faithful cleaner writes it
    (["xqzv"], ["Wrzqk"], None),             # the truth is no word either: no lexicon repairs it
    (["a", "b"], ["c"], None),               # not one to one, not a split
])
def test_each_wrong_word_is_given_the_kind_of_repair_that_would_fix_it(read, truth, kind):
    assert CEILINGS.kind_of(read, truth, KNOWN) == kind
