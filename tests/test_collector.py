"""collector.paused(): the cyclic collector is off inside, back as it was after, and what the block kept does not
wait in the youngest generation for the next collection to walk it."""

from __future__ import annotations

import gc

import pytest

from xcloud_iac import collector
from xcloud_iac.spec import SpecError, load_text


@pytest.fixture(autouse=True)
def _enabled():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_restored_after() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_inner_block_leaves_it_paused_for_the_outer_one() -> None:
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_exception() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_what_the_block_kept_joins_the_oldest_generation() -> None:
    gc.collect()
    with collector.paused():
        kept = [[i] for i in range(100_000)]
        assert gc.get_count()[0] >= 100_000  # all of it would wait for the next young collection ...
    assert gc.get_count()[0] < 1_000  # ... which now walks none of it
    assert len(kept) == 100_000 and gc.is_tracked(kept[0])  # still alive, still known to the collector


def test_a_bad_file_leaves_the_collector_on() -> None:
    with pytest.raises(SpecError):
        load_text("name: [unclosed\n", "bad.yaml")
    assert gc.isenabled()
