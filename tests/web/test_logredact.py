"""The log filter that removes query strings from every log line (titan_web/common/logredact)."""

from __future__ import annotations

import logging

import pytest

from titan_web.common.logredact import QueryStringFilter, redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '127.0.0.1:5 - "WebSocket /ws/stream/?token=eyJ.a.b" [accepted]',
            '127.0.0.1:5 - "WebSocket /ws/stream/" [accepted]',
        ),
        ('"GET /api/pairs/?limit=5&token=x HTTP/1.1" 200', '"GET /api/pairs/ HTTP/1.1" 200'),
        ("see http://h:8000/api/x/?a=1 now", "see http://h:8000/api/x/ now"),
        ("no query here: what?", "no query here: what?"),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_the_filter_rewrites_the_formatted_message() -> None:
    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:1", "/ws/stream/?token=secret"),
        None,
    )
    assert QueryStringFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:1 - "WebSocket /ws/stream/" [accepted]'
