"""HS concordance: carry a product basket from one HS edition to another (UNSD tables).

A product list is written in one HS edition (the IMF low-carbon-technology list in HS2017,
say), but a 1992–2022 panel is read in one other edition (BACI HS92). The UN Statistics
Division's *correlation tables* link every code of a newer edition to the codes of an older
one, each link marked ``1:1``, ``1:n``, ``n:1`` or ``n:n``. geotrade ships them for
HS2022 → HS1992 … HS2017 and HS2017 → HS1992 … HS2012 (``hs_correlation.csv.gz``, rebuilt by
``scripts/build_hs_concordance.py``); either direction can be used.

:func:`convert_products` maps a basket to the target edition and says, for every target
code, whether it is **exact** (all codes it holds in the source edition are in the basket)
or **wider** (it also holds codes outside the basket, listed in ``also_covers``: trade in the
converted basket then includes them). No code is dropped: a code the table does not know
is an error naming the row.

Examples
--------
>>> import pandas as pd
>>> basket = pd.DataFrame({"hs_code": ["850760"], "source": ["seed 000"]})
>>> conv = convert_products(basket, from_revision="HS2017", to_revision="HS1992")
>>> conv.products[["hs_code", "precision"]].values.tolist()
[['850780', 'wider']]
>>> conv.products.loc[0, "also_covers"]  # HS2017 codes that UNSD converts to 850780 too
'850750;850780'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

from geotrade.errors import DataNotFoundError, Problem, ValidationError
from geotrade.products import COLUMNS, HS_REVISIONS, normalise_hs_code, normalise_revision

__all__ = [
    "BasketConversion",
    "Method",
    "concordance_pairs",
    "convert_products",
    "correlation_table",
    "edition_codes",
    "revision_substitute",
]

#: Where the shipped table comes from (one line, for ``source`` columns and reports).
SOURCE = (
    "UNSD HS correlation table {a} to {b} "
    "(unstats.un.org/unsd/classifications/Econ/tables/HS{x}toHS{y}ConversionAndCorrelationTables.xlsx)"
)
#: ``conversion``: the UNSD Conversion sheet, one older code per newer code (going to a
#: newer edition: every newer code whose conversion is in the basket); ``correlation``: every
#: published link (the widest basket).
Method = Literal["conversion", "correlation"]
_FLIP = {"1:1": "1:1", "1:n": "n:1", "n:1": "1:n", "n:n": "n:n"}


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    path = Path(str(resources.files("geotrade") / "data" / "products" / "hs_correlation.csv.gz"))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def concordance_pairs() -> list[tuple[str, str]]:
    """Return the (newer, older) edition pairs the shipped tables cover (both directions work).

    Examples
    --------
    >>> ("HS2017", "HS1992") in concordance_pairs()
    True
    """
    t = _table()
    pairs = t[["from_revision", "to_revision"]].drop_duplicates()
    return [(str(a), str(b)) for a, b in pairs.itertuples(index=False)]


def _revision(value: object, what: str) -> str:
    rev = normalise_revision(value)
    if rev is None:
        msg = f"unknown HS revision {value!r} for {what}; expected one of {', '.join(HS_REVISIONS)}"
        raise ValidationError([Problem(msg)])
    return rev


def correlation_table(
    from_revision: str, to_revision: str, *, method: Method = "correlation"
) -> pd.DataFrame:
    """Links ``from_code → to_code`` between two editions, with their relationship.

    The relationship reads in the direction asked for: a published ``n:1`` link (several
    new codes, one old code) is ``1:n`` when going from the old edition to the new one.
    ``method="conversion"`` keeps only the links of the UNSD Conversion sheet (each newer
    code has exactly one).

    Raises
    ------
    DataNotFoundError
        No shipped table links the two editions (the message lists the pairs there are).

    Examples
    --------
    >>> t = correlation_table("HS1992", "HS2017", method="conversion")
    >>> t[t["from_code"] == "850780"]["to_code"].tolist()
    ['850750', '850760', '850780']
    >>> t = correlation_table("HS1992", "HS2017")  # every link: multi-component ICs too
    >>> t[t["from_code"] == "850780"]["to_code"].tolist()[:4]
    ['850750', '850760', '850780', '854231']
    """
    a = _revision(from_revision, "the source edition")
    b = _revision(to_revision, "the target edition")
    t = _table()
    if a == b:
        msg = f"the basket is already in {a}; nothing to convert"
        raise ValidationError([Problem(msg)])
    if method == "conversion":
        t = t[t["conversion"] == "1"]
    fwd = t[(t["from_revision"] == a) & (t["to_revision"] == b)]
    if len(fwd):
        out = fwd[["from_code", "to_code", "relationship"]]
    else:
        back = t[(t["from_revision"] == b) & (t["to_revision"] == a)]
        if not len(back):
            have = ", ".join(f"{x}<->{y}" for x, y in concordance_pairs())
            msg = (
                f"no shipped UNSD correlation table links {a} and {b} (shipped: {have}); "
                "convert in two steps through HS2017 or HS2022, or supply your own list"
            )
            raise DataNotFoundError(msg)
        out = pd.DataFrame(
            {
                "from_code": back["to_code"].to_numpy(),
                "to_code": back["from_code"].to_numpy(),
                "relationship": back["relationship"].map(_FLIP).to_numpy(),
            }
        )
    return out.sort_values(["from_code", "to_code"]).reset_index(drop=True)


@dataclass(frozen=True)
class BasketConversion:
    """Result of :func:`convert_products`.

    Attributes
    ----------
    products
        One row per target code: the product-list columns (``hs_revision`` = target
        edition) plus ``from_codes`` (basket codes that map to it), ``relationship`` (the
        links' kinds), ``precision`` (``exact`` or ``wider``) and ``also_covers`` (codes of
        the source edition outside the basket that the target code also holds; ``;``-joined).
    links
        Every link used: ``from_code, to_code, relationship``.
    notes
        Plain-language warnings (wider codes, mixed sectors, unmapped codes) for reports.
    unmapped
        Basket codes with no link under ``method`` (possible only with ``conversion`` going
        to a newer edition: no newer code converts into them); listed, never dropped silently.
    """

    products: pd.DataFrame
    links: pd.DataFrame
    from_revision: str
    to_revision: str
    method: Method
    notes: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """True when every target code holds only basket codes."""
        return bool((self.products["precision"] == "exact").all())


_EXTRA = ("from_codes", "relationship", "precision", "also_covers")


def _join(values: pd.Series) -> str:
    uniq = sorted({v for v in values if v})
    return "+".join(uniq)


def convert_products(
    products: pd.DataFrame,
    *,
    to_revision: str,
    from_revision: str | None = None,
    method: Method = "conversion",
    path: str | None = None,
) -> BasketConversion:
    """Carry a product list to another HS edition with the UNSD correlation table.

    Parameters
    ----------
    products
        A product list (at least ``hs_code``; the other columns of
        :data:`geotrade.products.COLUMNS` are carried over).
    to_revision
        Target edition (``HS1992``, ``H0``, ``1992``, …).
    from_revision
        Source edition; default: the list's ``hs_revision`` column, which must then name
        one edition.
    method
        ``conversion`` (default): UNSD's Conversion sheet, the usual way to carry a
        basket (HS2017 850760 → HS1992 850780; HS1992 850780 → HS2017 850750, 850760,
        850780). ``correlation``: every published link, the widest basket.
    path
        File the list came from, for error messages.

    Returns
    -------
    BasketConversion

    Raises
    ------
    ValidationError
        No (or more than one) source edition, or basket codes the table does not have in
        the source edition (each row named).

    Examples
    --------
    >>> import pandas as pd
    >>> basket = pd.DataFrame({"hs_code": ["850780"], "sector": ["energy_storage"]})
    >>> conv = convert_products(basket, from_revision="HS1992", to_revision="HS2017")
    >>> conv.products[["hs_code", "precision", "sector"]].values.tolist()
    [['850750', 'exact', 'energy_storage'], ['850760', 'exact', 'energy_storage'], \
['850780', 'exact', 'energy_storage']]
    """
    df = products.copy()
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df.astype(dict.fromkeys(COLUMNS, str))
    if from_revision is None:
        revs = sorted({normalise_revision(r) or r for r in df["hs_revision"] if r.strip()})
        if len(revs) != 1:
            found = ", ".join(revs) if revs else "none"
            msg = (
                f"the list's hs_revision column names {found}; say which edition the codes "
                "are in with --from (e.g. --from HS2017)"
            )
            raise ValidationError([Problem(msg, path=path, column="hs_revision")])
        from_revision = revs[0]
    a = _revision(from_revision, "the source edition")
    b = _revision(to_revision, "the target edition")
    if a == b:  # nothing to do: the same list, said so
        same = df[list(COLUMNS)].assign(
            hs_revision=b,
            from_codes=df["hs_code"],
            relationship="",
            precision="exact",
            also_covers="",
        )
        links = pd.DataFrame({"from_code": df["hs_code"], "to_code": df["hs_code"]})
        return BasketConversion(same, links.assign(relationship=""), a, b, method,
                                [f"the list is already in {b}; nothing converted"])  # fmt: skip
    known = set(correlation_table(a, b)["from_code"])
    links_all = correlation_table(a, b, method=method)
    problems = []
    codes: list[str] = []
    for i, raw in enumerate(df["hs_code"]):
        code = normalise_hs_code(raw)
        if code is None or code not in known:
            what = "is not a 6-digit HS code" if code is None else f"is not an {a} code"
            problems.append(
                Problem(
                    f"{raw!r} {what} in the UNSD {a}-{b} correlation table; check the code "
                    "and the list's edition (--from)",
                    path=path,
                    row=i + 2,
                    column="hs_code",
                )
            )
        codes.append(code or str(raw))
    if problems:
        raise ValidationError(problems)
    df["hs_code"] = codes
    basket = set(codes)
    links = links_all[links_all["from_code"].isin(basket)].reset_index(drop=True)
    unmapped = sorted(basket - set(links["from_code"]))
    back = links_all[links_all["to_code"].isin(set(links["to_code"]))]
    holds = back.groupby("to_code")["from_code"].agg(lambda s: sorted(set(s)))
    by_code = df.set_index("hs_code")
    rows = []
    notes = []
    src = SOURCE.format(a=a, b=b, x=max(a, b)[2:], y=min(a, b)[2:])
    for to_code, grp in links.groupby("to_code", sort=True):
        came = sorted(set(grp["from_code"]))
        other = [c for c in holds[to_code] if c not in basket]
        origin = by_code.loc[came]
        row = {
            "hs_code": to_code,
            "hs_revision": b,
            "group": _join(origin["group"]),
            "sector": _join(origin["sector"]),
            "technology": _join(origin["technology"]),
            "description": f"{b} {to_code}: holds {a} {', '.join(came)}"
            + (f" and also {', '.join(other)}" if other else ""),
            "source": f"{src}; from {a} {', '.join(came)} ({_join(origin['source'])})",
            "from_codes": ";".join(came),
            "relationship": ";".join(sorted(set(grp["relationship"]))),
            "precision": "wider" if other else "exact",
            "also_covers": ";".join(other),
        }
        if "+" in row["sector"]:
            notes.append(
                f"{b} {to_code} holds basket codes of several sectors ({row['sector']}); "
                "its trade cannot be split between them"
            )
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*COLUMNS, *_EXTRA])
    if unmapped:
        notes.append(
            f"no {b} code converts into {a} {', '.join(unmapped)} (UNSD Conversion sheet); "
            "use --method correlation to follow every published link"
        )
    wider = out[out["precision"] == "wider"]
    if len(wider):
        notes.insert(
            0,
            f"{len(wider)} of {len(out)} {b} codes are wider than the basket (they also hold "
            f"{a} codes outside it, see also_covers): "
            + ", ".join(wider["hs_code"].head(10))
            + (" ..." if len(wider) > 10 else ""),
        )
    return BasketConversion(out, links, a, b, method, notes, unmapped)


@functools.lru_cache(maxsize=1)
def edition_codes() -> dict[str, frozenset[str]]:
    """Return the HS6 codes of each edition, as the shipped UNSD tables list them.

    HS2022 and HS2017 are the newer sides of their tables; every older edition is the
    older side of the HS2022 (and HS2017) tables, where each of its codes is linked to
    where its products went.

    Examples
    --------
    >>> codes = edition_codes()
    >>> "850760" in codes["HS2012"], "850760" in codes["HS2007"], "854142" in codes["HS2017"]
    (True, False, False)
    """
    t = _table()
    out: dict[str, set[str]] = {r: set() for r in HS_REVISIONS}
    for (a, b), g in t.groupby(["from_revision", "to_revision"]):
        out[a].update(g["from_code"])
        out[b].update(g["to_code"])
    return {r: frozenset(c) for r, c in out.items()}


def revision_substitute(code: str, revision: str) -> tuple[list[str], str] | None:
    """Codes of ``revision`` that hold ``code``'s products, by the UNSD Conversion sheet.

    For a code that does not exist in ``revision``: going to an older edition, the one
    code the newer code converts to (a superset when other codes convert to it too); going
    to a newer edition, every newer code that converts into it. ``None`` when no shipped
    table links an edition holding ``code`` with ``revision``.

    Returns
    -------
    tuple of (list of str, str) or None
        The substitute codes and a note saying what they are.

    Examples
    --------
    >>> revision_substitute("854810", "HS2022")[0]
    ['854911', '854912', '854913', '854914', '854919']
    >>> revision_substitute("850760", "HS1996")[0]
    ['850780']
    """
    codes = edition_codes()
    rev = _revision(revision, "the data")
    if code in codes[rev]:
        return [code], f"HS {code} exists in {rev}"
    have = [r for r in HS_REVISIONS if code in codes[r]]
    pairs = set(concordance_pairs())
    # the closest edition that holds the code and has a table with ``rev``
    for src in sorted(have, key=lambda r: abs(int(r[2:]) - int(rev[2:]))):
        if (src, rev) not in pairs and (rev, src) not in pairs:
            continue
        conv = correlation_table(src, rev, method="conversion")
        to = sorted(set(conv.loc[conv["from_code"] == code, "to_code"]))
        if not to:
            continue
        table = f"UNSD conversion {max(src, rev)}->{min(src, rev)}"
        if src > rev:  # older target: one code, which may hold other codes too
            others = sorted(set(conv.loc[conv["to_code"].isin(to), "from_code"]) - {code})
            kind = (
                f"a superset (it also holds {src} {', '.join(others)})"
                if others
                else "the same products"
            )
        else:
            kind = "the sum of the codes that convert into it"
        note = (
            f"HS {code} ({src}) does not exist in {rev}; HS {' + '.join(to)} was used "
            f"instead, {kind} (source: {table})"
        )
        return to, note
    return None
