"""The local engine: worker processes on this machine, one book at a time each.

Each worker gets the profile once, when it starts, and then only small `Book`
records over its own pipe; it lives for the whole batch, so module-level caches
(the lexicon, `vocab`) persist from book to book.

Why not a `ProcessPoolExecutor`: when one of its workers dies, the pool breaks and
cannot say which book killed it, so every book in flight failed. Here each worker
has its own pipe and the parent always knows the one book it holds: a worker that
dies (out of memory, killed, a crash in C code) fails that book alone, and a fresh
worker takes the rest.

Workers die with the parent: on Linux the kernel kills them when it dies
(PR_SET_PDEATHSIG); elsewhere, a worker ends when it finds its pipe closed, after
the book it holds. Either way a killed batch leaves no worker writing outputs, and
the re-run redoes whatever was not recorded as done."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
from multiprocessing.connection import Connection, wait
from typing import Iterator

from ..batch import Book, failed_entry, process_book

DIED = "worker process died while cleaning this book (out of memory or killed?); run the batch again to retry"
_PARENT_ENDS: list[Connection] = []  # the parent's pipe ends: a forked worker closes its copies


def _context():
    # fork starts workers in milliseconds with cleanup already imported; macOS and
    # Windows only offer spawn safely.
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)


def _worker(conn: Connection, profile: dict, parent: int) -> None:
    _die_with_parent(parent)
    for c in _PARENT_ENDS:  # (forked copies: holding them would keep other workers' pipes open)
        c.close()
    # Ctrl-C is for the parent: it stops the batch and ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            book = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if book is None:
            return
        conn.send(process_book(book, profile))


class _Worker:
    def __init__(self, ctx, profile: dict):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, profile, os.getpid()), daemon=True)
        _PARENT_ENDS.append(self.conn)
        self.proc.start()
        child.close()  # only the worker holds it now: its death closes the pipe
        self.book: Book | None = None

    def close(self, now: bool) -> None:
        if now and self.proc.is_alive():
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.conn.close()
        _PARENT_ENDS.remove(self.conn)
        self.proc.join(timeout=None if not now else 5)


def run(books: list[Book], profile: dict, jobs: int = 1) -> Iterator[dict]:
    jobs = max(1, min(jobs, len(books)))
    if len(books) == 1:  # one book: no worker to start (a crash would only lose that book anyway)
        yield process_book(books[0], profile)
        return
    # Even --jobs 1 runs in a worker process: a book that crashes it (out of
    # memory, a fault in C code) must not take the batch down with it.
    ctx = _context()
    todo = list(reversed(books))
    workers: list[_Worker] = []
    finished = False
    try:
        while todo or any(w.book for w in workers):
            while todo and len(workers) < jobs:
                workers.append(_Worker(ctx, profile))
            for w in workers:
                if w.book is None and todo:
                    w.book = todo.pop()
                    try:
                        w.conn.send(w.book)
                    except OSError:  # it died idle: its sentinel says so below
                        pass
            by_handle = {}
            for w in workers:
                if w.book is not None:
                    by_handle[w.conn] = by_handle[w.proc.sentinel] = w
            for handle in wait(list(by_handle)):
                w = by_handle[handle]
                if w.book is None:
                    continue  # its result and its end were both ready: the result was taken
                entry = None
                try:
                    if w.conn.poll():
                        entry = w.conn.recv()
                except (EOFError, OSError):
                    pass
                # (a worker that ended has nothing more to send: no result means it died with the book)
                yield entry if entry is not None else failed_entry(w.book, DIED)
                w.book = None
                if entry is None or not w.proc.is_alive():
                    w.close(now=True)
                    workers.remove(w)
        finished = True
    finally:
        for w in workers:  # interrupted: their outputs are atomic, no need to wait
            w.close(now=not finished)
