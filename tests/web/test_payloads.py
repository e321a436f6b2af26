"""The plain-dict payloads (titan_web/*/payloads.py) render byte for byte as the DRF
serializers they replace on the hot read paths, and the reads on the event loop
(titan_web/common/asyncdb.py) give the instances the ORM gives."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from rest_framework.renderers import JSONRenderer

from tests import factories
from tests.conftest import Api
from titan_web.backtests.apis.backtests import BacktestSerializer
from titan_web.backtests.models import BacktestRun
from titan_web.backtests.payloads import backtest_payload
from titan_web.common import asyncdb
from titan_web.common.renderers import JSONRenderer as TitanJSONRenderer
from titan_web.research.apis import PairDetailSerializer, PairSerializer
from titan_web.research.models import TradingPair
from titan_web.research.payloads import pair_payload

UTC = dt.UTC
NY = zoneinfo.ZoneInfo("America/New_York")


def render(data: Any) -> bytes:
    return JSONRenderer().render(data)


def _pairs() -> list[TradingPair]:
    owner = factories.make_user()
    a, b = factories.make_symbol("AAA"), factories.make_symbol("BBB")
    scan = factories.make_task(owner=owner)
    full = factories.make_pair(
        owner=owner,
        symbol_1=a,
        symbol_2=b,
        timeframe="1h",
        start=dt.datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        end=dt.datetime(2021, 6, 1, 9, 30, tzinfo=NY),
        hedge_ratio=1.25,
        intercept=-0.1,
        tstat=-3.5,
        pvalue=1e-12,
        qvalue=0.02,
        lag=3,
        half_life=12.5,
        correlation=0.9,
        hurst=0.41,
        stability_score=0.8,
        is_cointegrated=True,
        scan=scan,
        stats={"adf": {"stat": -3.5, "crit": [1.0, 2.5]}, "note": "ü", "n": None},
    )
    empty = factories.make_pair(owner=owner, symbol_1=b, symbol_2=a)
    return [full, empty]


async def test_pair_payload_renders_as_the_serializers() -> None:
    ids = [p.pk for p in await sync_to_async(_pairs)()]
    qs = TradingPair.objects.select_related("symbol_1", "symbol_2").filter(pk__in=ids)
    loaded = await asyncdb.aobjects(qs.order_by("pk"))
    assert [p.pk for p in loaded] == sorted(ids)
    for pair in loaded:
        assert render(pair_payload(pair, detail=True)) == render(PairDetailSerializer(pair).data)
        assert render(pair_payload(pair)) == render(PairSerializer(pair).data)
    # Unsaved instances with values the database would have normalised (microseconds, zones).
    pair = loaded[0]
    pair.start = dt.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=NY)
    pair.lag, pair.hedge_ratio = None, 2
    assert render(pair_payload(pair, detail=True)) == render(PairDetailSerializer(pair).data)


def _runs() -> list[int]:
    owner = factories.make_user()
    task = factories.make_task(owner=owner, kind="backtest", status="failed", error="boom")
    pair = factories.make_pair(owner=owner)
    common = {"owner": owner, "symbol_1": "KO", "symbol_2": "PEP", "timeframe": "1d"}
    runs = [
        BacktestRun.objects.create(
            **common,
            task=task,
            pair=pair,
            status="done",
            start=dt.datetime(2020, 1, 2, tzinfo=UTC),
            end=dt.datetime(2020, 12, 31, 16, 0, 0, 250000, tzinfo=UTC),
            finished_at=dt.datetime(2021, 1, 1, tzinfo=UTC),
            adaptive=True,
            params={"entry_z": 2.0, "exit_z": 0.5, "hedge": "static"},
            metrics={"sharpe": 1.5, "trades": 12, "max_drawdown": -0.1},
            result={"ts": ["2020-01-02T00:00:00Z"], "equity": [1.0]},
            warnings=[
                {"code": "few_trades", "message": "only 3 trades", "extra": 1},
                {"code": "gaps"},
                {"message": 42},
            ],
            lookahead={"ok": True, "checked": 10},
        ),
        BacktestRun.objects.create(**common, lookahead={"ok": False}),
        BacktestRun.objects.create(**common, lookahead={}, warnings=[]),
    ]
    return [r.pk for r in runs]


async def test_backtest_payload_renders_as_the_serializer() -> None:
    ids = await sync_to_async(_runs)()
    qs = BacktestRun.objects.select_related("task").defer("result").filter(pk__in=ids)
    loaded = await asyncdb.aobjects(qs.order_by("pk"))
    assert len(loaded) == 3
    for run in loaded:
        assert render(backtest_payload(run)) == render(BacktestSerializer(run).data)
    full = await BacktestRun.objects.select_related("task").aget(pk=ids[0])
    assert render(backtest_payload(full)) == render(BacktestSerializer(full).data)
    full.task = None
    assert render(backtest_payload(full)) == render(BacktestSerializer(full).data)


async def test_backtest_list_payload_from_the_list_selector() -> None:
    """The list reads ``params`` and ``metrics`` as stored text and only the task's status and
    error: the same values as the serializer of the fully loaded run."""
    from titan_web.backtests.selectors import backtest_list

    ids = await sync_to_async(_runs)()
    staff = await sync_to_async(factories.make_user)(is_staff=True)
    listed = await asyncdb.aobjects(backtest_list(user=staff).filter(pk__in=ids).order_by("pk"))
    full = await asyncdb.aobjects(
        BacktestRun.objects.select_related("task").defer("result").filter(pk__in=ids).order_by("pk")
    )
    assert len(listed) == len(full) == 3
    for run, ref in zip(listed, full, strict=True):
        ours = TitanJSONRenderer().render(backtest_payload(run))
        assert json.loads(ours) == json.loads(render(BacktestSerializer(ref).data))
    assert listed[2].metrics_json is None  # no metrics: null, not the text "null"


async def test_reads_on_the_loop_match_the_orm() -> None:
    ids = [p.pk for p in await sync_to_async(_pairs)()]
    qs = TradingPair.objects.select_related("symbol_1", "symbol_2", "scan").order_by("-pk")
    mine = await asyncdb.aobjects(qs)
    orm = [p async for p in qs]
    assert [p.pk for p in mine] == [p.pk for p in orm] == sorted(ids, reverse=True)
    for a, b in zip(mine, orm, strict=True):
        assert {f.attname: getattr(a, f.attname) for f in TradingPair._meta.concrete_fields} == {
            f.attname: getattr(b, f.attname) for f in TradingPair._meta.concrete_fields
        }
        assert a.symbol_1.ticker == b.symbol_1.ticker and a._state.adding is False
    assert await asyncdb.acount(qs) == await qs.acount() == 2
    assert await asyncdb.acount(qs.filter(pk=ids[0])) == 1
    assert await asyncdb.acount(qs.none()) == 0
    assert (await asyncdb.aget(qs, pk=ids[1])).pk == ids[1]
    with pytest.raises(TradingPair.DoesNotExist):
        await asyncdb.aget(qs, pk=max(ids) + 1000)
    with pytest.raises(TradingPair.MultipleObjectsReturned):
        await asyncdb.aget(qs)


async def test_pair_detail_and_lists_answer_the_payloads(api: Api, user: Any) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user, stats={"x": [1.5, None]})
    r = await api.get(f"/api/pairs/{pair.pk}/")
    assert r.status_code == 200
    loaded = await TradingPair.objects.select_related("symbol_1", "symbol_2").aget(pk=pair.pk)
    expected = PairDetailSerializer(loaded).data
    assert r.json() == json.loads(render(expected))
    # Every field byte for byte, then ``stats`` as the database stored it (not re-encoded).
    head = render({k: v for k, v in expected.items() if k != "stats"})
    assert r.content.startswith(head[:-1] + b',"stats":')
    assert json.loads(r.content[len(head) + len(b',"stats":') - 1 : -1]) == {"x": [1.5, None]}
    r = await api.get("/api/pairs/")
    assert r.json()["results"] == [PairSerializer(loaded).data] and r.json()["count"] == 1


async def test_async_reads_can_be_switched_off(settings: Any) -> None:
    ids = [p.pk for p in await sync_to_async(_pairs)()]
    qs = TradingPair.objects.select_related("symbol_1", "symbol_2").order_by("pk")
    settings.TITAN_ASYNC_READS = False
    assert asyncdb.enabled() is False
    assert [p.pk for p in await asyncdb.aobjects(qs)] == sorted(ids)
    assert await asyncdb.acount(qs) == 2


def _on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


async def test_postgres_reads_are_prepared_by_the_server() -> None:
    if not _on_postgres():
        pytest.skip("server-side binding is PostgreSQL's")
    pair = (await sync_to_async(_pairs)())[0]
    qs = TradingPair.objects.select_related("symbol_1", "symbol_2")
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert (await asyncdb.aget(qs, pk=pair.pk)).pk == pair.pk
    names = await asyncdb._executors.fetch(
        "default", "SELECT statement FROM pg_prepared_statements", []
    )
    assert any("research_tradingpair" in row[0] for row in names), names


async def test_what_the_server_cannot_bind_runs_client_bound() -> None:
    # "$1 IS NULL": PostgreSQL cannot type the parameter (42P18), a literal NULL it can; the
    # same expression in SELECT and GROUP BY is the other known case (Django ticket 34255).
    if not _on_postgres():
        pytest.skip("server-side binding is PostgreSQL's")
    from django.db.models.expressions import RawSQL

    ids = sorted(p.pk for p in await sync_to_async(_pairs)())
    qs = TradingPair.objects.annotate(unset=RawSQL("%s IS NULL", [None])).order_by("pk")
    for _ in range(2):
        mine = await asyncdb.aobjects(qs)
        assert [p.pk for p in mine] == ids and all(p.unset is True for p in mine)
    sql = qs.query.get_compiler(using="default").as_sql()[0]
    assert sql in asyncdb._PgConnections.client_bound
    # a query that fails either way raises what the ORM raises
    bad = TradingPair.objects.annotate(x=RawSQL("1 / %s", [0]))
    with pytest.raises(Exception, match="division by zero"):
        await asyncdb.aobjects(bad)
    assert [p.pk for p in await asyncdb.aobjects(TradingPair.objects.order_by("pk"))] == ids


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"capital": "1234.5", "cost_bps": 2, "email": "", "timezone": "America/New_York"},
        {"capital": "0.01", "borrow_rate": 0.0325, "is_staff": True},
        {"capital": "999999999999999.99", "default_params": {"lookback": 30, "stop_z": None}},
    ],
)
async def test_me_payload_renders_as_the_serializer(fields: dict[str, Any]) -> None:
    from decimal import Decimal

    from titan_web.accounts.apis import UserMeApi
    from titan_web.accounts.models import User
    from titan_web.accounts.payloads import me_payload

    def make() -> User:
        user = factories.make_user()
        for name, value in fields.items():
            setattr(user, name, Decimal(value) if name == "capital" else value)
        user.save()
        return User.objects.get(pk=user.pk)  # as the database gives it back

    user = await sync_to_async(make)()
    expected = UserMeApi.OutputSerializer(user).data
    assert render(me_payload(user)) == render(expected)
    assert TitanJSONRenderer().render(me_payload(user)) == TitanJSONRenderer().render(expected)


async def test_me_answers_the_payload(api: Api, user: Any) -> None:
    from titan_web.accounts.apis import UserMeApi

    r = await api.get("/api/auth/me")
    assert r.status_code == 200
    assert r.json() == json.loads(render(UserMeApi.OutputSerializer(user).data))
