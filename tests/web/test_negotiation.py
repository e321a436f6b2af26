"""The remembered content negotiation answers as DRF's own does (negotiation.py)."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from titan_web.common import negotiation
from titan_web.common.negotiation import ContentNegotiation
from titan_web.common.renderers import JSONRenderer as TitanJSONRenderer

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/*",
    "text/html",
]


def _request(accept: str | None, query: str = "") -> Request:
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    return Request(APIRequestFactory().get("/api/x/" + query, **headers))


def _outcome(negotiator: object, request: Request, renderers: list) -> object:
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers)  # type: ignore[attr-defined]
    except NotAcceptable:
        return 406
    assert any(renderer is r for r in renderers)  # this request's own renderer instance
    return type(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
def test_the_same_answer_as_drf_first_time_and_after(accept: str | None, query: str) -> None:
    negotiation._answers.clear()
    classes = [TitanJSONRenderer, BrowsableAPIRenderer]
    drf = _outcome(DefaultContentNegotiation(), _request(accept, query), [cls() for cls in classes])
    for _ in range(3):  # the first answer is computed, the next two are remembered
        mine = _outcome(ContentNegotiation(), _request(accept, query), [c() for c in classes])
        assert mine == drf


def test_an_unacceptable_request_is_refused_every_time() -> None:
    negotiation._answers.clear()
    for _ in range(2):
        with pytest.raises(NotAcceptable):
            ContentNegotiation().select_renderer(_request("image/png"), [JSONRenderer()])
    assert not negotiation._answers


def test_the_table_stays_bounded() -> None:
    negotiation._answers.clear()
    for i in range(negotiation.MAX_ENTRIES * 2 + 3):
        ContentNegotiation().select_renderer(_request(f"application/json; v={i}"), [JSONRenderer()])
    assert len(negotiation._answers) <= negotiation.MAX_ENTRIES
    long_header = "application/json, " + "x/y, " * 200
    ContentNegotiation().select_renderer(_request(long_header), [JSONRenderer()])
    assert all(len(k[0]) <= negotiation.MAX_HEADER for k in negotiation._answers)
