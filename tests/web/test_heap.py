"""The web process's garbage collector (``web/heap.py``): thresholds raised, the warm heap frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from talentbridge.web import heap


@pytest.fixture
def restore_gc() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


def test_tune_raises_the_thresholds(restore_gc: None) -> None:
    gc.set_threshold(700, 10, 10)
    heap.tune()
    assert gc.get_threshold() == heap.THRESHOLDS
    assert heap.THRESHOLDS[0] > 700


def test_settle_collects_cycles_and_freezes_what_is_alive(restore_gc: None) -> None:
    class Node:
        pass

    kept = Node()
    kept.me = kept  # type: ignore[attr-defined]  # a cycle that stays alive
    dropped = Node()
    dropped.me = dropped  # type: ignore[attr-defined]
    gone = weakref.ref(dropped)
    del dropped  # a cycle only the collector frees
    heap.settle()
    assert gone() is None  # freed by the collection
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # frozen: in no generation a collection scans
    # a frozen cycle that dies later is freed by the next settle (it unfreezes before collecting)
    later = weakref.ref(kept)
    del kept
    assert later() is not None
    heap.settle()
    assert later() is None
