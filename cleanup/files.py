"""Writing outputs so that nothing is ever half-written: temp file, then rename."""
from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import time
from pathlib import Path

from .errors import UserError


def read_bytes(path: str | Path, what: str = "text file") -> bytes:
    """A file the user named, or one clear error saying which and why."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{p}: no such file" if what == "text file" else f"{p}: {what} not found")
    except IsADirectoryError:
        raise UserError(f"{p}: is a folder, not a {what}")
    except PermissionError:
        raise UserError(f"{p}: not readable (permission denied)")
    except OSError as e:
        raise UserError(f"{p}: cannot be read ({e.strerror})")


def parse_json(text: str, where: str, what: str = "JSON"):
    """`json.loads`, or one UserError naming `where` and the problem: bad syntax,
    nesting too deep for the parser (RecursionError), a number too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{where}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})")
    except RecursionError:
        raise UserError(f"{where}: not a {what}: its JSON is nested too deep to read")
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise UserError(f"{where}: not a {what}: it holds a number too long to read")


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` via a temp file in the same folder and an atomic
    rename: a reader (or a crash) sees the old file or the new one, never part."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    try:  # named for its writer, so that a later run can tell it was left by a killed one
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}@{_HOST}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise UserError(f"{path.parent}: cannot write output here ({e.strerror})")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UserError(f"{path}: cannot write output ({e.strerror})")
        raise


def same_file(a: Path, b: Path) -> bool:
    """The same file, or names that would be one file on a case-insensitive disk
    (`b.TXT` and `b.txt`): refused alike, so a command means the same on every disk."""
    try:
        if a.exists() and b.exists() and a.samefile(b):
            return True
    except OSError:
        pass
    return str(a.resolve()).casefold() == str(b.resolve()).casefold()


_HOST = socket.gethostname().replace("/", "_").replace("@", "_")
# `.NAME.PID@HOST.XXXXXXXX.tmp` (atomic_write's), or `.NAME.XXXXXXXX.tmp` (older versions'),
# where NAME is an output's: only these are ever removed
_TEMP = re.compile(r"\.(?P<name>.+?)(?:\.(?P<pid>\d+)@(?P<host>[^@/]*))?\.[a-z0-9_]{8}\.tmp")
_OUTPUT_ENDS = (".txt", ".changes.jsonl", ".report.html", ".unknown.tsv", ".decisions.json", "manifest.jsonl")
STALE_AFTER = 3600  # seconds: no write of one output takes this long


def remove_stale_temps(folder: str | Path) -> int:
    """Remove the temp files of outputs that a killed writer left in `folder`: those
    whose writer, on this machine, is no longer running, and any older than an hour
    (another machine's, or an older version's). Returns how many were removed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    for e in entries:
        m = _TEMP.fullmatch(e.name) if e.name.startswith(".") and e.name.endswith(".tmp") else None
        if m is None or not m["name"].endswith(_OUTPUT_ENDS):
            continue
        try:
            if m["pid"] and m["host"] == _HOST and os.name == "posix":
                stale = not _running(int(m["pid"]))
            else:
                stale = time.time() - e.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if stale:
                os.unlink(e.path)
                removed += 1
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_dir(path: str | Path) -> Path:
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{p}: cannot create output folder ({e.strerror})")
    if not os.access(p, os.W_OK):
        raise UserError(f"{p}: output folder is not writable")
    return p


def shown(text: str) -> str:
    """`text` (a path, or a message naming one) safe to print and to write as UTF-8:
    the bytes of a file name that is not UTF-8, which Python carries as lone
    surrogates, shown escaped (`bad\\xff.txt`)."""
    if text.isascii() or not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join((f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else f"\\u{ord(c):04x}")
                   if "\ud800" <= c <= "\udfff" else c for c in text)


_LAST_PART = re.compile(r"[/\\](?!x[0-9a-f]{2}|u[0-9a-f]{4})")


def output_stem(input_name: str) -> str:
    """A safe file name for outputs: the input's last path part only, so a name
    like `../../x.txt` cannot write outside the output folder; a name that is not
    UTF-8 gets its bytes escaped (`bad\\xff.txt` -> `bad_xff`)."""
    # the last part after / or \ (a Windows path), but not the \ of an escaped byte
    name = _LAST_PART.split(shown(str(input_name)))[-1]
    for suffix in (".txt", ".text"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = name.strip().lstrip(".") or "book"
    return "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in name)
