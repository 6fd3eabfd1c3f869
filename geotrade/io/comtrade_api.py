"""UN Comtrade API client (annual HS data) returning the canonical flow table.

Endpoints (``shared/notes/data-sources.md``, UN Comtrade API v1):

* **preview**, no key: ``https://comtradeapi.un.org/public/v1/preview/C/A/HS`` — at most
  **500 rows per call**;
* **data**, with a subscription key: ``https://comtradeapi.un.org/data/v1/get/C/A/HS`` and
  the header ``Ocp-Apim-Subscription-Key: <key>`` — at most **250 000 rows per call**.

Query parameters used: ``reporterCode``, ``period``, ``cmdCode``, ``flowCode`` (``X``,
``M``, ``RX``, ``RM``), ``partnerCode`` (omitted = all partners, incl. World ``0``),
``maxRecords``, ``format=JSON``, ``breakdownMode=classic``, ``includeDesc=false``. The JSON
answer is ``{"count": n, "data": [record, ...], "error": ...}``; a record has ``refYear``,
``reporterCode``, ``partnerCode``, ``partner2Code``, ``flowCode``, ``classificationCode``
(``H0`` … ``H6``: HS *as reported*), ``cmdCode``, ``primaryValue`` (USD; FOB for exports,
CIF for imports), ``netWgt`` (kg), ``isAggregate``, ``motCode``, ``customsCode`` …

How :func:`fetch_comtrade` behaves:

* **Chunking.** One call per reporter × year (as the notes advise). A response with as many
  rows as the call's limit may be truncated: the chunk is split (HS codes in halves, then one
  flow per call, then partners in halves — "all partners" is expanded to the Comtrade area
  list) and asked again, until no chunk is truncated.
* **Retries.** HTTP 429 and 5xx and network errors are retried with exponential backoff
  (1, 2, 4, … s, at most 60 s), honouring ``Retry-After``; ``sleep`` is injectable.
* **Errors.** HTTP 401/403 (bad or missing key) → :class:`~geotrade.errors.RemoteServiceError`
  telling how to set ``COMTRADE_API_KEY``; HTTP 400 → :class:`~geotrade.errors.ValidationError`
  with the API's message; a body that is not the documented JSON, a service still failing
  after the retries or a truncated answer that cannot be split →
  :class:`~geotrade.errors.RemoteServiceError` (exit code 10). The key never appears in
  messages or cache keys.
* **Cache.** With ``cache_dir``, every answered chunk and the whole result are stored as
  parquet files named by a SHA-256 of the normalised query (endpoint, reporters, partners,
  years, HS codes, flows); a cache hit makes no network call.

UN Comtrade data may not be redistributed (WITS terms): keep fetched files and caches local.

Examples
--------
>>> q = _Query("156", (2022,), ("850760",), ("X",), ("842",))
>>> sorted(q.params(500).items())[:4]
[('breakdownMode', 'classic'), ('cmdCode', '850760'), ('flowCode', 'X'), ('format', 'JSON')]
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from geotrade.errors import (
    DataNotFoundError,
    Problem,
    RemoteServiceError,
    UsageError,
    ValidationError,
)
from geotrade.io.atomic import atomic_path
from geotrade.reporting import Reporter
from geotrade.schema import CANONICAL_COLUMNS, OPTIONAL_COLUMNS

__all__ = [
    "DATA_LIMIT",
    "DATA_URL",
    "ENV_KEY",
    "KEY_HEADER",
    "PREVIEW_LIMIT",
    "PREVIEW_URL",
    "FetchStats",
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "UrllibTransport",
    "clean_key",
    "fetch_comtrade",
]

PREVIEW_URL = "https://comtradeapi.un.org/public/v1/preview/C/A/HS"
DATA_URL = "https://comtradeapi.un.org/data/v1/get/C/A/HS"
PREVIEW_LIMIT = 500
DATA_LIMIT = 250_000
KEY_HEADER = "Ocp-Apim-Subscription-Key"
ENV_KEY = "COMTRADE_API_KEY"

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_FLOW_CODES = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
_FLOW_ALIASES = {
    **{k: k for k in _FLOW_CODES},
    **{v.upper(): k for k, v in _FLOW_CODES.items()},
    "EXPORTS": "X",
    "IMPORTS": "M",
}
_VALUATION = {"X": "FOB", "RX": "FOB", "M": "CIF", "RM": "CIF"}
_CACHE_VERSION = 1


# --- transport -------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpRequest:
    """One GET request: full URL (with query string) and headers."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpResponse:
    """The answer: status code, headers and raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    """Anything that turns an :class:`HttpRequest` into an :class:`HttpResponse`.

    Network failures (no connection, timeout) are raised as :class:`OSError`.
    """

    def __call__(self, request: HttpRequest, *, timeout: float) -> HttpResponse:
        """Perform the request."""
        ...


class UrllibTransport:
    """The default transport, on :mod:`urllib.request` (standard library only)."""

    def __call__(self, request: HttpRequest, *, timeout: float) -> HttpResponse:
        """Perform the request; HTTP error statuses are returned, not raised."""
        req = urllib.request.Request(request.url, headers=dict(request.headers), method="GET")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return HttpResponse(int(r.status), dict(r.headers.items()), r.read())
        except urllib.error.HTTPError as e:
            headers = dict(e.headers.items()) if e.headers is not None else {}
            return HttpResponse(int(e.code), headers, e.read() or b"")


# --- the key ---------------------------------------------------------------------------


def clean_key(key: str | None) -> str | None:
    r"""Return the subscription key without surrounding blanks; ``None`` if there is none.

    A key file saved on Windows ends in ``\r\n``, a pasted key may carry spaces: these
    are stripped. What remains must be printable ASCII without spaces (an HTTP header value
    cannot hold control characters); otherwise a :class:`~geotrade.errors.UsageError` says
    so without showing the key.

    Examples
    --------
    >>> clean_key("  0123abcd\r\n")
    '0123abcd'
    >>> clean_key(" ") is None
    True
    >>> try:
    ...     clean_key("0123 abcd")
    ... except UsageError as e:
    ...     print("abcd" in str(e))
    False
    """
    if key is None:
        return None
    key = key.strip()
    if not key:
        return None
    bad = sorted({f"U+{ord(c):04X}" for c in key if not 0x21 <= ord(c) <= 0x7E})
    if bad:
        msg = (
            f"the Comtrade subscription key ({ENV_KEY}) contains characters a key cannot have "
            f"({', '.join(bad[:5])}: spaces, control or non-ASCII characters) inside it; the "
            "key is not shown. Copy the key again from comtradedeveloper.un.org (primary or "
            "secondary key) and set it without quotes or line breaks"
        )
        raise UsageError(msg, column=ENV_KEY)
    return key


def _redact(text: str, key: str | None) -> str:
    """``text`` with the key (and its stripped form) replaced by ``***``."""
    if key:
        for k in {key, key.strip(), repr(key)[1:-1]}:
            if len(k) >= 4:
                text = text.replace(k, "***")
    return text


# --- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    reporter: str
    years: tuple[int, ...]
    hs_codes: tuple[str, ...]
    flows: tuple[str, ...]
    partners: tuple[str, ...] | None  # None = all partners

    def params(self, limit: int) -> dict[str, str]:
        p = {
            "reporterCode": self.reporter,
            "period": ",".join(str(y) for y in self.years),
            "cmdCode": ",".join(self.hs_codes),
            "flowCode": ",".join(self.flows),
            "maxRecords": str(limit),
            "format": "JSON",
            "breakdownMode": "classic",
            "includeDesc": "false",
        }
        if self.partners is not None:
            p["partnerCode"] = ",".join(self.partners)
        return p

    def describe(self) -> str:
        partners = "all partners" if self.partners is None else f"{len(self.partners)} partner(s)"
        return (
            f"reporter {self.reporter}, {','.join(map(str, self.years))}, "
            f"HS {','.join(self.hs_codes)}, flow {','.join(self.flows)}, {partners}"
        )


def _halves(items: tuple[str, ...]) -> list[tuple[str, ...]]:
    mid = len(items) // 2
    return [items[:mid], items[mid:]]


def _all_partner_codes() -> tuple[str, ...]:
    from geotrade.reference import comtrade_codes

    t = comtrade_codes()
    if "in_comtrade_list" in t.columns:
        t = t[t["in_comtrade_list"].astype(str).str.lower() == "true"]
    return tuple(sorted({str(c) for c in t["code"]}, key=lambda c: (len(c), c)))


def _split(q: _Query) -> list[_Query]:
    if len(q.hs_codes) > 1:
        return [_Query(q.reporter, q.years, h, q.flows, q.partners) for h in _halves(q.hs_codes)]
    if len(q.flows) > 1:
        return [_Query(q.reporter, q.years, q.hs_codes, (f,), q.partners) for f in q.flows]
    partners = q.partners if q.partners is not None else _all_partner_codes()
    if len(partners) > 1:
        return [_Query(q.reporter, q.years, q.hs_codes, q.flows, p) for p in _halves(partners)]
    return []


# --- normalising user input ------------------------------------------------------------


def _iso3_to_code() -> dict[str, str]:
    from geotrade.reference import comtrade_codes

    t = comtrade_codes()
    out = {"WLD": "0"}
    for code, iso3, cat in zip(t["code"], t["iso3"], t["category"], strict=True):
        if cat in ("economy", "economy_comtrade_code") and isinstance(iso3, str) and iso3:
            out.setdefault(iso3.upper(), str(code))
    return out


def _area_codes(values: Iterable[object], what: str, problems: list[Problem]) -> tuple[str, ...]:
    mapping = _iso3_to_code()
    out: list[str] = []
    for v in values:
        text = str(v).strip().upper()
        code = (text.lstrip("0") or "0") if text.isdigit() else mapping.get(text)
        if code is None:
            problems.append(
                Problem(
                    f"unknown {what} {v!r}: expected an ISO3 code (e.g. CHN) or a Comtrade "
                    "numeric area code (e.g. 156)",
                    column=what,
                )
            )
        elif code not in out:
            out.append(code)
    return tuple(out)


def _as_list(values: Iterable[object] | str | int) -> list[object]:
    if isinstance(values, (str, int)):
        return [v for v in str(values).split(",") if v.strip()]
    return list(values)


def _normalise_flows(flows: Iterable[str] | str, problems: list[Problem]) -> tuple[str, ...]:
    out: list[str] = []
    for f in _as_list(flows):
        code = _FLOW_ALIASES.get(str(f).strip().upper())
        if code is None:
            problems.append(
                Problem(f"unknown flow {f!r}: expected X, M, RX or RM (or export/import)")
            )
        elif code not in out:
            out.append(code)
    return tuple(out)


# --- cache -----------------------------------------------------------------------------


def _cache_key(kind: str, payload: Mapping[str, Any]) -> str:
    text = json.dumps({"v": _CACHE_VERSION, "kind": kind, **payload}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _cache_read(cache_dir: Path | None, key: str) -> pd.DataFrame | None:
    if cache_dir is None:
        return None
    p = cache_dir / f"comtrade_{key}.parquet"
    if not p.is_file():
        return None
    try:
        return pd.read_parquet(p)
    except (OSError, ValueError):  # corrupt cache entry: ignore it, fetch again
        return None


def _cache_write(cache_dir: Path | None, key: str, df: pd.DataFrame) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(cache_dir / f"comtrade_{key}.parquet") as tmp:
        df.to_parquet(tmp, index=False)


# --- response handling -----------------------------------------------------------------


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())


def _api_message(body: bytes) -> str:
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return body[:200].decode("utf-8", "replace").strip()
    if isinstance(obj, dict):
        for k in ("error", "message", "Message"):
            if obj.get(k):
                return str(obj[k])
    return json.dumps(obj)[:200]


def _parse(body: bytes, url: str, key: str | None = None) -> tuple[list[dict[str, Any]], int]:
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        head = _redact(body[:80].decode("utf-8", "replace"), key)
        msg = (
            f"the Comtrade API answer is not JSON ({type(exc).__name__}); first bytes: {head!r}. "
            "The service may be down or the endpoint changed; retry later"
        )
        raise RemoteServiceError(msg, path=_public_url(url)) from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("data"), list):
        err = obj.get("error") if isinstance(obj, dict) else None
        detail = f": {_redact(str(err), key)}" if err else ""
        msg = (
            f"the Comtrade API answer has no 'data' list{detail}; expected "
            '{"count": n, "data": [...]}'
        )
        raise RemoteServiceError(msg, path=_public_url(url))
    data = obj["data"]
    count = obj.get("count", len(data))
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = len(data)
    return data, max(count, len(data))


def _public_url(url: str) -> str:
    # the key travels in a header, never in the URL; strip a key parameter anyway
    parts = urllib.parse.urlsplit(url)
    q = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if "key" not in k.lower()]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(q)))


_REQUIRED_FIELDS = ("refYear", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")


def _records_to_canonical(
    records: list[dict[str, Any]], *, release: str, url: str
) -> tuple[pd.DataFrame, int]:
    """Map API records to canonical rows; returns (table, number of breakdown rows skipped)."""
    from geotrade.io.readers._codes import map_codes
    from geotrade.products import normalise_revision
    from geotrade.schema import is_aggregate_code

    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    skipped = 0
    where = _public_url(url)
    for i, r in enumerate(records):
        if not isinstance(r, dict):
            problems.append(Problem(f"record {i} is not a JSON object", path=where))
            continue
        missing = [f for f in _REQUIRED_FIELDS if r.get(f) is None]
        if missing:
            problems.append(
                Problem(f"record {i} lacks {', '.join(missing)}", path=where, column=missing[0])
            )
            continue
        # classic mode gives totals; any finer breakdown row would double count
        p2, mot, cust = r.get("partner2Code"), r.get("motCode"), r.get("customsCode")
        if (
            (p2 not in (None, 0, "0"))
            or (mot not in (None, 0, "0"))
            or (cust not in (None, "", "C00"))
        ):
            skipped += 1
            continue
        flow = str(r["flowCode"]).upper()
        if flow not in _FLOW_CODES:
            problems.append(
                Problem(f"record {i}: unknown flowCode {flow!r}", path=where, column="flowCode")
            )
            continue
        try:
            value = float(r["primaryValue"])
            year = int(r["refYear"])
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    f"record {i}: primaryValue/refYear not numeric",
                    path=where,
                    column="primaryValue",
                )
            )
            continue
        if not np.isfinite(value) or value < 0:
            problems.append(
                Problem(
                    f"record {i}: primaryValue {value} is not >= 0",
                    path=where,
                    column="primaryValue",
                )
            )
            continue
        cmd = str(r["cmdCode"]).strip()
        if cmd.isdigit() and len(cmd) < 6:
            cmd = cmd.zfill(6)
        wgt = r.get("netWgt")
        try:
            qty = float(wgt) if wgt is not None else np.nan
        except (TypeError, ValueError):
            qty = np.nan
        if not qty > 0:  # 0 netWgt with a positive value is a gap, not a zero (notes)
            qty = np.nan
        rows.append(
            {
                "year": year,
                "reporter_code": str(r["reporterCode"]),
                "partner_code": str(r["partnerCode"]),
                "flow": _FLOW_CODES[flow],
                "hs_code": cmd,
                "hs_revision": normalise_revision(r.get("classificationCode")),
                "value_usd": value,
                "quantity": qty,
                "quantity_unit": "kg" if qty == qty else None,
                "valuation": _VALUATION[flow],
                "is_aggregate": bool(r.get("isAggregate")),
            }
        )
    if problems:
        raise RemoteServiceError(
            "the Comtrade API answer does not follow the documented record schema: "
            + "; ".join(p.message for p in problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
            path=where,
        )
    df = pd.DataFrame(rows, columns=_RAW_COLUMNS)

    def iso(codes: pd.Series) -> pd.Series:
        # the same code table as the file readers (geotrade.schema policy)
        mapped, norm = map_codes(codes)
        return mapped.where(mapped.notna(), "_" + norm.astype(str)).astype(str)

    df.insert(1, "reporter_iso3", iso(df["reporter_code"]))
    df.insert(2, "partner_iso3", iso(df["partner_code"]))
    df["is_aggregate"] = (
        df["is_aggregate"].astype(bool)
        | is_aggregate_code(df["partner_iso3"])
        | is_aggregate_code(df["reporter_iso3"])
    )
    df["source"] = "comtrade"
    df["source_release"] = release
    df["provenance"] = "reporter"
    df["year"] = df["year"].astype("int64")
    df["value_usd"] = df["value_usd"].astype("float64")
    df["quantity"] = df["quantity"].astype("float64")
    return df[_OUT_COLUMNS].reset_index(drop=True), skipped


_RAW_COLUMNS = [
    "year",
    "reporter_code",
    "partner_code",
    "flow",
    "hs_code",
    "hs_revision",
    "value_usd",
    "quantity",
    "quantity_unit",
    "valuation",
    "is_aggregate",
]
_OUT_COLUMNS = [*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS]


# --- the client ------------------------------------------------------------------------


@dataclass
class FetchStats:
    """What a fetch did (also in ``result.attrs["fetch"]`` as a dict)."""

    endpoint: Literal["preview", "data"]
    row_limit: int
    calls: int = 0
    retries: int = 0
    cache_hits: int = 0
    splits: int = 0
    breakdown_rows_skipped: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        return dict(self.__dict__)


class _Client:
    def __init__(
        self,
        *,
        key: str | None,
        transport: Transport,
        sleep: Callable[[float], None],
        max_retries: int,
        timeout: float,
        stats: FetchStats,
    ) -> None:
        self.key, self.transport, self.sleep = key, transport, sleep
        self.max_retries, self.timeout, self.stats = max_retries, timeout, stats
        self.base = DATA_URL if key else PREVIEW_URL

    def get(self, q: _Query) -> tuple[list[dict[str, Any]], int, str]:
        url = f"{self.base}?{urllib.parse.urlencode(q.params(self.stats.row_limit))}"
        headers = {"Accept": "application/json", "User-Agent": "geotrade"}
        if self.key:
            headers[KEY_HEADER] = self.key
        req = HttpRequest(url, headers)
        last = ""
        for attempt in range(self.max_retries + 1):
            wait = min(60.0, 2.0**attempt)
            self.stats.calls += 1
            try:
                resp = self.transport(req, timeout=self.timeout)
            except OSError as exc:
                last = f"network error: {_redact(str(exc), self.key)}"
            except (ValueError, TypeError, UnicodeError) as exc:
                # e.g. http.client refusing a header value: its message quotes the value
                msg = (
                    f"the HTTP request could not be sent ({type(exc).__name__}: "
                    f"{_redact(str(exc), self.key)})"
                )
                raise RemoteServiceError(msg, path=_public_url(url)) from None
            else:
                if resp.status == 200:
                    data, count = _parse(resp.body, url, self.key)
                    return data, count, url
                if resp.status in (401, 403):
                    msg = (
                        f"the Comtrade API refused the request (HTTP {resp.status}: "
                        f"{_redact(_api_message(resp.body), self.key)}). "
                        + (
                            f"Check the subscription key in {ENV_KEY} (a primary or secondary "
                            "key of the comtrade-v1 product on comtradedeveloper.un.org), or "
                            "unset it to use the preview endpoint (500 rows per call)"
                            if self.key
                            else f"Set {ENV_KEY} to a subscription key from "
                            "comtradedeveloper.un.org"
                        )
                    )
                    raise RemoteServiceError(msg, path=_public_url(url))
                if resp.status == 404:
                    detail = _redact(_api_message(resp.body), self.key)
                    msg = f"the Comtrade API endpoint was not found (HTTP 404): {detail}"
                    raise DataNotFoundError(msg, path=_public_url(url))
                if resp.status not in _RETRY_STATUS:
                    msg = (
                        f"the Comtrade API rejected the query {q.describe()} "
                        f"(HTTP {resp.status}): {_redact(_api_message(resp.body), self.key)}"
                    )
                    raise ValidationError([Problem(msg, path=_public_url(url))])
                last = f"HTTP {resp.status}"
                after = _retry_after(resp.headers)
                if after is not None:
                    wait = min(after, 300.0)
            if attempt < self.max_retries:
                self.stats.retries += 1
                self.sleep(wait)
        msg = (
            f"the Comtrade API did not answer {q.describe()} after {self.max_retries + 1} "
            f"attempts (last: {last}); check the network or retry later"
        )
        raise RemoteServiceError(msg)


def fetch_comtrade(
    *,
    reporters: Iterable[str] | str,
    partners: Iterable[str] | str | None = None,
    years: Iterable[int] | int,
    hs_codes: Iterable[str] | str,
    flows: Iterable[str] | str = ("X", "M"),
    key: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    max_rows: int | None = None,
    transport: Transport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_retries: int = 5,
    timeout: float = 120.0,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """Download annual HS trade from the UN Comtrade API as a canonical flow table.

    Parameters
    ----------
    reporters
        Reporting economies: ISO3 (``"CHN"``) or Comtrade codes (``"156"``).
    partners
        Partner economies likewise; ``None`` or ``"all"`` = every partner (incl. World).
    years
        Calendar years.
    hs_codes
        HS6 codes (``"850760"``) or ``"TOTAL"``.
    flows
        ``"X"`` exports, ``"M"`` imports, ``"RX"``, ``"RM"`` (or ``"export"``, ...).
    key
        Subscription key; default: the environment variable ``COMTRADE_API_KEY``. Without
        a key the preview endpoint is used (500 rows per call).
    cache_dir
        Directory of the parquet cache (created if missing); ``None`` = no cache.
    max_rows
        Row limit per call (default: 500 preview, 250 000 with a key; cannot exceed these).
    transport
        The HTTP transport (default :class:`UrllibTransport`); tests inject a fake.
    sleep
        Called with the number of seconds to wait between retries.
    max_retries
        Retries per call on HTTP 429/5xx and network errors.
    timeout
        Seconds per HTTP request.
    reporter
        Progress reporter (:mod:`geotrade.reporting`); not to be confused with ``reporters``.

    Returns
    -------
    pandas.DataFrame
        Canonical flow table (``source="comtrade"``, ``source_release`` = endpoint and UTC
        retrieval date, ``hs_revision`` as reported, ``reporter_code``/``partner_code``,
        ``is_aggregate``, ``provenance="reporter"``); ``attrs["fetch"]`` holds
        :class:`FetchStats` as a dict.

    Raises
    ------
    ValidationError
        Bad arguments (unknown economies, flows, codes; all listed) or HTTP 400.
    RemoteServiceError
        HTTP 401/403 (key refused), an answer that is not the documented JSON, still
        failing after the retries, or a truncated answer that cannot be split.

    Examples
    --------
    >>> def fake(request, *, timeout):
    ...     body = {"count": 1, "data": [{"refYear": 2022, "reporterCode": 156,
    ...         "partnerCode": 842, "flowCode": "X", "cmdCode": "850760",
    ...         "classificationCode": "H6", "primaryValue": 10140436891.0}]}
    ...     return HttpResponse(200, {}, json.dumps(body).encode())
    >>> t = fetch_comtrade(reporters="CHN", partners="USA", years=2022, hs_codes="850760",
    ...                    flows="X", key="", transport=fake)
    >>> t[["reporter_iso3", "partner_iso3", "flow", "hs_revision", "valuation"]].values.tolist()
    [['CHN', 'USA', 'export', 'HS2022', 'FOB']]
    """
    from geotrade.products import normalise_hs_code

    problems: list[Problem] = []
    rep_codes = _area_codes(_as_list(reporters), "reporter", problems)
    all_partners = partners is None or (
        isinstance(partners, str) and partners.strip().lower() in ("all", "")
    )
    part_codes = None if all_partners else _area_codes(_as_list(partners), "partner", problems)  # type: ignore[arg-type]
    year_list: list[int] = []
    for y in _as_list(years):
        try:
            year_list.append(int(str(y).strip()))
        except ValueError:
            problems.append(Problem(f"year {y!r} is not an integer", column="years"))
    hs: list[str] = []
    for c in _as_list(hs_codes):
        n = normalise_hs_code(c)
        if n is None:
            problems.append(Problem(f"{c!r} is not a 6-digit HS code or TOTAL", column="hs"))
        elif n not in hs:
            hs.append(n)
    flow_codes = _normalise_flows(flows, problems)
    for name, seq in (("reporters", rep_codes), ("years", year_list), ("HS codes", hs)):
        if not seq and not problems:
            problems.append(Problem(f"no {name} given"))
    if key is None:
        key = os.environ.get(ENV_KEY)
    key = clean_key(key)
    endpoint: Literal["preview", "data"] = "data" if key else "preview"
    cap = DATA_LIMIT if key else PREVIEW_LIMIT
    if max_rows is not None and not (1 <= max_rows <= cap):
        problems.append(
            Problem(f"max_rows must be between 1 and {cap} for the {endpoint} endpoint")
        )
    if problems:
        raise ValidationError(problems)
    limit = max_rows or cap
    stats = FetchStats(endpoint=endpoint, row_limit=limit)
    cdir = Path(cache_dir) if cache_dir is not None else None
    whole_key = _cache_key(
        "fetch",
        {
            "endpoint": endpoint,
            "reporters": sorted(rep_codes),
            "partners": None if part_codes is None else sorted(part_codes),
            "years": sorted(set(year_list)),
            "hs": sorted(hs),
            "flows": sorted(flow_codes),
            "limit": limit,
        },
    )
    cached = _cache_read(cdir, whole_key)
    if cached is not None:
        stats.cache_hits += 1
        stats.rows = len(cached)
        cached.attrs["fetch"] = stats.to_record()
        return cached

    client = _Client(
        key=key,
        transport=transport or UrllibTransport(),
        sleep=sleep,
        max_retries=max_retries,
        timeout=timeout,
        stats=stats,
    )
    rep = reporter or Reporter()
    queue = [
        _Query(r, (y,), tuple(hs), flow_codes, part_codes)
        for r in rep_codes
        for y in sorted(set(year_list))
    ]
    frames: list[pd.DataFrame] = []
    with rep.task("comtrade", total=len(queue), message=endpoint) as task:
        while queue:
            q = queue.pop(0)
            ckey = _cache_key("chunk", {"endpoint": endpoint, "params": q.params(limit)})
            hit = _cache_read(cdir, ckey)
            if hit is not None:
                stats.cache_hits += 1
                frames.append(hit)
                task.advance(message=f"cached: {q.describe()}")
                continue
            data, count, url = client.get(q)
            if count >= limit:
                parts = _split(q)
                if not parts:
                    msg = (
                        f"the answer for {q.describe()} has {count} rows, the {endpoint} "
                        f"limit per call ({limit}), and may be truncated; it cannot be split "
                        "further. "
                        + (
                            f"Set {ENV_KEY} to use the data endpoint (250 000 rows per call)"
                            if endpoint == "preview"
                            else "Raise max_rows"
                        )
                    )
                    raise RemoteServiceError(msg)
                stats.splits += 1
                queue[:0] = parts
                if task.total is not None:
                    task.total += len(parts) - 1
                rep.log(f"{count} rows = limit for {q.describe()}: split into {len(parts)} calls")
                continue
            release = (
                f"UN Comtrade API v1 {endpoint}, retrieved "
                f"{_dt.datetime.now(_dt.timezone.utc).date().isoformat()}"
            )
            df, skipped = _records_to_canonical(data, release=release, url=url)
            stats.breakdown_rows_skipped += skipped
            _cache_write(cdir, ckey, df)
            frames.append(df)
            task.advance(message=q.describe())
    non_empty = [f for f in frames if not f.empty]
    out = (
        pd.concat(non_empty, ignore_index=True)
        if non_empty
        else pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _OUT_COLUMNS})
    )
    out = out.sort_values(
        ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code"], kind="stable"
    ).reset_index(drop=True)
    if stats.breakdown_rows_skipped:
        stats.notes.append(
            f"{stats.breakdown_rows_skipped} breakdown rows (partner2/mode of transport/customs "
            "procedure other than the total) were skipped to avoid double counting"
        )
    if endpoint == "preview":
        stats.notes.append(
            f"preview endpoint (no {ENV_KEY}): at most {PREVIEW_LIMIT} rows per call; "
            "truncated answers were split"
        )
    stats.rows = len(out)
    _cache_write(cdir, whole_key, out)
    out.attrs["fetch"] = stats.to_record()
    return out


def _dtype(column: str) -> str:
    if column == "year":
        return "int64"
    if column in ("value_usd", "quantity"):
        return "float64"
    if column == "is_aggregate":
        return "bool"
    return "object"
