"""Market data for the TITAN engine: bar batches, validation, providers, quality checks.

Pure Python (numpy, pandas, httpx); never imports Django. Providers are async iterators of
:class:`BarBatch` objects (``async for batch in provider.batches()``).
"""

from engine.data.base import (
    BarBatch,
    BarProvider,
    collect,
    collect_by_symbol,
    concat_batches,
    empty_batch,
)
from engine.data.demo import DEMO_SYMBOLS, DemoProvider, load_demo_closes
from engine.data.errors import DataError, DataFormatError, ProviderError, ProviderFetchError
from engine.data.files import CsvProvider, FileProvider, ParquetProvider, read_bars
from engine.data.http import (
    FetchReport,
    HttpBarProvider,
    StooqProvider,
    SymbolError,
    YahooChartProvider,
)
from engine.data.quality import (
    QualityReport,
    SourceComparison,
    compare_sources,
    quality_report,
    robust_zscores,
)
from engine.data.resample import resample_bars
from engine.data.synthetic import PairTruth, SyntheticProvider, SyntheticUniverse, make_universe
from engine.data.validate import ValidationReport, validate_bars

__all__ = [
    "DEMO_SYMBOLS",
    "BarBatch",
    "BarProvider",
    "CsvProvider",
    "DataError",
    "DataFormatError",
    "DemoProvider",
    "FetchReport",
    "FileProvider",
    "HttpBarProvider",
    "PairTruth",
    "ParquetProvider",
    "ProviderError",
    "ProviderFetchError",
    "QualityReport",
    "SourceComparison",
    "StooqProvider",
    "SymbolError",
    "SyntheticProvider",
    "SyntheticUniverse",
    "ValidationReport",
    "YahooChartProvider",
    "collect",
    "collect_by_symbol",
    "compare_sources",
    "concat_batches",
    "empty_batch",
    "load_demo_closes",
    "make_universe",
    "quality_report",
    "read_bars",
    "resample_bars",
    "robust_zscores",
    "validate_bars",
]
