"""Fixtures shared by the service tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def fresh_indexes() -> Iterator[None]:
    """No talent index, index version or change-bus listener of another test, before and after."""
    from talentbridge.services.change_bus import close_change_buses
    from talentbridge.services.talent_index import reset_indexes

    reset_indexes()
    yield
    reset_indexes()
    close_change_buses()
