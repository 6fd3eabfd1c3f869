r"""Mirror-flow and valuation policy: whose report of a trade flow to use.

Every bilateral flow is reported twice: the exporter reports an export (valued **FOB**) and
the importer reports an import (valued **CIF**, i.e. including freight and insurance). The
two records rarely agree (see ``shared/notes/data-sources.md``: China-reported exports of
HS 850760 to the US in 2022 are 10.14 bn USD, US-reported imports from China 9.30 bn).

For a focal economy :math:`c` and a partner :math:`f`, in year :math:`t` and HS code :math:`k`:

* *reporter* records are :math:`c`'s own: exports :math:`c \to f` and imports
  :math:`c \leftarrow f`;
* *mirror* records are :math:`f`'s: :math:`f`'s imports from :math:`c` stand for :math:`c`'s
  exports to :math:`f`, :math:`f`'s exports to :math:`c` for :math:`c`'s imports from
  :math:`f`.

:func:`focal_view` builds :math:`c`'s exports and imports per partner, year and HS code under
one policy:

``reporter``
    only :math:`c`'s own records;
``partner``
    only mirror records;
``max``
    the larger of the two values (the reporter's on a tie); where only one exists, that one;
``prefer-reporter``
    the reporter's record where it exists, else the mirror record.

Each output row says which record it took (``provenance`` = ``"reporter"`` or ``"mirror"``)
and keeps both candidate values (``reporter_value_usd``, ``mirror_value_usd``) and the
valuation of the value it took (``valuation``: ``FOB`` or ``CIF``). Values are compared as
they are: a CIF mirror import is usually a few percent above the FOB export it mirrors, so
``max`` tends to pick mirror imports for exports unless a CIF→FOB factor is given.

Valuation adjustment (optional, default none): with ``cif_fob_factor`` :math:`\phi`
(the CIF/FOB ratio, e.g. 1.06), every CIF value is divided by :math:`\phi` *before* the
policy compares values, its ``valuation`` becomes ``"FOB"`` and ``cif_fob_adjusted`` is
``True``. Without it CIF values stay CIF and are labelled so.

Only ``export`` and ``import`` records are mirrored; ``re-export`` / ``re-import`` rows of or
towards the focal economy are not used and are listed in ``result.attrs["excluded"]``.

:func:`reconcile` lists exporter→importer pairs whose two records differ by more than a
relative threshold :math:`|a-b| / \max(a, b)`.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({
...     "year": 2022, "reporter_iso3": ["CHN", "USA"], "partner_iso3": ["USA", "CHN"],
...     "flow": ["export", "import"], "hs_code": "850760", "value_usd": [100.0, 110.0],
...     "valuation": ["FOB", "CIF"]})
>>> focal_view(flows, focal="CHN", mirror="max")[["partner_iso3", "value_usd", "provenance"]]
  partner_iso3  value_usd provenance
0          USA      110.0     mirror
>>> v = focal_view(flows, focal="CHN", mirror="max", cif_fob_factor=1.1)
>>> v[["value_usd", "valuation", "provenance"]].values.tolist()
[[100.0, 'FOB', 'reporter']]
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError
from geotrade.schema import CANONICAL_COLUMNS, DEFAULT_VALUATION, REQUIRED_COLUMNS

__all__ = [
    "MirrorChoice",
    "MirrorPolicy",
    "apply_mirror",
    "exporter_view",
    "focal_view",
    "is_reconciled",
    "reconcile",
    "resolve_mirror",
]

MirrorPolicy = Literal["reporter", "partner", "max", "prefer-reporter"]
#: What the ``--mirror`` option accepts: a policy, or ``auto`` (the right one for the source).
MirrorChoice = Literal["auto", "reporter", "partner", "max", "prefer-reporter"]

_KEY = ["year", "partner_iso3", "flow", "hs_code"]
_REQUIRED = REQUIRED_COLUMNS
_MIRROR_FLOW = {"export": "import", "import": "export"}
_DEFAULT_VALUATION = DEFAULT_VALUATION
_CARRY = ("hs_revision", "quantity", "quantity_unit", "source", "source_release")
_OUT_COLUMNS = [
    *CANONICAL_COLUMNS,
    "provenance",
    "reporter_value_usd",
    "mirror_value_usd",
    "cif_fob_adjusted",
]


def _prepare(flows: pd.DataFrame, *, cif_fob_factor: float | None) -> pd.DataFrame:
    missing = [c for c in _REQUIRED if c not in flows.columns]
    if missing:
        msg = (
            f"missing column(s) {', '.join(missing)}; expected the canonical flow table "
            "(geotrade.read_flows)"
        )
        raise ValidationError([Problem(msg, column=missing[0])])
    if cif_fob_factor is not None and not (np.isfinite(cif_fob_factor) and cif_fob_factor > 0):
        msg = f"cif_fob_factor must be a positive number (CIF/FOB, e.g. 1.06), got {cif_fob_factor}"
        raise ValidationError([Problem(msg)])
    df = flows.copy()
    for c in _CARRY:
        if c not in df.columns:
            df[c] = np.nan if c == "quantity" else pd.NA
    if "valuation" not in df.columns:
        df["valuation"] = df["flow"].map(_DEFAULT_VALUATION)
    df["valuation"] = df["valuation"].fillna(df["flow"].map(_DEFAULT_VALUATION))
    df["value_usd"] = df["value_usd"].astype("float64")
    df["quantity"] = pd.to_numeric(df["quantity"], errors="coerce").astype("float64")
    df["cif_fob_adjusted"] = False
    if cif_fob_factor is not None:
        cif = df["valuation"].astype(str).str.upper() == "CIF"
        df.loc[cif, "value_usd"] = df.loc[cif, "value_usd"] / cif_fob_factor
        df.loc[cif, "valuation"] = "FOB"
        df.loc[cif, "cif_fob_adjusted"] = True
    return df


def _collapse(df: pd.DataFrame) -> pd.DataFrame:
    """One record per key: sum values (and quantities) of duplicate rows."""
    if df.empty:
        return df
    agg = {
        "value_usd": "sum",
        "quantity": lambda s: s.sum(min_count=1),
        "valuation": lambda s: ";".join(sorted({str(v) for v in s})),
        "cif_fob_adjusted": "any",
    }
    agg.update(dict.fromkeys(("hs_revision", "quantity_unit", "source", "source_release"), "first"))
    out = df.groupby(_KEY, sort=True, dropna=False).agg(agg).reset_index()
    mixed = out["valuation"].str.contains(";")
    if mixed.any():
        r = out[mixed].iloc[0]
        msg = (
            f"rows for year {r['year']}, partner {r['partner_iso3']}, flow {r['flow']}, "
            f"HS {r['hs_code']} mix valuations ({r['valuation']}); give one valuation per flow"
        )
        raise ValidationError([Problem(msg, column="valuation")])
    return out


def focal_view(
    flows: pd.DataFrame,
    *,
    focal: str,
    mirror: MirrorPolicy = "reporter",
    cif_fob_factor: float | None = None,
) -> pd.DataFrame:
    """Build the focal economy's exports and imports under a mirror policy.

    Parameters
    ----------
    flows
        Canonical flow table (``year, reporter_iso3, partner_iso3, flow, hs_code,
        value_usd``; optional ``valuation`` — if missing, exports/re-exports are taken as FOB
        and imports/re-imports as CIF, the Comtrade convention — and the other canonical
        columns, which are carried through).
    focal
        ISO3 of the focal economy (e.g. ``"CHN"``).
    mirror
        ``"reporter"``, ``"partner"``, ``"max"`` or ``"prefer-reporter"`` (see module doc).
    cif_fob_factor
        CIF/FOB ratio; if given, CIF values are divided by it and relabelled FOB before the
        policy is applied. Default: no adjustment.

    Returns
    -------
    pandas.DataFrame
        A canonical flow table with ``reporter_iso3 == focal`` (feed it to
        :func:`geotrade.metrics.trade.interdependence`) and the extra columns
        ``provenance`` (``"reporter"``/``"mirror"``), ``reporter_value_usd``,
        ``mirror_value_usd`` (``NaN`` where that record does not exist) and
        ``cif_fob_adjusted``. Sorted by year, partner, flow, HS code.
        ``attrs["excluded"]`` lists re-export/re-import rows not used;
        ``attrs["mirror"]`` and ``attrs["cif_fob_factor"]`` record the policy.

    Raises
    ------
    ValidationError
        Missing columns, an unknown policy, a non-positive factor, or one flow with mixed
        valuations.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({
    ...     "year": 2022, "reporter_iso3": ["CHN", "KOR"], "partner_iso3": ["USA", "CHN"],
    ...     "flow": ["export", "export"], "hs_code": "850760", "value_usd": [5.0, 7.0]})
    >>> v = focal_view(flows, focal="CHN", mirror="prefer-reporter")
    >>> v[["partner_iso3", "flow", "value_usd", "valuation", "provenance"]].values.tolist()
    [['KOR', 'import', 7.0, 'FOB', 'mirror'], ['USA', 'export', 5.0, 'FOB', 'reporter']]
    """
    if mirror not in get_args(MirrorPolicy):
        msg = (
            f"unknown mirror policy {mirror!r}; expected one of {', '.join(get_args(MirrorPolicy))}"
        )
        raise ValidationError([Problem(msg)])
    focal = str(focal).upper()
    df = _prepare(flows, cif_fob_factor=cif_fob_factor)
    involved = (df["reporter_iso3"] == focal) | (df["partner_iso3"] == focal)
    is_main = df["flow"].isin(list(_MIRROR_FLOW))
    excluded = df[involved & ~is_main]
    df = df[is_main]

    own = df[df["reporter_iso3"] == focal]
    own = _collapse(own)
    mir = df[(df["partner_iso3"] == focal) & (df["reporter_iso3"] != focal)].copy()
    mir["partner_iso3"] = mir["reporter_iso3"]
    mir["flow"] = mir["flow"].map(_MIRROR_FLOW)
    mir = _collapse(mir)

    both = own.merge(mir, on=_KEY, how="outer", suffixes=("_r", "_m"), indicator=True)
    a = both["value_usd_r"].to_numpy(dtype="float64")
    b = both["value_usd_m"].to_numpy(dtype="float64")
    has_r, has_m = ~np.isnan(a), ~np.isnan(b)
    if mirror == "reporter":
        use_m = np.zeros(len(both), dtype=bool)
        keep = has_r
    elif mirror == "partner":
        use_m = np.ones(len(both), dtype=bool)
        keep = has_m
    elif mirror == "max":
        use_m = ~has_r | (has_m & (np.nan_to_num(b, nan=-np.inf) > np.nan_to_num(a, nan=-np.inf)))
        keep = has_r | has_m
    else:  # prefer-reporter
        use_m = ~has_r
        keep = has_r | has_m

    out = pd.DataFrame({k: both[k] for k in _KEY})
    out["reporter_iso3"] = focal
    for c in ("value_usd", "valuation", "cif_fob_adjusted", *_CARRY):
        out[c] = both[f"{c}_r"].where(~use_m, both[f"{c}_m"])
    out["provenance"] = np.where(use_m, "mirror", "reporter")
    out["reporter_value_usd"] = a
    out["mirror_value_usd"] = b
    out = out[keep].reset_index(drop=True)
    out["value_usd"] = out["value_usd"].astype("float64")
    out["quantity"] = pd.to_numeric(out["quantity"], errors="coerce").astype("float64")
    out["cif_fob_adjusted"] = out["cif_fob_adjusted"].astype(bool)
    if not out.empty:
        out["year"] = out["year"].astype("int64")
    extra = [c for c in flows.columns if c not in _OUT_COLUMNS and c in out.columns]
    out = out[_OUT_COLUMNS + extra]
    out = out.sort_values(["year", "partner_iso3", "flow", "hs_code"], kind="stable")
    out = out.reset_index(drop=True)
    ex = excluded.groupby(["reporter_iso3", "partner_iso3", "flow"], dropna=False)["value_usd"]
    out.attrs["excluded"] = (
        ex.agg(["size", "sum"])
        .rename(columns={"size": "rows", "sum": "value_usd"})
        .reset_index()
        .assign(reason="re-export/re-import rows are not mirrored")
    )
    out.attrs["mirror"] = mirror
    out.attrs["cif_fob_factor"] = cif_fob_factor
    return out


def reconcile(
    flows: pd.DataFrame,
    *,
    focal: str | None = None,
    threshold: float = 0.25,
    one_sided: bool = False,
) -> pd.DataFrame:
    r"""List exporter→importer pairs whose two records disagree.

    For each year, HS code and direction exporter :math:`e` → importer :math:`i`, the
    exporter's reported export :math:`a` (FOB) is compared with the importer's reported
    import :math:`b` (CIF) by the relative difference :math:`|a-b| / \max(a, b)`
    (0 = identical, 1 = one side is zero).

    Parameters
    ----------
    flows
        Canonical flow table.
    focal
        Only pairs in which this economy is the exporter or the importer.
    threshold
        Report pairs with a relative difference strictly greater than this (0 ≤ t < 1).
    one_sided
        Also report pairs where only one of the two records exists (relative difference
        1.0). Off by default: a missing record usually means the other economy's reports
        are not in the table at all.

    Returns
    -------
    pandas.DataFrame
        ``year, hs_code, exporter_iso3, importer_iso3, export_value_usd,
        export_valuation, import_value_usd, import_valuation, difference_usd`` (import −
        export), ``rel_diff`` and ``status`` (``"both"``, ``"exporter_only"``,
        ``"importer_only"``); sorted by year and decreasing ``rel_diff``.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({
    ...     "year": 2022, "reporter_iso3": ["CHN", "USA", "CHN", "KOR"],
    ...     "partner_iso3": ["USA", "CHN", "KOR", "CHN"],
    ...     "flow": ["export", "import", "export", "import"], "hs_code": "850760",
    ...     "value_usd": [100.0, 60.0, 100.0, 90.0]})
    >>> r = reconcile(flows, threshold=0.25)
    >>> r[["exporter_iso3", "importer_iso3", "rel_diff"]].values.tolist()
    [['CHN', 'USA', 0.4]]
    """
    if not (0.0 <= threshold < 1.0):
        msg = f"threshold must be in [0, 1), got {threshold}"
        raise ValidationError([Problem(msg)])
    df = _prepare(flows, cif_fob_factor=None)
    df = df[df["flow"].isin(list(_MIRROR_FLOW))]
    key = ["year", "hs_code", "exporter_iso3", "importer_iso3"]
    exp = df[df["flow"] == "export"].rename(
        columns={"reporter_iso3": "exporter_iso3", "partner_iso3": "importer_iso3"}
    )
    imp = df[df["flow"] == "import"].rename(
        columns={"reporter_iso3": "importer_iso3", "partner_iso3": "exporter_iso3"}
    )

    def side(t: pd.DataFrame, name: str) -> pd.DataFrame:
        g = t.groupby(key, sort=False, dropna=False)
        return pd.DataFrame(
            {
                f"{name}_value_usd": g["value_usd"].sum(),
                f"{name}_valuation": g["valuation"].agg(lambda s: ";".join(sorted(set(s)))),
            }
        ).reset_index()

    m = side(exp, "export").merge(side(imp, "import"), on=key, how="outer")
    if focal is not None:
        f = str(focal).upper()
        m = m[(m["exporter_iso3"] == f) | (m["importer_iso3"] == f)]
    a = m["export_value_usd"].to_numpy(dtype="float64")
    b = m["import_value_usd"].to_numpy(dtype="float64")
    both = ~np.isnan(a) & ~np.isnan(b)
    aa, bb = np.nan_to_num(a), np.nan_to_num(b)
    denom = np.maximum(aa, bb)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(denom > 0, np.abs(aa - bb) / denom, 0.0)
    m = m.assign(
        difference_usd=b - a,
        rel_diff=rel,
        status=np.where(both, "both", np.where(np.isnan(b), "exporter_only", "importer_only")),
    )
    keep = m["rel_diff"] > threshold
    if not one_sided:
        keep &= m["status"] == "both"
    out = m[keep].sort_values(["year", "rel_diff"], ascending=[True, False], kind="stable")
    return out[
        [
            *key,
            "export_value_usd",
            "export_valuation",
            "import_value_usd",
            "import_valuation",
            "difference_usd",
            "rel_diff",
            "status",
        ]
    ].reset_index(drop=True)


def is_reconciled(flows: pd.DataFrame) -> bool:
    """Tell whether a flow table is already reconciled (each flow once, as an export).

    CEPII BACI is reconciled: one record per exporter -> importer flow, no import records.
    So is any table that has no ``import`` rows but several reporters. Comtrade-style tables
    with import records are not.

    Examples
    --------
    >>> import pandas as pd
    >>> baci = pd.DataFrame({"reporter_iso3": ["CHN", "USA"], "flow": "export",
    ...     "source": "baci"})
    >>> is_reconciled(baci), is_reconciled(baci.assign(flow=["export", "import"], source="x"))
    (True, False)
    """
    if flows.empty:
        return False
    if "source" in flows.columns:
        src = flows["source"].astype(str).str.lower()
        if src.str.startswith("baci").all():
            return True
    flow = flows["flow"].astype(str).str.strip().str.lower()
    return bool(not flow.isin(["import", "re-import"]).any()) and (
        flows["reporter_iso3"].nunique() > 1
    )


def resolve_mirror(
    flows: pd.DataFrame, *, mirror: MirrorChoice = "auto"
) -> tuple[MirrorPolicy, str]:
    """Return the mirror policy to apply and a sentence saying why.

    ``auto`` chooses ``prefer-reporter`` on reconciled data (:func:`is_reconciled`: BACI),
    where it takes each flow's single record for both directions — so the focal economy's
    imports are its partners' exports to it — and ``reporter`` otherwise (Comtrade: the
    focal economy's own reports). An explicit policy is applied as given; ``reporter`` on
    reconciled data is flagged, because it leaves every import empty.

    Examples
    --------
    >>> import pandas as pd
    >>> baci = pd.DataFrame({"reporter_iso3": ["CHN", "USA"], "flow": "export",
    ...     "source": "baci"})
    >>> resolve_mirror(baci)[0]
    'prefer-reporter'
    """
    if mirror not in get_args(MirrorChoice):
        msg = (
            f"unknown mirror policy {mirror!r}; expected one of {', '.join(get_args(MirrorChoice))}"
        )
        raise ValidationError([Problem(msg, column="--mirror")])
    reconciled = is_reconciled(flows)
    if mirror == "auto":
        if reconciled:
            return "prefer-reporter", (
                "mirror policy 'prefer-reporter' (auto): the data are reconciled (each flow once, "
                "as the exporter's record, as in BACI), so imports are the partners' exports"
            )
        return "reporter", "mirror policy 'reporter' (auto): the reporters' own records"
    if mirror == "reporter" and reconciled:
        return "reporter", (
            "mirror policy 'reporter' on reconciled data (BACI-like, exports only): every "
            "import is empty; use --mirror auto or prefer-reporter"
        )
    return mirror, f"mirror policy {mirror!r}"


def apply_mirror(
    flows: pd.DataFrame, *, focal: str, mirror: MirrorChoice = "auto"
) -> tuple[pd.DataFrame, MirrorPolicy, str]:
    """Resolve the policy and build the focal economy's view; return (flows, policy, note).

    With the ``reporter`` policy the table is returned as it is (the metrics select the
    focal economy's own records); otherwise :func:`focal_view` builds them.

    Examples
    --------
    >>> import pandas as pd
    >>> baci = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "USA"],
    ...     "partner_iso3": ["USA", "CHN"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [10.0, 4.0], "source": "baci"})
    >>> v, policy, note = apply_mirror(baci, focal="CHN")
    >>> v[["partner_iso3", "flow", "value_usd"]].values.tolist()
    [['USA', 'export', 10.0], ['USA', 'import', 4.0]]
    """
    policy, note = resolve_mirror(flows, mirror=mirror)
    if policy == "reporter":
        return flows, policy, note
    return focal_view(flows, focal=focal, mirror=policy), policy, note


def exporter_view(flows: pd.DataFrame, *, mirror: MirrorPolicy = "reporter") -> pd.DataFrame:
    """All-pairs export table under a mirror policy (for networks of every reporter).

    The export :math:`X_{ij}` comes from :math:`i`'s export record (``reporter``), from
    :math:`j`'s import record (``partner``), the larger (``max``) or :math:`i`'s record where
    it exists, else :math:`j`'s (``prefer-reporter``). So a flow reported by only one side is
    not made one-way by artefact. Returns canonical export rows with ``provenance``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "USA"],
    ...     "partner_iso3": ["USA", "CHN"], "flow": ["export", "import"],
    ...     "hs_code": "850760", "value_usd": [10.0, 11.0]})
    >>> exporter_view(f, mirror="reporter")[["reporter_iso3", "value_usd"]].values.tolist()
    [['CHN', 10.0]]
    >>> v = exporter_view(f, mirror="max")
    >>> v[["reporter_iso3", "partner_iso3", "value_usd", "provenance"]].values.tolist()
    [['CHN', 'USA', 11.0, 'mirror']]
    """
    if mirror not in get_args(MirrorPolicy):
        msg = (
            f"unknown mirror policy {mirror!r}; expected one of {', '.join(get_args(MirrorPolicy))}"
        )
        raise ValidationError([Problem(msg, column="--mirror")])
    missing = [c for c in _REQUIRED if c not in flows.columns]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; expected the canonical flow table"
        raise ValidationError([Problem(msg, column=missing[0])])
    flow = flows["flow"].astype(str).str.strip().str.lower()
    key = ["year", "reporter_iso3", "partner_iso3", "hs_code"]
    own = flows.loc[flow == "export", [*key, "value_usd"]]
    mir = flows.loc[flow == "import", [*key, "value_usd"]].rename(
        columns={"reporter_iso3": "partner_iso3", "partner_iso3": "reporter_iso3"}
    )
    own = own.groupby(key, as_index=False, dropna=False)["value_usd"].sum()
    mir = mir.groupby(key, as_index=False, dropna=False)["value_usd"].sum()
    both = own.merge(mir, on=key, how="outer", suffixes=("_r", "_m"))
    a = both["value_usd_r"].to_numpy(dtype="float64")
    b = both["value_usd_m"].to_numpy(dtype="float64")
    has_r, has_m = ~np.isnan(a), ~np.isnan(b)
    if mirror == "reporter":
        use_m, keep = np.zeros(len(both), dtype=bool), has_r
    elif mirror == "partner":
        use_m, keep = np.ones(len(both), dtype=bool), has_m
    elif mirror == "max":
        use_m = ~has_r | (has_m & (np.nan_to_num(b, nan=-np.inf) > np.nan_to_num(a, nan=-np.inf)))
        keep = has_r | has_m
    else:
        use_m, keep = ~has_r, has_r | has_m
    out = both[key].copy()
    out["flow"] = "export"
    out["value_usd"] = np.where(use_m, b, a)
    out["provenance"] = np.where(use_m, "mirror", "reporter")
    out = out[keep].sort_values(key, kind="stable").reset_index(drop=True)
    out.attrs["mirror"] = mirror
    return out[
        ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd", "provenance"]
    ]
