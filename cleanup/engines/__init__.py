"""Engines run `batch.process_book` over many books and yield each book's
manifest entry as it finishes, in any order:

- `local.run(books, profile, jobs=N)`: a process pool on this machine;
- `dask_engine.run(books, profile, scheduler=ADDRESS)`: a dask.distributed cluster.

Both reuse each worker process for many books, so resources a stage loads
through a module-level cache (`lexicon.py`, `vocab.py`: a lexicon,
a symspell index) load once per worker, not once per book."""
