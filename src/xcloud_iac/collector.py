"""Pausing Python's cyclic garbage collector around bulk work.

Loading, checking and planning an organisation allocate millions of short-lived objects on top of a model of
hundreds of thousands. Each full collection walks all of them, while reference counting alone frees nearly
everything. Measured in docs/performance.md: the collector was 60% of a check at 10,000 networks and of a plan at
100 networks.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic collector for the block and restore its previous state after (also on an exception, and
    when nested: the inner block leaves it paused for the outer one).

    Everything the block allocated and kept is still in the youngest generation when it ends, so the first
    collection after it would walk all of it (0.6 s after a plan of 100 networks). Instead, the survivors join the
    oldest generation unscanned (freeze, then unfreeze): they are collected - with any cycles among them, such as
    Pulumi's resources and their outputs - by the next full collection, when the process has allocated enough to
    call for one."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
