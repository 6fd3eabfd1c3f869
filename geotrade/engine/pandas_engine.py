"""In-memory (pandas) path of the engine: load a source into a canonical table, pair metrics.

:func:`load_flows` reads any source (see :mod:`geotrade.engine.sources`) into the canonical
columns with pyarrow, reading only the needed columns and filtering years and products
while reading. :func:`pair_interdependence_pandas` is the engine's own pandas version of the
all-pairs Grubel-Lloyd table (same definition as the DuckDB SQL); the ``"pandas"`` engine
delegates to :func:`geotrade.metrics.network.pair_interdependence` when that module is
installed and falls back to this one otherwise.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "KOR", "CHN"],
...     "partner_iso3": ["KOR", "CHN", "WLD"], "flow": "export", "hs_code": "850760",
...     "value_usd": [300.0, 100.0, 400.0]})
>>> t = pair_interdependence_pandas(flows)
>>> t[["iso3", "partner_iso3", "gl", "index", "dependence_class"]]
  iso3 partner_iso3   gl  index dependence_class
0  CHN          KOR  0.5    0.5      partner_low
1  KOR          CHN  0.5   -0.5        focal_low
>>> t.attrs["excluded"][["code", "reason", "rows", "value_usd"]]
  code                        reason  rows  value_usd
0  WLD  aggregate or missing partner     1      400.0
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from geotrade.engine.sources import Source, baci_code_table
from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.schema import is_aggregate_code as _schema_is_aggregate
from geotrade.schema import normalise_codes

__all__ = [
    "EXCLUDED_COLUMNS",
    "PAIR_COLUMNS",
    "classify_pairs",
    "hs_series",
    "is_aggregate_code",
    "load_flows",
    "normalise_hs",
    "pair_interdependence_pandas",
]

#: Columns of the all-pairs table, in order.
PAIR_COLUMNS: tuple[str, ...] = (
    "year",
    "iso3",
    "partner_iso3",
    "exports",
    "imports",
    "gl",
    "index",
    "dependence_class",
)
#: Columns of ``attrs["excluded"]``.
EXCLUDED_COLUMNS: tuple[str, ...] = ("year", "code", "reason", "rows", "value_usd")


def normalise_hs(hs_codes: Iterable[object] | None) -> list[str] | None:
    """HS filter codes of 2, 4 or 6 digits or TOTAL (odd lengths get their zero back), or ``None``.

    See :func:`geotrade.io.canonical.normalise_hs_filter`; codes are never padded to 6
    digits (``8507`` is the heading, matched with its subheadings by :func:`hs_keep`).

    Examples
    --------
    >>> normalise_hs([850760, "10121", " 854140 ", "8507"])
    ['850760', '010121', '854140', '8507']
    """
    if hs_codes is None:
        return None
    from geotrade.io.canonical import normalise_hs_filter

    return normalise_hs_filter([str(h).strip().removesuffix(".0") for h in hs_codes])


def hs_series(codes: pd.Series) -> pd.Series:
    """HS codes of a column normalised (odd lengths get their leading zero back; TOTAL).

    Examples
    --------
    >>> hs_series(pd.Series([850760, "10121", "total", "8507"])).tolist()
    ['850760', '010121', 'TOTAL', '8507']
    """
    from geotrade.io.canonical import normalise_hs as _norm

    s = codes.astype(str).str.strip().str.removesuffix(".0")
    return _norm(s)[0].astype(object)


def hs_keep(codes: pd.Series, hs: list[str]) -> pd.Series:
    """Rows matching the HS filter (a heading keeps its subheadings), see ``hs_match``.

    Examples
    --------
    >>> hs_keep(pd.Series(["850760", "850440"]), ["8507"]).tolist()
    [True, False]
    """
    from geotrade.io.canonical import hs_match

    return hs_match(hs_series(codes), hs)


def is_aggregate_code(codes: pd.Series) -> pd.Series:
    """Flag codes that are an aggregate, a "nes" area or missing (:mod:`geotrade.schema`).

    Historical economies (``SUN``, ``_58``) and unknown kept codes are economies.

    Examples
    --------
    >>> is_aggregate_code(pd.Series(["USA", "WLD", "_899", None, "", "CSK"])).tolist()
    [False, True, True, True, True, False]
    """
    return _schema_is_aggregate(codes)


def classify_pairs(
    x: np.ndarray, m: np.ndarray, *, high: float, low: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``gl``, signed ``index`` and ``dependence_class`` for exports ``x``, imports ``m``.

    Same convention as :func:`geotrade.metrics.trade.interdependence`:
    ``gl = 2 min(X, M) / (X + M)``, ``index = +gl`` if ``X >= M`` else ``-gl`` (never -0.0).

    Examples
    --------
    >>> gl, idx, cls = classify_pairs(np.array([10.0, 0.0, 5.0]), np.array([90.0, 3.0, 5.0]),
    ...                               high=0.2, low=0.5)
    >>> gl.tolist(), idx.tolist(), cls.tolist()
    ([0.2, 0.0, 1.0], [-0.2, 0.0, 1.0], ['focal_high', 'focal_one_way', 'balanced'])
    """
    x = np.asarray(x, dtype=float)
    m = np.asarray(m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gl = 2.0 * np.minimum(x, m) / (x + m)
    index = np.where(x >= m, gl, -gl) + 0.0
    side = np.where(x > m, "partner_", "focal_")
    degree = np.select(
        [np.minimum(x, m) == 0, gl <= high, gl < low], ["one_way", "high", "moderate"], "low"
    )
    cls = np.char.add(side.astype("U8"), degree.astype("U8")).astype(object)
    cls[x == m] = "balanced"
    return gl, index, cls


def _excluded_frame(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(
            {
                "year": pd.Series(dtype="int64"),
                "code": pd.Series(dtype=object),
                "reason": pd.Series(dtype=object),
                "rows": pd.Series(dtype="int64"),
                "value_usd": pd.Series(dtype=float),
            }
        )
    out = (
        rows.groupby(["year", "code", "reason"], sort=True)["value_usd"]
        .agg(["size", "sum"])
        .rename(columns={"size": "rows", "sum": "value_usd"})
        .reset_index()
    )
    out["year"] = out["year"].astype("int64")
    return out.loc[:, list(EXCLUDED_COLUMNS)]


def split_pairs(exports: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split export rows into kept rows and an excluded summary (aggregates, self pairs).

    Parameters
    ----------
    exports
        Canonical export rows (``year, reporter_iso3, partner_iso3, value_usd``).

    Returns
    -------
    kept, excluded : pandas.DataFrame
    """
    exports = exports.assign(
        reporter_iso3=normalise_codes(exports["reporter_iso3"]),
        partner_iso3=normalise_codes(exports["partner_iso3"]),
    )
    rep_bad = is_aggregate_code(exports["reporter_iso3"])
    par_bad = is_aggregate_code(exports["partner_iso3"])
    same = exports["reporter_iso3"].astype(str) == exports["partner_iso3"].astype(str)
    reason = np.select(
        [rep_bad.to_numpy(), par_bad.to_numpy(), same.to_numpy()],
        [
            "aggregate or missing reporter",
            "aggregate or missing partner",
            "reporter equals partner",
        ],
        "",
    )
    code = np.where(rep_bad, exports["reporter_iso3"], exports["partner_iso3"])
    bad = reason != ""
    ex = pd.DataFrame(
        {
            "year": exports["year"].to_numpy()[bad],
            "code": pd.Series(code[bad], dtype=object).fillna("").astype(str).to_numpy(),
            "reason": reason[bad],
            "value_usd": exports["value_usd"].to_numpy()[bad],
        }
    )
    return exports[~bad], _excluded_frame(ex)


def _check_values(df: pd.DataFrame, where: str) -> None:
    v = pd.to_numeric(df["value_usd"], errors="coerce")
    bad = np.flatnonzero((v.isna() | (v < 0)).to_numpy())
    if len(bad):
        problems = [
            Problem(
                f"expected a non-negative number (USD), got {df['value_usd'].iloc[p]!r}",
                path=where,
                row=int(p) + 2,
                column="value_usd",
            )
            for p in bad[:20]
        ]
        if len(bad) > 20:
            problems.append(Problem(f"... {len(bad) - 20} more bad values", column="value_usd"))
        raise ValidationError(problems)


def pair_interdependence_pandas(
    flows: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
) -> pd.DataFrame:
    """All-pairs Grubel-Lloyd table from a canonical DataFrame (the engine's pandas version).

    ``X_ij`` = sum of ``value_usd`` over export rows reported by ``i`` to ``j``; ``M_ij`` =
    ``X_ji``; one row per ordered pair with ``X_ij + M_ij > 0``. Rows with an aggregate,
    unknown or missing reporter/partner code and self pairs are excluded and summarised in
    ``attrs["excluded"]``; import, re-export and re-import rows are not used.

    Parameters
    ----------
    flows
        Canonical flow table.
    years, hs_codes
        Optional filters (HS codes compared as 6-character strings).
    high, low
        GL thresholds of the degree (``gl <= high`` high, ``< low`` moderate, else low).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, sorted by ``year, iso3, partner_iso3``.
    """
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)
    df = flows.loc[:, ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]]
    df = df[df["flow"].astype(str).str.strip().str.lower() == "export"]
    if years is not None:
        df = df[df["year"].astype("int64").isin([int(y) for y in years])]
    hs = normalise_hs(hs_codes)
    if hs is not None:
        df = df[hs_keep(df["hs_code"], hs)]
    _check_values(df, "<flows>")
    df = df.assign(
        year=df["year"].astype("int64"),
        value_usd=pd.to_numeric(df["value_usd"]).astype(float),
        reporter_iso3=df["reporter_iso3"].astype(object),
        partner_iso3=df["partner_iso3"].astype(object),
    )
    kept, excluded = split_pairs(df)
    x = (
        kept.groupby(["year", "reporter_iso3", "partner_iso3"], sort=False)["value_usd"]
        .sum()
        .rename("exports")
        .reset_index()
        .rename(columns={"reporter_iso3": "iso3"})
    )
    m = x.rename(columns={"iso3": "partner_iso3", "partner_iso3": "iso3", "exports": "imports"})
    pairs = x.merge(m, on=["year", "iso3", "partner_iso3"], how="outer")
    pairs[["exports", "imports"]] = pairs[["exports", "imports"]].fillna(0.0)
    pairs = pairs[(pairs["exports"] + pairs["imports"]) > 0]
    gl, index, cls = classify_pairs(
        pairs["exports"].to_numpy(), pairs["imports"].to_numpy(), high=high, low=low
    )
    out = pd.DataFrame(
        {
            "year": pairs["year"].astype("int64").to_numpy(),
            "iso3": pairs["iso3"].astype(str).to_numpy(),
            "partner_iso3": pairs["partner_iso3"].astype(str).to_numpy(),
            "exports": pairs["exports"].to_numpy(dtype=float),
            "imports": pairs["imports"].to_numpy(dtype=float),
            "gl": gl,
            "index": index,
            "dependence_class": cls,
        }
    )
    out = out.sort_values(["year", "iso3", "partner_iso3"], kind="stable").reset_index(drop=True)
    out.attrs["excluded"] = excluded
    return out


def load_flows(
    source: Source,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    flows: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Read a source into a canonical DataFrame (needed columns only, filtered while reading).

    BACI rows become export rows reported by the exporter: ``value_usd = v * 1000``,
    ``i``/``j`` mapped to ISO3 (unknown codes → ``"_" + code``), ``hs_code`` zero-padded.

    Parameters
    ----------
    source
        A resolved :class:`~geotrade.engine.sources.Source`.
    years, hs_codes
        Optional filters.
    flows
        Keep only these flow directions (canonical layout); ``None`` keeps all.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, reporter_iso3, partner_iso3, flow, hs_code, value_usd``.
    """
    hs = normalise_hs(hs_codes)
    ys = None if years is None else [int(y) for y in years]
    if source.layout == "baci":
        cols = ["t", "i", "j", "k", "v"]
        if source.kind == "frame":
            assert source.frame is not None  # a "frame" source carries its frame
            raw = source.frame.loc[:, cols]
        elif source.kind == "parquet":
            import pyarrow.dataset as ds

            dset = ds.dataset(list(source.paths), format="parquet")
            filt = None
            if ys is not None:
                filt = ds.field("t").isin(ys)
            if hs is not None:
                kf = ds.field("k").isin([int(h) for h in hs if h.isdigit()])
                filt = kf if filt is None else filt & kf
            raw = dset.to_table(columns=cols, filter=filt).to_pandas()
        else:
            parts = []
            for p in source.paths:
                try:
                    parts.append(
                        pd.read_csv(
                            p,
                            usecols=cols,
                            dtype={"t": "int64", "i": "int64", "j": "int64", "k": "int64"},
                            engine="pyarrow",
                        )
                    )
                except (ValueError, OSError) as exc:
                    raise InputFormatError(f"cannot read as a BACI CSV ({exc})", path=p) from exc
            raw = pd.concat(parts, ignore_index=True)
        if ys is not None:
            raw = raw[raw["t"].isin(ys)]
        k6 = raw["k"].astype("int64").astype(str).str.zfill(6)
        if hs is not None:
            keep = hs_keep(k6, hs)
            raw, k6 = raw[keep], k6[keep]
        codes = baci_code_table(source).set_index("code")["iso3"]

        def iso(col: pd.Series) -> pd.Series:
            c = col.astype("int64")
            return c.map(codes).fillna("_" + c.astype(str)).astype(object)

        return pd.DataFrame(
            {
                "year": raw["t"].astype("int64").to_numpy(),
                "reporter_iso3": iso(raw["i"]).to_numpy(),
                "partner_iso3": iso(raw["j"]).to_numpy(),
                "flow": "export",
                "hs_code": k6.to_numpy(),
                "value_usd": raw["v"].astype(float).to_numpy() * 1000.0,
            }
        )
    cols = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
    if source.kind == "frame":
        assert source.frame is not None  # a "frame" source carries its frame
        df = source.frame.loc[:, cols]
    elif source.kind == "parquet":
        import pyarrow.dataset as ds

        dset = ds.dataset(list(source.paths), format="parquet")
        filt = None
        if ys is not None:
            filt = ds.field("year").isin(ys)
        if flows is not None:
            ff = ds.field("flow").isin(list(flows))
            filt = ff if filt is None else filt & ff
        df = dset.to_table(columns=cols, filter=filt).to_pandas()
    else:
        df = pd.concat(
            [
                pd.read_csv(
                    p,
                    usecols=cols,
                    dtype={"reporter_iso3": str, "partner_iso3": str, "hs_code": str},
                    keep_default_na=False,
                    na_values=[""],
                )
                for p in source.paths
            ],
            ignore_index=True,
        )
    if flows is not None:
        df = df[df["flow"].astype(str).str.strip().str.lower().isin(flows)]
    if ys is not None:
        df = df[df["year"].astype("int64").isin(ys)]
    if hs is not None:
        df = df[hs_keep(df["hs_code"], hs)]
    return df.reset_index(drop=True)
