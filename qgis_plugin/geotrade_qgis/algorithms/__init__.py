"""The geotrade Processing algorithms, one module per concern."""

from .classify import ClassifyAlgorithm
from .data import DemoAlgorithm, SampleDataAlgorithm
from .layout import PrintLayoutAlgorithm
from .models import GravityModelAlgorithm, NegativeBinomialAlgorithm
from .recycling import MismatchAlgorithm, PrefectureMatchingAlgorithm, ProvinceCapacityAlgorithm
from .shares import SharesAlgorithm
from .table_map import TableMapAlgorithm
from .trade import InterdependenceAlgorithm, TradeSummaryAlgorithm
from .unit_values import UnitValuesAlgorithm

__all__ = ["ALGORITHMS"]

ALGORITHMS = (
    InterdependenceAlgorithm,
    TradeSummaryAlgorithm,
    SharesAlgorithm,
    UnitValuesAlgorithm,
    ProvinceCapacityAlgorithm,
    PrefectureMatchingAlgorithm,
    MismatchAlgorithm,
    ClassifyAlgorithm,
    TableMapAlgorithm,
    NegativeBinomialAlgorithm,
    GravityModelAlgorithm,
    PrintLayoutAlgorithm,
    SampleDataAlgorithm,
    DemoAlgorithm,
)
