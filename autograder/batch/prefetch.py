"""Prepare items in a background thread ahead of their consumer."""
from __future__ import annotations

import queue
import threading


class prefetched:
    """Iterate over `items` computed in a background thread that keeps up to `ahead` of
    them ready, so preparing the next job overlaps running the current ones. An exception
    raised while computing an item is raised again by the iteration. Use as a context
    manager: leaving it stops the thread (and waits for the item in progress)."""

    _END = object()

    def __init__(self, items, ahead: int):
        self._items = iter(items)
        self._ready: queue.Queue = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, daemon=True, name="prefetch")

    def _fill(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._put(exc)
            return
        self._put(self._END)

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        return self

    def __next__(self):
        item = self._ready.get()
        if item is self._END or isinstance(item, BaseException):
            self._ready.put(item)  # every later call ends the same way
            if item is self._END:
                raise StopIteration
            raise item
        return item

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
