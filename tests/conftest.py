"""Fixtures shared by the test files."""

import pytest

from scripted_smtp import Farm


@pytest.fixture
def farm():
    """Scripted SMTP servers on a block of loopback addresses, for one test."""
    with Farm() as farm:
        yield farm
