"""The layered lexicon the word stage checks words against, and its n-gram counts.

Layers, each explainable in a report ("known because …"):
- general: symspellpy's bundled English frequency list (82,765 words, Google
  Books counts) merged with wordfreq's English list (modern frequencies, British
  and American spellings both present); a word counts as English when it is in
  the symspellpy list or has a wordfreq Zipf frequency of at least `min_zipf`;
- user: plain word lists (one word a line, `#` comments) in the user dictionary
  folders named by the profile (`dictionaries/` by default);
- book: the book's own vocabulary, counted by the word stage (see words.py).

Building the general layer from its sources takes about a second, so it is
cached (Python's `marshal`, loads in a few tens of milliseconds) in a cache
folder, keyed by the source files' identity and the build settings. The cache
folder is `$CLEANUP_CACHE_DIR`, else `$XDG_CACHE_HOME/cleanup`, else
`~/.cache/cleanup`; if it cannot be written the lexicon is simply rebuilt.
"""
from __future__ import annotations

import bisect
import hashlib
import marshal
import math
import os
import re
from array import array
from pathlib import Path

BUILD_VERSION = 6  # bump when the cache layout or the build rules change
_ALPHA = re.compile(r"[a-z]+\Z")
_LOADED: dict[str, "GeneralLexicon"] = {}  # per process: one load per settings key


