from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(predicate: Callable[[], object], *, timeout: float = 30, every: float = 0.05):
    """Poll until ``predicate()`` is truthy; fail with what it last returned."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"Gave up after {timeout}s; last result: {last!r}")
