"""A progress bar for one book that takes a while (a 1.6 MB book cleans in about
5 s): shown on stderr, only on a terminal, and only once the book has taken more
than `delay` seconds, so small books print nothing extra.

The stages report when they start; a timer thread redraws the bar (stage name,
elapsed time) while a long stage runs, since a stage reports nothing inside itself."""
from __future__ import annotations

import sys
import threading
import time

DELAY = 2.0  # seconds before a bar appears
REDRAW = 0.5  # seconds between redraws while a step runs


class BookProgress:
    """`with BookProgress(name, steps) as p: p.step("words") …`: a bar over the steps."""

    def __init__(self, name: str, steps: list[str], enabled: bool | None = None, delay: float = DELAY):
        self.name, self.steps = name, list(steps)
        self.done, self.current = 0, ""
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.delay = delay
        self._bar = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self) -> "BookProgress":
        self._t0 = time.time()
        if self.enabled:
            self._thread = threading.Thread(target=self._draw, name="cleanup-progress", daemon=True)
            self._thread.start()
        return self

    def step(self, label: str) -> None:
        """A step starts (the one before it is finished)."""
        with self._lock:
            if self.current:
                self.done += 1
            self.current = label
            if self._bar is not None:
                self._show()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._bar is not None:
            self._bar.close()

    # -- drawing (timer thread) -------------------------------------------------------
    def _draw(self) -> None:
        if self._stop.wait(self.delay):
            return  # finished before the bar was due
        try:
            from tqdm import tqdm
        except ImportError:
            return
        with self._lock:
            self._bar = tqdm(total=len(self.steps), desc=f"{self.name}: {self.current}", unit="step",
                             file=sys.stderr, leave=False, initial=self.done,
                             dynamic_ncols=True, bar_format="{desc} {percentage:3.0f}%|{bar}| [{elapsed}]")
            self._bar.start_t = self._t0  # elapsed since the book started, not since the bar did
            self._show()
        while not self._stop.wait(REDRAW):
            with self._lock:
                self._bar.refresh()

    def _show(self) -> None:
        self._bar.n = min(self.done, len(self.steps))
        self._bar.set_description_str(f"{self.name}: {self.current}", refresh=False)
        self._bar.refresh()
