from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import engine.compute as compute


@pytest.fixture(autouse=True)
def _isolated_compute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from the built-in defaults and leaves no executor or worker behind."""
    for name in list(os.environ):
        if name.startswith(("TITAN_COMPUTE", "TITAN_DASK")):
            monkeypatch.delenv(name)
    compute.shutdown_sync(timeout=5)
    compute.configure()
    yield
    compute.shutdown_sync(timeout=5)
    compute.configure()
