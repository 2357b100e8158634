"""Fixtures for component tests: fresh Pulumi mocks with a recorder of every registration (see mocks.py)."""

from __future__ import annotations

import pytest

from .mocks import Mocks, Recorder, install


@pytest.fixture
def pulumi_mocks() -> tuple[Mocks, Recorder]:
    return install()


@pytest.fixture
def recorder(pulumi_mocks: tuple[Mocks, Recorder]) -> Recorder:
    return pulumi_mocks[1]
