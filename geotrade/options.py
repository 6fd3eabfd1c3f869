"""The one option vocabulary of the command line: parsers and bounds, defined once.

Every command that has an option of this list declares it with the same name and the same
meaning, and parses it with the function here. A bad value is a usage error (exit 2) that
names the option; it never reaches the engine.

==================  ==========================================================================
option              meaning
==================  ==========================================================================
``--years``         years, as a list and/or ranges: ``2012,2017,2022``, ``2017-2022``,
                    ``2012,2015-2017``; each year within :data:`YEAR_MIN`-:data:`YEAR_MAX`,
                    a range at most :data:`MAX_YEARS` long; omitted = every year in the data
``--focal``         ISO3 code of the focal economy (``CHN``)
``--hs``            HS codes: 2, 4 or 6 digits or ``TOTAL`` (``8507`` is the heading 8507,
                    never ``008507``); omitted = every product in the data
``--mirror``        whose record of a flow to use (:mod:`geotrade.mirror`): ``auto`` (default:
                    BACI and other reconciled data use each flow's single record for both
                    directions, Comtrade-style data the reporters' own records),
                    ``reporter``, ``partner``, ``max``, ``prefer-reporter``
``--k``             number of classes, :data:`K_MIN`-:data:`K_MAX`
``--scheme``        classification scheme, one of :data:`geotrade.classification.SCHEMES`
                    (aliases such as ``jenks`` and ``quantile`` accepted)
``--level``         geographic level of a table: ``country``, ``province`` or ``prefecture``
``--qgz``           also write an editable QGIS project (``.qgz``) of the product
                    GeoPackage: layers styled and grouped, the product's map CRS
==================  ==========================================================================

Examples
--------
>>> parse_years("2012,2015-2017")
[2012, 2015, 2016, 2017]
>>> parse_years(None) is None
True
>>> parse_hs("850760, 8507, 10121, total")
['850760', '8507', '010121', 'TOTAL']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "K_MAX",
    "K_MIN",
    "LEVELS",
    "MAX_YEARS",
    "MIRROR_CHOICES",
    "MIRROR_HELP",
    "YEAR_MAX",
    "YEAR_MIN",
    "CsvOption",
    "EngineOption",
    "FocalOption",
    "GpkgOption",
    "HsOption",
    "HtmlOption",
    "KOption",
    "LevelOption",
    "MdOption",
    "MirrorOption",
    "PdfOption",
    "PngOption",
    "ProductListOption",
    "QgzOption",
    "RequiredHsOption",
    "RequiredYearsOption",
    "SchemeOption",
    "UngaFocalOption",
    "UnknownCodesOption",
    "YearsOption",
    "check_k",
    "check_qgz",
    "parse_focal",
    "parse_hs",
    "parse_level",
    "parse_mirror",
    "parse_scheme",
    "parse_years",
    "present_years",
    "require_output",
]

#: Earliest and latest year any command accepts.
YEAR_MIN = 1900
YEAR_MAX = 2100
#: Longest year range (``YEAR_MAX - YEAR_MIN + 1``).
MAX_YEARS = YEAR_MAX - YEAR_MIN + 1
#: Fewest and most classes of a classification (the ColorBrewer sequential palettes stop at 9
#: colours; diverging and qualitative ones at 11-12).
K_MIN = 2
K_MAX = 12

_YEAR_RE = re.compile(r"^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$")


def _bad(option: str, message: str) -> typer.BadParameter:
    return typer.BadParameter(message, param_hint=f"'{option}'")


def parse_years(text: str | None, *, option: str = "--years") -> list[int] | None:
    """Parse a year list with ranges; ``None`` (option omitted) means every year.

    Raises :class:`typer.BadParameter` (exit 2, naming the option) for an empty value,
    anything that is not a year or a range, a year outside 1900-2100, or a reversed range.

    Examples
    --------
    >>> parse_years(" 2022, 2012 ,2017")
    [2012, 2017, 2022]
    >>> parse_years("2017-2022")
    [2017, 2018, 2019, 2020, 2021, 2022]
    >>> parse_years("2022-2017")
    Traceback (most recent call last):
    ...
    typer._click.exceptions.BadParameter: '2022-2017' is a reversed range; write 2017-2022
    """
    if text is None:
        return None
    parts = text.split(",")
    if not text.strip() or any(not p.strip() for p in parts):
        msg = f"expected years like 2012,2017,2022 or 2012-2022, got {text!r}"
        raise _bad(option, msg)
    years: set[int] = set()
    for part in parts:
        m = _YEAR_RE.match(part)
        if m is None:
            msg = f"expected a year (e.g. 2022) or a range (e.g. 2012-2022), got {part.strip()!r}"
            raise _bad(option, msg)
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) is not None else a
        for y in (a, b):
            if not YEAR_MIN <= y <= YEAR_MAX:
                msg = f"year {y} is outside {YEAR_MIN}-{YEAR_MAX} (in {part.strip()!r})"
                raise _bad(option, msg)
        if b < a:
            msg = f"{part.strip()!r} is a reversed range; write {b}-{a}"
            raise _bad(option, msg)
        years.update(range(a, b + 1))
    return sorted(years)


def parse_hs(text: str | None, *, option: str = "--hs") -> list[str] | None:
    """Parse HS codes at any product level; ``None`` (option omitted) means every product.

    Codes keep their level: ``8507`` is the heading, ``85`` the chapter, ``850760`` the
    subheading, ``TOTAL`` total trade. Dots are dropped (``8507.60``); an odd length means a
    lost leading zero (``10121`` -> ``010121``, ``101`` -> ``0101``, ``1`` -> ``01``).

    Examples
    --------
    >>> parse_hs("8507.60,85")
    ['850760', '85']
    >>> parse_hs("8507x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    typer._click.exceptions.BadParameter: hs filter: expected HS codes of 2 digits ...
    """
    if text is None:
        return None
    from geotrade.errors import InputFormatError
    from geotrade.io.canonical import normalise_hs_filter

    if not text.strip() or not text.replace(",", "").strip():
        msg = f"expected HS codes like 850760 or 8507, got {text!r}"
        raise _bad(option, msg)
    try:
        return normalise_hs_filter(text.replace(".", ""))
    except InputFormatError as exc:
        raise _bad(option, exc.message) from exc


def parse_focal(text: str, *, option: str = "--focal") -> str:
    """Check an ISO3 code (three letters), returned in upper case.

    Examples
    --------
    >>> parse_focal(" chn")
    'CHN'
    """
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        msg = f"expected an ISO3 code of three letters (e.g. CHN), got {text!r}"
        raise _bad(option, msg)
    return code


def check_k(k: int, *, option: str = "--k") -> int:
    """Check a number of classes (:data:`K_MIN`-:data:`K_MAX`).

    Examples
    --------
    >>> check_k(5)
    5
    >>> check_k(1000)
    Traceback (most recent call last):
    ...
    typer._click.exceptions.BadParameter: the number of classes must be between 2 and 12, got 1000
    """
    if not K_MIN <= k <= K_MAX:
        msg = f"the number of classes must be between {K_MIN} and {K_MAX}, got {k}"
        raise _bad(option, msg)
    return k


def parse_scheme(text: str, *, option: str = "--scheme") -> str:
    """Check a classification scheme name; return its canonical name.

    Accepts the names of :data:`geotrade.classification.SCHEMES` and their aliases
    (``jenks``, ``quantile``, ``boxplot`` ...), case-insensitively.

    Examples
    --------
    >>> parse_scheme("Jenks")
    'fisher_jenks'
    >>> parse_scheme("magic")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    typer._click.exceptions.BadParameter: expected one of fisher_jenks, quantiles, ...
    """
    from geotrade.classification import _ALIASES, SCHEMES, _choice
    from geotrade.errors import ClassificationError

    try:
        return _choice("scheme", text, SCHEMES, _ALIASES)
    except ClassificationError:
        msg = f"expected one of {', '.join(SCHEMES)}, got {text!r}"
        raise _bad(option, msg) from None


#: Values of ``--level``: the boundary sets a table can be joined to.
LEVELS: tuple[str, ...] = ("country", "province", "prefecture")


def parse_level(text: str, *, option: str = "--level") -> str:
    """Check a ``--level`` value (:data:`LEVELS`).

    Examples
    --------
    >>> parse_level(" Province")
    'province'
    """
    value = text.strip().lower()
    if value not in LEVELS:
        msg = f"expected one of {', '.join(LEVELS)}, got {text!r}"
        raise _bad(option, msg)
    return value


#: Values of ``--mirror`` (:data:`geotrade.mirror.MirrorChoice`).
MIRROR_CHOICES: tuple[str, ...] = ("auto", "reporter", "partner", "max", "prefer-reporter")
#: The help text of ``--mirror``, the same in every command.
MIRROR_HELP = (
    "Whose record of a flow to use: auto (BACI/reconciled data: each flow once; Comtrade: "
    "the reporters' own records) | reporter | partner | max | prefer-reporter."
)


def parse_mirror(text: str, *, option: str = "--mirror") -> str:
    """Check a ``--mirror`` value.

    Examples
    --------
    >>> parse_mirror("Prefer-Reporter")
    'prefer-reporter'
    """
    value = text.strip().lower()
    if value not in MIRROR_CHOICES:
        msg = f"expected one of {', '.join(MIRROR_CHOICES)}, got {text!r}"
        raise _bad(option, msg)
    return value


def present_years(
    requested: list[int] | None, available: object, *, path: object = None
) -> tuple[list[int] | None, list[str]]:
    """Keep the requested years that the data have; say which are missing.

    A requested year with no row at all is not a year of zero trade: it is reported (a
    warning per missing year) and left out. If none of the requested years is in the data,
    that is a :class:`~geotrade.errors.ValidationError` naming the years the data have.

    Examples
    --------
    >>> present_years([1999, 2022], [2021, 2022])
    ([2022], ['--years: 1999 is not in the data (years present: 2021-2022); left out'])
    >>> present_years(None, [2022])
    (None, [])
    """
    from geotrade.errors import Problem, ValidationError

    if requested is None:
        return None, []
    have = sorted({int(y) for y in available})  # type: ignore[attr-defined]
    span = (f"{have[0]}-{have[-1]}" if len(have) > 1 else str(have[0])) if have else "none"
    missing = [y for y in requested if y not in set(have)]
    kept = [y for y in requested if y in set(have)]
    if not kept:
        msg = (
            f"none of the requested years ({', '.join(map(str, requested[:10]))}"
            f"{' ...' if len(requested) > 10 else ''}) is in the data; years present: {span}"
        )
        raise ValidationError(
            [Problem(msg, path=None if path is None else str(path), column="--years")]
        )
    notes = [f"--years: {y} is not in the data (years present: {span}); left out" for y in missing]
    return kept, notes


# --- typer declarations: the options themselves, validated while the command line is parsed
# (before any file is read), so a bad value is always exit 2 naming the option.


def _years_cb(value: str | None) -> str | None:
    parse_years(value)
    return value


def _hs_cb(value: str | None) -> str | None:
    parse_hs(value)
    return value


def _mirror_cb(value: str) -> str:
    return parse_mirror(value)


def _focal_cb(value: str) -> str:
    return parse_focal(value)


def _unga_focal_cb(value: str | None) -> str | None:
    return None if value is None else parse_focal(value, option="--unga-focal")


def _k_cb(value: int) -> int:
    return check_k(value)


def _scheme_cb(value: str) -> str:
    return parse_scheme(value)


def _level_cb(value: str) -> str:
    return parse_level(value)


_YEARS_HELP = "Years: 2012,2017,2022 or ranges 2017-2022 (1900-2100; default: every year)."
#: ``--years`` (optional; omitted = every year in the data).
YearsOption = Annotated[str | None, typer.Option("--years", help=_YEARS_HELP, callback=_years_cb)]
#: ``--years`` where the command needs years (``fetch``).
RequiredYearsOption = Annotated[str, typer.Option("--years", help=_YEARS_HELP, callback=_years_cb)]
_HS_HELP = "HS codes at any level: 850760 (subheading), 8507 (heading), 85 (chapter), TOTAL."
#: ``--hs`` (optional; omitted = every product).
HsOption = Annotated[str | None, typer.Option("--hs", help=_HS_HELP, callback=_hs_cb)]
#: ``--hs`` where the command needs codes (``fetch``).
RequiredHsOption = Annotated[str, typer.Option("--hs", help=_HS_HELP, callback=_hs_cb)]
#: ``--mirror`` (default ``auto``).
MirrorOption = Annotated[str, typer.Option("--mirror", help=MIRROR_HELP, callback=_mirror_cb)]
#: ``--focal`` (required where present).
FocalOption = Annotated[
    str,
    typer.Option("--focal", help="ISO3 code of the focal economy, e.g. CHN.", callback=_focal_cb),
]
#: ``--unga-focal`` (``model design``: the economy the UNGA ideal point distance is measured to).
UngaFocalOption = Annotated[
    str | None,
    typer.Option(
        "--unga-focal",
        help="ISO3 of the economy the UNGA ideal point distance is measured to (with --unga).",
        callback=_unga_focal_cb,
    ),
]
#: ``--product-list`` (a shipped list's name or a CSV file of HS codes).
ProductListOption = Annotated[
    str | None,
    typer.Option(
        "--product-list",
        help="A shipped product list (geotrade products list; e.g. li_ion) or a CSV file of "
        "HS codes (column hs_code, optional sector).",
    ),
]

#: ``--lumped``: a code absent from the data's HS revision is replaced by its equivalent there.
LumpedOption = Annotated[
    bool,
    typer.Option(
        "--lumped",
        help="Where a code does not exist in the data's HS revision, use its equivalent there "
        "(the documented concordance, else the UNSD conversion table; 850760 -> 850780 "
        "before HS2012, a superset) and report the substitution.",
    ),
]


def _unknown_cb(value: str) -> str:
    v = value.strip().lower()
    if v not in ("error", "keep"):
        msg = f"expected error or keep, got {value!r}"
        raise _bad(option="--unknown-codes", message=msg)
    return v


#: ``--unknown-codes`` (the same choice on every command that reads flows).
UnknownCodesOption = Annotated[
    str,
    typer.Option(
        "--unknown-codes",
        help="Area codes in no code table: error (default: listed with their rows) or keep "
        "(analysed as economies without geometry, listed in the join report).",
        callback=_unknown_cb,
    ),
]


def _engine_cb(value: str) -> str:
    v = value.strip().lower()
    if v not in ("pandas", "duckdb"):
        msg = f"expected pandas or duckdb, got {value!r}"
        raise _bad(option="--engine", message=msg)
    return v


#: ``--engine`` (the same meaning on every trade command that has it).
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="pandas (reads the whole file, every check) or duckdb (scans canonical or "
        "BACI parquet/CSV out of core in bounded memory, for BACI-size files; on focal "
        "commands only the focal economy's rows are read and checked).",
        callback=_engine_cb,
    ),
]
#: ``--k`` (number of classes).
KOption = Annotated[
    int, typer.Option("--k", "-k", help=f"Number of classes ({K_MIN}-{K_MAX}).", callback=_k_cb)
]
#: ``--scheme`` (classification scheme; default ``fisher_jenks``, exact natural breaks).
SchemeOption = Annotated[
    str,
    typer.Option(
        "--scheme",
        help="fisher_jenks (exact natural breaks), quantiles, equal_interval, std_mean, "
        "head_tail_breaks, box_plot, pretty, user_defined (with --bins), symmetric.",
        callback=_scheme_cb,
    ),
]
#: ``--level`` (required where present).
LevelOption = Annotated[
    str,
    typer.Option(
        "--level",
        help="Boundary set of the table's keys: country (Natural Earth; ISO3, Comtrade "
        "numeric codes or names), province or prefecture (China; adcodes or names).",
        callback=_level_cb,
    ),
]


def _qgz_cb(value: object) -> object:
    if value is not None and not str(value).lower().endswith(".qgz"):
        msg = f"a QGIS project file must end in .qgz, got {str(value)!r}"
        raise _bad(option="--qgz", message=msg)
    return value


#: ``--qgz`` (optional): an editable QGIS project of the product's GeoPackage.
QgzOption = Annotated[
    Path | None,
    typer.Option(
        "--qgz",
        help="Also write an editable QGIS project (.qgz) of the GeoPackage: every layer "
        "styled and grouped, the product's map CRS; it opens the GeoPackage by a relative "
        "path (keep them together).",
        callback=_qgz_cb,
    ),
]


def check_qgz(qgz: object, gpkg: object) -> None:
    """Check that ``--gpkg`` is given with ``--qgz`` (the project opens the GeoPackage).

    Examples
    --------
    >>> check_qgz(None, None)
    >>> check_qgz("p.qgz", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    typer._click.exceptions.BadParameter: a QGIS project opens the product GeoPackage: ...
    """
    if qgz is not None and gpkg is None:
        msg = "a QGIS project opens the product GeoPackage: also give --gpkg"
        raise _bad(option="--qgz", message=msg)


# ---------------------------------------------------------------------------------------------
# outputs: the same names on every command (any subset, at least one where a command needs one)
# ---------------------------------------------------------------------------------------------

#: ``--gpkg``: the product's GeoPackage (layers with embedded QGIS styles and metadata).
GpkgOption = Annotated[
    Path | None,
    typer.Option("--gpkg", help="Output GeoPackage (styled layers, metadata)."),
]
#: ``--html``: offline web map of every layer.
HtmlOption = Annotated[Path | None, typer.Option("--html", help="Output web map (offline HTML).")]
#: ``--png``: print-ready static map(s); several layers -> ``<stem>_<layer>.png``.
PngOption = Annotated[
    Path | None,
    typer.Option(
        "--png", help="Output static map PNG (several layers: one file each, <stem>_<layer>.png)."
    ),
]
#: ``--pdf``: the same static map(s) as vector PDF.
PdfOption = Annotated[
    Path | None,
    typer.Option(
        "--pdf", help="Output static map PDF (several layers: one file each, <stem>_<layer>.pdf)."
    ),
]
#: ``--csv``: the product's main table.
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Output CSV of the main table.")]
#: ``--md``: Markdown report (``--report`` is the older name, kept as an alias).
MdOption = Annotated[Path | None, typer.Option("--md", "--report", help="Output Markdown report.")]


def require_output(**outputs: object) -> None:
    """Exit 2 unless at least one output option is given (names as ``--gpkg``...).

    Examples
    --------
    >>> require_output(gpkg=None, md="r.md")
    >>> try:
    ...     require_output(gpkg=None, png=None)
    ... except typer.BadParameter as e:
    ...     print(e.message)
    give at least one output: --gpkg, --png
    """
    if all(v is None for v in outputs.values()):
        names = "/".join(f"--{n}" for n in outputs)
        msg = f"give at least one output: {', '.join(names.split('/'))}"
        raise _bad(option=names, message=msg)
