"""The Dask engine: the same `process_book` on a dask.distributed cluster.

What is shipped to workers: the profile, once (scattered to every worker, kept in
its memory), and per book a small `Book` record (paths and hashes). The function
itself is pickled by reference, so every worker must have the same `cleanup`
installed; a worker whose code differs fails its books with that reason. Lexicons
and indexes are not shipped: each worker process loads them itself on its first
book and keeps them (module-level caches in `lexicon.py`, `vocab.py`), reading the
lexicon cache in `$CLEANUP_CACHE_DIR`. Workers read inputs and write outputs at
the paths given, so those must be on a file system every worker shares."""
from __future__ import annotations

from typing import Iterator

from ..batch import Book, failed_entry, process_book
from ..errors import UserError


def run(books: list[Book], profile: dict, scheduler: str | None = None, workers: int = 1) -> Iterator[dict]:
    try:  # lazily: the package works without dask
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UserError("the dask engine needs dask.distributed: pip install 'cleanup[dask]'")
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:  # no cluster given: one on this machine, a process per worker
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        raise UserError(f"{scheduler}: cannot reach the Dask scheduler ({e})")
    try:
        [prof] = client.scatter([profile], broadcast=True)
        futures = client.map(process_book, books, profile=prof, pure=False)
        book_of = dict(zip((f.key for f in futures), books))
        for f in as_completed(futures):
            try:
                yield f.result()
            except Exception as e:  # the worker died (KilledWorker) or could not run the task
                yield failed_entry(book_of[f.key], f"Dask worker failed: {type(e).__name__}: {e}")
            f.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
