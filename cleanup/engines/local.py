"""The local engine: a pool of worker processes on this machine.

Each worker gets the profile once, through the pool's initialiser, and then only
small `Book` records; the process lives for the whole batch, so module-level
caches (the lexicon, `vocab`) persist from book to book."""
from __future__ import annotations

import multiprocessing as mp
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from ..batch import Book, failed_entry, process_book

_PROFILE: dict | None = None  # this worker's profile, set once by `_init`


def _init(profile: dict) -> None:
    global _PROFILE
    _PROFILE = profile
    # Ctrl-C is for the parent: it stops the batch and ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _task(book: Book) -> dict:
    return process_book(book, _PROFILE)


def _context():
    # fork starts workers in milliseconds with cleanup already imported; macOS and
    # Windows only offer spawn safely.
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def run(books: list[Book], profile: dict, jobs: int = 1) -> Iterator[dict]:
    jobs = max(1, min(jobs, len(books)))
    if len(books) == 1:  # one book: no pool to start (a crash would only lose that book anyway)
        yield process_book(books[0], profile)
        return
    # Even --jobs 1 runs in a worker process: a book that crashes it (out of
    # memory, a fault in C code) must not take the batch down with it.
    todo = list(reversed(books))
    died = "worker process died while cleaning this book (out of memory or killed?); run the batch again to retry"
    while todo:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init, initargs=(profile,))
        inflight: dict = {}
        broken = False
        try:
            # A bounded window: a dead worker costs only the books in flight, and a
            # library of 100,000 books is not turned into 100,000 futures at once.
            while (todo or inflight) and not broken:
                while todo and len(inflight) < 4 * jobs:
                    try:
                        inflight[pool.submit(_task, todo[-1])] = todo[-1]
                    except BrokenProcessPool:  # a worker died since the last wait: not this book's fault
                        broken = True
                        break
                    todo.pop()
                if broken:
                    break
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for f in done:
                    b = inflight.pop(f)
                    try:
                        entry = f.result()
                    except BrokenProcessPool:
                        # A worker died (killed, out of memory, a crash in C code): the pool is
                        # unusable. Fail the books in flight; a fresh pool takes the rest.
                        broken, entry = True, failed_entry(b, died)
                    yield entry
            if broken:
                for f, b in inflight.items():
                    finished = f.done() and not f.cancelled() and f.exception() is None
                    yield f.result() if finished else failed_entry(b, died)
                inflight.clear()
        finally:
            if inflight:  # interrupted: no need to wait for books whose outputs are atomic anyway
                _terminate(pool)
            pool.shutdown(wait=not inflight, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        p.terminate()
