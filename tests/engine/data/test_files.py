"""CSV/Parquet providers: layouts, aliases, errors, chunking, and a malformed-input property."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.data import (
    CsvProvider,
    DataError,
    DataFormatError,
    FileProvider,
    ParquetProvider,
    collect,
    read_bars,
)

LONG = b"""Date,Symbol,Open,High,Low,Close,Volume
2024-01-02,KO,60.0,61.0,59.5,60.5,1000
2024-01-02,PEP,170.0,171.0,169.0,170.5,2000
2024-01-03,KO,60.5,61.5,60.0,61.0,1100
2024-01-03,PEP,170.5,172.0,170.0,171.5,
"""


def test_long_layout_with_symbol_column():
    report = read_bars(LONG)
    assert report.ok and report.n_input == 4
    frame = report.to_frame()
    assert frame["symbol"].tolist() == ["KO", "PEP", "KO", "PEP"]
    assert frame["close"].tolist() == [60.5, 170.5, 61.0, 171.5]
    assert np.isnan(frame["volume"].iloc[3])
    assert str(frame["ts"].dt.tz) == "UTC"


@pytest.mark.parametrize(
    "header",
    [
        "date,o,h,l,c,v",
        "Datetime,Open,High,Low,Close,Volume",
        "timestamp,OPEN,HIGH,LOW,CLOSE,VOLUME",
        "<DATE>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>",
        "time,open,high,low,price,vol",
        "Date,Open,High,Low,Adj Close,Volume",
        "ts,open,high,low,adj_close,volume",
    ],
)
def test_column_aliases(header):
    body = f"{header}\n2024-01-02,10,11,9,10.5,7\n".encode()
    report = read_bars(body, symbol="X")
    assert report.ok
    assert (report.open[0], report.high[0], report.low[0], report.close[0], report.volume[0]) == (
        10.0,
        11.0,
        9.0,
        10.5,
        7.0,
    )
    assert report.symbol.tolist() == ["X"]


def test_close_preferred_over_adj_close():
    body = b"Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10.5,9.9,7\n"
    assert read_bars(body, symbol="X").close.tolist() == [10.5]


def test_separate_date_and_time_columns_and_timeframe_option():
    body = b"Date,Time,Open,High,Low,Close\n2024-01-02,14:30,1,2,0.5,1.5\n2024-01-02,14:35,1,2,0.5,1.5\n"
    report = read_bars(body, symbol="X", timeframe="5m")
    assert pd.DatetimeIndex(report.ts).strftime("%H:%M").tolist() == ["14:30", "14:35"]
    assert set(report.timeframe) == {"5m"}


def test_timeframe_column_and_ticker_alias():
    body = b"ticker,interval,datetime,close\nAAA,1h,2024-01-02T10:00:00+01:00,5\nAAA,2h,2024-01-02T11:00:00+01:00,5\n"
    report = read_bars(body)
    assert pd.DatetimeIndex(report.ts).strftime("%H:%M").tolist() == ["09:00"]
    assert report.rejected == [
        {
            "row": 1,
            "reason": "unknown timeframe (allowed: 1m, 5m, 15m, 1h, 1d, 1w, 1mo)",
            "symbol": "AAA",
        }
    ]


def test_close_only_long_file_sets_ohlc_equal():
    report = read_bars(b"date,sym,price\n2024-01-02,A,3.5\n")
    assert (report.open[0], report.high[0], report.low[0], report.close[0]) == (3.5,) * 4


def test_symbol_from_file_name(tmp_path):
    path = tmp_path / "MSFT.csv"
    path.write_text("Date,Close\n2024-01-02,370.0\n")
    assert read_bars(path).symbol.tolist() == ["MSFT"]


def test_wide_layout_like_bundled_dataset():
    body = b"Date,AAA,BBB\n2024-01-02,1.5,\n2024-01-03,1.6,2.5\n2024-01-04,x,2.6\n"
    report = read_bars(body)
    assert report.n_input == 6
    assert report.n_accepted == 4
    assert report.rejected == [
        {"row": 0, "reason": "missing value in close", "symbol": "BBB"},
        {"row": 2, "reason": "non-numeric value in close", "symbol": "AAA"},
    ]
    batches = report.batches()
    assert [(b.symbol, b.close.tolist()) for b in batches] == [
        ("AAA", [1.5, 1.6]),
        ("BBB", [2.5, 2.6]),
    ]
    assert np.array_equal(batches[0].open, batches[0].close)
    assert np.isnan(batches[0].volume).all()


def test_gzip_and_bundled_file():
    report = read_bars(gzip.compress(LONG))
    assert report.n_accepted == 4
    full = read_bars("engine/data/datasets/sp500_daily_1990_2022.csv.gz")
    assert full.n_input == 8313 * 20 and full.ok


def test_parquet_long_and_wide(tmp_path):
    frame = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2024-01-02 15:00", "2024-01-02 16:00"]).tz_localize(
                "America/New_York"
            ),
            "Ticker": ["A", "A"],
            "Open": [1.0, 1.1],
            "High": [1.2, 1.3],
            "Low": [0.9, 1.0],
            "Close": [1.1, 1.2],
            "Volume": [10, 20],
            "Interval": ["1h", "1h"],
        }
    )
    path = tmp_path / "bars.parquet"
    frame.to_parquet(path)
    report = read_bars(path, naive_tz=None)
    assert report.ok
    assert pd.DatetimeIndex(report.ts).strftime("%H:%M").tolist() == ["20:00", "21:00"]
    wide = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-02", "2024-01-03"]), "X": [1.0, np.nan], "Y": [2.0, 3.0]}
    )
    buf = io.BytesIO()
    wide.to_parquet(buf)
    report = ParquetProvider(buf.getvalue()).report()
    assert report.n_input == 4 and report.n_accepted == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"Date,Close\n", "no data rows"),
        (b"foo,bar\n1,2\n", "no timestamp column"),
        (b"Date,Open,Close\n2024-01-02,1,2\n", "has open but no high, low"),
        (b"Date,Symbol,Volume\n2024-01-02,A,1\n", "needs a close column"),
        (b"Date,Close\n2024-01-02,abc\n2024-01-03,def\n", "column 'Close' has no numeric values"),
        (b"Date,AAA\n2024-01-01,x\n", "column 'AAA' has no numeric values"),
        (b"Date,Open,o,High,Low,Close\n2024-01-02,1,1,1,1,1\n", "all mean 'open'"),
        (b"Date,Open,open,High,Low,Close\n2024-01-02,1,1,1,1,1\n", "duplicate column name 'open'"),
        (b"Date,,Close\n2024-01-02,1,1\n", "column 2 has values but no header name"),
        (b"Date,Volume\n2024-01-02,1\n", "needs a close column"),
        (b"\xff\xfe\x00D", "not UTF-8"),
        (b'Date,Close\n"2024-01-02,1\n', "malformed CSV"),
        (b"\x1f\x8b\x08garbage", "corrupt gzip"),
        (b"PAR1garbage", "not a readable Parquet"),
    ],
)
def test_format_errors_name_the_problem(body, message):
    with pytest.raises(DataFormatError, match=message):
        read_bars(body, symbol="S")


def test_bytes_long_file_without_symbol_needs_option():
    with pytest.raises(DataFormatError, match="pass symbol="):
        read_bars(b"Date,Close\n2024-01-02,1\n")


def test_missing_file(tmp_path):
    with pytest.raises(DataFormatError, match="cannot read"):
        read_bars(tmp_path / "nope.csv")


async def test_provider_chunks_per_symbol():
    body = "Date,A,B\n" + "".join(f"2024-01-{d:02d},{d},{d + 100}\n" for d in range(1, 11))
    batches = await collect(CsvProvider(body.encode(), batch_size=4))
    assert [(b.symbol, len(b)) for b in batches] == [
        ("A", 4),
        ("A", 4),
        ("A", 2),
        ("B", 4),
        ("B", 4),
        ("B", 2),
    ]
    assert batches[1].close.tolist() == [5.0, 6.0, 7.0, 8.0]


async def test_provider_strict_raises_on_rejections():
    body = b"Date,Close\n2024-01-02,1\n2024-01-03,-1\n"
    assert len(await collect(FileProvider(body, symbol="S"))) == 1
    with pytest.raises(DataFormatError, match="1 row\\(s\\) rejected; first: row 1"):
        await collect(FileProvider(body, symbol="S", strict=True))


# --- property: malformed input never escapes as anything but DataError ----------------

_HEADERS = [
    "Date",
    "date",
    "Datetime",
    "timestamp",
    "time",
    "Open",
    "o",
    "High",
    "h",
    "Low",
    "l",
    "Close",
    "c",
    "Adj Close",
    "price",
    "Volume",
    "v",
    "Symbol",
    "ticker",
    "AAA",
    "BBB",
    "junk",
    "",
    "Interval",
]
_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "nan",
            "N/D",
            "abc",
            "1e400",
            "-1e400",
            "1e308",
            "-5",
            "0",
            "inf",
            "2024-01-02",
            "2024-01-02T10:00:00+05:30",
            "2024-01-02 10:00Z",
            "2024-13-45",
            "9999-12-31",
            "1d",
            "1m",
            "KO",
            "true",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789-:T+Z. e", max_size=25),
)


@st.composite
def csv_tables(draw):
    n_cols = draw(st.integers(min_value=2, max_value=7))
    header = draw(st.lists(st.sampled_from(_HEADERS), min_size=n_cols, max_size=n_cols))
    n_rows = draw(st.integers(min_value=0, max_value=8))
    cells = [draw(st.lists(_CELLS, min_size=n_cols, max_size=n_cols)) for _ in range(n_rows)]
    return header, cells


def _check_report(report, body):
    assert report.n_accepted + report.n_rejected == report.n_input
    assert report.rows.shape[0] == report.n_accepted
    assert all(isinstance(r["reason"], str) and r["reason"] for r in report.rejected)
    assert np.isfinite(report.close).all() and (report.close > 0).all()
    assert (report.high >= report.low).all()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_tables())
def test_malformed_tables_raise_data_error_or_account_for_every_row(table):
    header, cells = table
    body = (",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in cells)).encode()
    try:
        report = read_bars(
            body, symbol=None if any(h.lower() in ("symbol", "ticker") for h in header) else "SYM"
        )
    except DataError:
        return
    _check_report(report, body)
    # independent count of input rows: long = one per line, wide = one per symbol cell
    keys = {h.strip().lower().replace(" ", "_") for h in header}
    ohlc = {
        "open",
        "o",
        "high",
        "h",
        "low",
        "l",
        "close",
        "c",
        "adj_close",
        "price",
        "symbol",
        "ticker",
        "volume",
        "v",
        "interval",
    }
    if keys & ohlc:
        assert report.n_input == len(cells)
    else:
        ts_like = {"date", "datetime", "timestamp", "time"}
        n_ts = sum(1 for h in header if h.strip().lower() in ts_like)
        assert report.n_input == len(cells) * (len(header) - n_ts)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_escape(body):
    try:
        report = read_bars(body, symbol="SYM")
    except DataError:
        return
    _check_report(report, body)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "2024-01-02T10:00:00+02:00",
                "2024-01-02 08:00:00",
                "2024-01-02T03:00:00-05:00",
                "2024-01-02T08:00Z",
                "2024-01-02T08:00:00.000+00:00",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mixed_zones_same_instant(ts_values):
    body = "ts,close\n" + "".join(f"{t},1\n" for t in ts_values)
    report = read_bars(body.encode(), symbol="S", timeframe="1h", duplicates="keep_first")
    # all spellings are 08:00 UTC: exactly one survives
    assert report.n_accepted == 1
    assert pd.DatetimeIndex(report.ts)[0] == pd.Timestamp("2024-01-02 08:00")
    assert report.n_rejected == len(ts_values) - 1