def cache_dir() -> Path:
    env = os.environ.get("CLEANUP_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleanup"


def _sources() -> list[Path]:
    import importlib.util

    # symspellpy's data files, located without importing it (its import costs more than the lookup)
    spec = importlib.util.find_spec("symspellpy")
    if spec and spec.origin:
        sym = Path(spec.origin).parent
    else:
        from importlib import resources

        sym = Path(str(resources.files("symspellpy")))
    out = [sym / "frequency_dictionary_en_82_765.txt", sym / "frequency_bigramdictionary_en_243_342.txt"]
    try:  # wordfreq's data file; located without importing wordfreq (slow import)
        spec = importlib.util.find_spec("wordfreq")
        if spec and spec.origin:
            out.append(Path(spec.origin).parent / "data" / "large_en.msgpack.gz")
    except (ImportError, ValueError):
        pass
    out.append(Path(__file__).parent / "data" / "extra_words.txt")
    return [p for p in out if p.exists()]


def _key(min_zipf: float) -> str:
    h = hashlib.blake2b(digest_size=8)
    h.update(f"v{BUILD_VERSION}:{min_zipf}".encode())
    for p in _sources():
        st = p.stat()
        h.update(f"|{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


_BIGRAM_MEMO = 200_000  # pairs remembered per process (about 30 MB at most)


class BigramTable:
    """log10 P of word pairs, stored as a sorted array of 64-bit key hashes and a
    parallel array of values: loading it is two memory copies, where a dict of
    242,000 string keys would take a tenth of a second to rebuild on every run."""

    def __init__(self, hashes: bytes, values: bytes):
        self._memo: dict[str, float | None] = {}
        self.hashes = array("q")
        self.hashes.frombytes(hashes)
        self.values = array("f")
        self.values.frombytes(values)

    @staticmethod
    def key(pair: str) -> int:
        return int.from_bytes(hashlib.blake2b(pair.encode("utf-8"), digest_size=8).digest(), "little", signed=True)

    @classmethod
    def build(cls, logp: dict[str, float]) -> tuple[bytes, bytes]:
        rows = sorted((cls.key(k), v) for k, v in logp.items())
        return array("q", [h for h, _ in rows]).tobytes(), array("f", [v for _, v in rows]).tobytes()

    def get(self, pair: str) -> float | None:
        memo = self._memo  # a pure function of the pair: kept across the books a worker cleans
        if pair in memo:
            return memo[pair]
        h = self.key(pair)
        i = bisect.bisect_left(self.hashes, h)
        v = round(self.values[i], 3) if i < len(self.hashes) and self.hashes[i] == h else None
        if len(memo) >= _BIGRAM_MEMO:
            memo.clear()  # bounded: a long batch must not grow without end
        memo[pair] = v
        return v

    def __len__(self) -> int:
        return len(self.hashes)


class GeneralLexicon:
    """General English: word → Zipf frequency (log10 per billion words), and
    bigram log10 probabilities (symspellpy's bundled bigram counts)."""

    def __init__(self, zipf: dict[str, float], bigrams: BigramTable, bigram_floor: float,
                 affixes: tuple[list[str], list[str]] | None = None):
        self.zipf = zipf
        self.bigrams = bigrams
        self.bigram_floor = bigram_floor  # log10 P of the rarest listed bigram
        # every prefix and suffix of up to AFFIX_LEN letters of a word: lets the
        # candidate search skip strings that cannot be words (cached, as building
        # them takes longer than loading them)
        pre, suf = affixes if affixes is not None else affix_sets(zipf)
        self.prefixes, self.suffixes = set(pre), set(suf)
        self.derived: dict = {}  # tables stages derive from this lexicon, kept per process

    @classmethod
    def load(cls, min_zipf: float = 3.0) -> "GeneralLexicon":
        key = _key(min_zipf)
        if key in _LOADED:
            return _LOADED[key]
        path = cache_dir() / f"lexicon-{key}.marshal"
        data = None
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            data = None
        if data is None:
            data = _build(min_zipf)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(marshal.dumps(data))
                os.replace(tmp, path)
            except OSError:
                pass  # read-only home: rebuild next time
        lex = cls(data["zipf"], BigramTable(data["bigram_hashes"], data["bigram_logp"]), data["bigram_floor"],
                  (data["prefixes"], data["suffixes"]))
        _LOADED[key] = lex
        return lex


def _build(min_zipf: float) -> dict:
    srcs = {p.name: p for p in _sources()}
    uni = srcs["frequency_dictionary_en_82_765.txt"]
    counts: dict[str, int] = {}
    for line in uni.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            counts[parts[0]] = int(parts[1])
    total = sum(counts.values())
    zipf = {w: round(math.log10(c / total) + 9, 2) for w, c in counts.items()}
    wf = srcs.get("large_en.msgpack.gz")
    if wf is not None:
        import wordfreq

        for w, f in wordfreq.get_frequency_dict("en", "large").items():
            if not _ALPHA.match(w):
                continue
            z = round(math.log10(f) + 9, 2)
            if w in zipf:
                zipf[w] = max(z, 1.0)  # modern frequency; British forms rank right
            elif z >= min_zipf and len(w) >= 3:
                zipf[w] = z
    extra = srcs.get("extra_words.txt")
    if extra is not None:
        for w in read_word_list(extra):
            zipf.setdefault(w.lower(), max(min_zipf, 3.0))
    bigrams: dict[str, float] = {}
    floor = 0.0
    bi = srcs.get("frequency_bigramdictionary_en_243_342.txt")
    if bi is not None:
        raw = []
        for line in bi.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3:
                raw.append((parts[0] + " " + parts[1], int(parts[2])))
        btotal = sum(c for _, c in raw) or 1
        bigrams = {k: round(math.log10(c / btotal), 3) for k, c in raw}
        floor = min(bigrams.values()) if bigrams else 0.0
    hashes, values = BigramTable.build(bigrams)
    pre, suf = affix_sets(zipf)
    return {"zipf": zipf, "bigram_hashes": hashes, "bigram_logp": values, "bigram_floor": floor,
            "prefixes": sorted(pre), "suffixes": sorted(suf)}


AFFIX_LEN = 5


def affix_sets(words) -> tuple[set[str], set[str]]:
    """Every prefix and every suffix, of 1 to AFFIX_LEN characters, of `words`."""
    pre: set[str] = set()
    suf: set[str] = set()
    for k in range(1, AFFIX_LEN + 1):
        pre.update(w[:k] for w in words)
        suf.update(w[-k:] for w in words)
    return pre, suf


def read_word_list(path: Path) -> list[str]:
    """Words of a user dictionary: one a line; blank lines and `#` comments skipped."""
    out = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        w = line.split("#", 1)[0].strip()
        if w:
            out.append(w)
    return out


class Lexicon:
    """General English + user dictionaries; the book layer is added by the stage."""

    def __init__(self, general: GeneralLexicon, user_words: set[str] = frozenset(), user_sources: dict | None = None):
        self.general = general
        self.user_exact = set(user_words)
        self.user_lower = {w.lower() for w in user_words}
        self.user_sources = user_sources or {}

    @classmethod
    def load(cls, cfg: dict | None = None) -> "Lexicon":
        cfg = cfg or {}
        general = GeneralLexicon.load(float(cfg.get("min_zipf", 3.0)))
        from . import dictionaries  # the user layer: word lists the profile and --dictionary name

        user = dictionaries.read(cfg.get("user_dictionaries", ["dictionaries"]))
        words, sources = user.words, user.sources
        from .words.learned import extra_words  # a learned profile's proofread vocabulary

        for w in extra_words(cfg):
            words.add(w)
            sources.setdefault(w.lower(), "learned profile")
        return cls(general, words, sources)

    # -- queries ---------------------------------------------------------------
    def zipf(self, word: str) -> float:
        """Zipf frequency of the lower-cased word (0 if not in the general layer)."""
        return self.general.zipf.get(word.lower(), 0.0)

    def in_general(self, word: str) -> bool:
        return word.lower() in self.general.zipf

    def in_user(self, word: str) -> bool:
        return word in self.user_exact or word.lower() in self.user_lower

    def known(self, word: str) -> bool:
        return self.in_general(word) or self.in_user(word)

    def why(self, word: str) -> str:
        """Which layer knows `word`, for reasons and reports."""
        if self.in_user(word):
            return f"user dictionary {self.user_sources.get(word.lower(), '')}".strip()
        if self.in_general(word):
            return f"general English (Zipf {self.zipf(word):.1f})"
        return "not in any lexicon"

    def bigram(self, w1: str, w2: str) -> float | None:
        """log10 P(w1 w2) in the general bigram counts, or None if not listed."""
        return self.general.bigrams.get(f"{w1.lower()} {w2.lower()}")
