"""Writing outputs so that nothing is ever half-written: temp file, then rename."""
from __future__ import annotations

import os
import tempfile
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


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` via a temp file in the same folder and an atomic
    rename: a reader (or a crash) sees the old file or the new one, never part."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def output_stem(input_name: str) -> str:
    """A safe file name for outputs: the input's last path part only, so a name
    like `../../x.txt` cannot write outside the output folder."""
    name = Path(str(input_name).replace("\\", "/")).name
    for suffix in (".txt", ".text"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = name.strip().lstrip(".") or "book"
    return "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in name)
