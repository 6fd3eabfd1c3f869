"""UN Comtrade API client against hand-written responses and a fake transport (no network)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade.errors import RemoteServiceError, ValidationError
from geotrade.io import comtrade_api as api
from geotrade.io.comtrade_api import HttpRequest, HttpResponse, fetch_comtrade

DATA = Path(__file__).parent / "data" / "comtrade_api"
KEY = "s3cr3t-key-0123456789"


class Recorded:
    """Serve a fixed sequence of responses; remember every request."""

    def __init__(self, *responses: HttpResponse | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest, *, timeout: float) -> HttpResponse:
        self.requests.append(request)
        r = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(r, Exception):
            raise r
        return r


def _file(name: str, status: int = 200, headers: dict | None = None) -> HttpResponse:
    return HttpResponse(status, headers or {}, (DATA / name).read_bytes())


def _params(req: HttpRequest) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(req.url).query))


class FakeApi:
    """A tiny Comtrade: filters a record database by the query and truncates at maxRecords."""

    def __init__(self, db: list[dict]) -> None:
        self.db = db
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest, *, timeout: float) -> HttpResponse:
        self.requests.append(request)
        p = _params(request)

        def sel(name: str) -> set[str] | None:
            return set(p[name].split(",")) if name in p else None

        rep, per, cmd, flw, par = (
            sel(n) for n in ("reporterCode", "period", "cmdCode", "flowCode", "partnerCode")
        )
        rows = [
            r
            for r in self.db
            if str(r["reporterCode"]) in rep
            and str(r["refYear"]) in per
            and r["cmdCode"] in cmd
            and r["flowCode"] in flw
            and (par is None or str(r["partnerCode"]) in par)
        ]
        rows = rows[: int(p["maxRecords"])]
        body = json.dumps({"count": len(rows), "data": rows, "error": ""}).encode()
        return HttpResponse(200, {}, body)


def _db() -> list[dict]:
    rng = np.random.default_rng(7)
    partners = [0, 36, 76, 124, 251, 276, 392, 410, 484, 490, 528, 699, 704, 757, 826, 842]
    out = []
    for year in (2021, 2022):
        for cmd in ("850760", "282520", "283691"):
            for flow in ("X", "M"):
                for pc in partners:
                    out.append(
                        {
                            "refYear": year,
                            "reporterCode": 156,
                            "partnerCode": pc,
                            "partner2Code": 0,
                            "flowCode": flow,
                            "cmdCode": cmd,
                            "classificationCode": "H6" if year == 2022 else "H5",
                            "customsCode": "C00",
                            "motCode": 0,
                            "primaryValue": float(rng.integers(1, 10**9)),
                            "netWgt": float(rng.integers(0, 10**6)),
                            "isAggregate": pc == 0,
                        }
                    )
    return out


# --- mapping ---------------------------------------------------------------------------


def test_recorded_preview_maps_to_canonical():
    t = fetch_comtrade(
        reporters="CHN",
        years=2022,
        hs_codes="850760",
        key="",
        transport=Recorded(_file("preview_chn_2022_850760.json")),
    )
    got = {(r.partner_iso3, r.flow): r for r in t.itertuples()}
    # 6 records, one is a mode-of-transport breakdown row that must be skipped
    assert len(t) == 5
    assert t.attrs["fetch"]["breakdown_rows_skipped"] == 1
    assert set(got) == {
        ("USA", "export"),
        ("WLD", "export"),
        ("_899", "export"),
        ("KOR", "import"),
        ("TWN", "import"),
    }
    usa = got[("USA", "export")]
    assert usa.value_usd == 10_140_436_891.0
    assert (usa.valuation, usa.hs_revision, usa.quantity, usa.quantity_unit) == (
        "FOB",
        "HS2022",
        250000.0,
        "kg",
    )
    assert (usa.reporter_iso3, usa.reporter_code, usa.partner_code) == ("CHN", "156", "842")
    kor = got[("KOR", "import")]
    assert (kor.value_usd, kor.valuation) == (2_500_000_000.0, "CIF")  # total row only
    wld = got[("WLD", "export")]
    assert wld.is_aggregate
    assert np.isnan(wld.quantity)  # netWgt 0 with a positive value is a gap
    assert not usa.is_aggregate
    assert set(t["source"]) == {"comtrade"}
    assert t["source_release"].str.contains("preview").all()
    assert set(t["provenance"]) == {"reporter"}
    assert t["year"].dtype == np.int64
    assert t["value_usd"].dtype == np.float64


def test_output_passes_canonical_validation():
    validate = pytest.importorskip("geotrade.io.canonical").validate_flows
    t = fetch_comtrade(
        reporters="CHN",
        years=2022,
        hs_codes="850760",
        key="",
        transport=Recorded(_file("preview_chn_2022_850760.json")),
    )
    v = validate(t)
    assert len(v) == len(t)


# --- endpoints, keys -----------------------------------------------------------------------


def test_preview_without_key_and_data_endpoint_with_key(monkeypatch):
    monkeypatch.delenv(api.ENV_KEY, raising=False)
    rec = Recorded(_file("preview_chn_2022_850760.json"))
    fetch_comtrade(
        reporters="CHN", partners="USA,KOR", years=[2022], hs_codes=["850760"], transport=rec
    )
    req = rec.requests[0]
    assert req.url.startswith(api.PREVIEW_URL + "?")
    assert api.KEY_HEADER not in req.headers
    p = _params(req)
    assert p == {
        "reporterCode": "156",
        "period": "2022",
        "cmdCode": "850760",
        "flowCode": "X,M",
        "partnerCode": "842,410",
        "maxRecords": "500",
        "format": "JSON",
        "breakdownMode": "classic",
        "includeDesc": "false",
    }

    monkeypatch.setenv(api.ENV_KEY, KEY)
    rec = Recorded(_file("preview_chn_2022_850760.json"))
    t = fetch_comtrade(reporters="CHN", years=2022, hs_codes="850760", transport=rec)
    req = rec.requests[0]
    assert req.url.startswith(api.DATA_URL + "?")
    assert req.headers[api.KEY_HEADER] == KEY
    assert KEY not in req.url
    assert _params(req)["maxRecords"] == "250000"
    assert "partnerCode" not in _params(req)
    assert t.attrs["fetch"]["endpoint"] == "data"


def test_one_call_per_reporter_and_year():
    fake = FakeApi(_db())
    fetch_comtrade(
        reporters=["CHN", "USA"], years=[2021, 2022], hs_codes="850760", key="", transport=fake
    )
    calls = sorted((_params(r)["reporterCode"], _params(r)["period"]) for r in fake.requests)
    assert calls == [("156", "2021"), ("156", "2022"), ("842", "2021"), ("842", "2022")]


# --- truncation ------------------------------------------------------------------------------


def test_truncated_answers_are_split_until_complete():
    db = _db()
    fake = FakeApi(db)
    t = fetch_comtrade(
        reporters="CHN",
        years=[2021, 2022],
        hs_codes=["850760", "282520", "283691"],
        flows="X,M",
        key="",
        max_rows=5,
        transport=fake,
    )
    # reference: the fake's whole database (every record is a classic total row)
    expect = sorted(
        (r["refYear"], r["partnerCode"], r["flowCode"], r["cmdCode"], r["primaryValue"]) for r in db
    )
    flow_code = {"export": "X", "import": "M"}
    got = sorted(
        (r.year, int(r.partner_code), flow_code[r.flow], r.hs_code, r.value_usd)
        for r in t.itertuples()
    )
    assert got == expect
    stats = t.attrs["fetch"]
    assert stats["splits"] > 0
    # every answer that was kept had fewer rows than the limit
    for req in fake.requests:
        p = _params(req)
        assert int(p["maxRecords"]) == 5
    assert stats["calls"] == len(fake.requests)


def test_truncation_that_cannot_be_split_raises():
    rec = Recorded(_file("preview_chn_2022_850760.json"))
    with pytest.raises(RemoteServiceError, match="COMTRADE_API_KEY"):
        fetch_comtrade(
            reporters="CHN",
            partners="USA",
            years=2022,
            hs_codes="850760",
            flows="X",
            key="",
            max_rows=6,
            transport=rec,
        )


# --- retries ------------------------------------------------------------------------------------


def test_retry_after_and_exponential_backoff():
    ok = _file("preview_chn_2022_850760.json")
    rec = Recorded(
        _file("error_429.json", 429, {"Retry-After": "7"}),
        HttpResponse(503, {}, b"busy"),
        OSError("connection reset"),
        ok,
    )
    slept: list[float] = []
    t = fetch_comtrade(
        reporters="CHN", years=2022, hs_codes="850760", key="", transport=rec, sleep=slept.append
    )
    # attempt 0: Retry-After 7 s; attempt 1: 2**1 s; attempt 2: 2**2 s
    assert slept == [7.0, 2.0, 4.0]
    assert len(t) == 5
    assert t.attrs["fetch"]["retries"] == 3
    assert t.attrs["fetch"]["calls"] == 4


def test_gives_up_after_max_retries():
    rec = Recorded(HttpResponse(502, {}, b"bad gateway"))
    slept: list[float] = []
    with pytest.raises(RemoteServiceError, match="after 4 attempts"):
        fetch_comtrade(
            reporters="CHN",
            years=2022,
            hs_codes="850760",
            key="",
            transport=rec,
            sleep=slept.append,
            max_retries=3,
        )
    assert slept == [1.0, 2.0, 4.0]
    assert len(rec.requests) == 4


# --- errors ---------------------------------------------------------------------------------------


def test_bad_key_is_a_clear_error_without_the_key():
    rec = Recorded(_file("error_401.json", 401))
    with pytest.raises(RemoteServiceError) as ei:
        fetch_comtrade(reporters="CHN", years=2022, hs_codes="850760", key=KEY, transport=rec)
    msg = str(ei.value)
    assert "HTTP 401" in msg
    assert "COMTRADE_API_KEY" in msg
    assert "invalid subscription key" in msg
    assert KEY not in msg
    assert len(rec.requests) == 1  # not retried


def test_http_400_is_a_validation_error():
    rec = Recorded(_file("error_400.json", 400))
    with pytest.raises(ValidationError, match="not a valid reporter code"):
        fetch_comtrade(reporters="156", years=2022, hs_codes="850760", key="", transport=rec)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("malformed.html", "not JSON"),
        ("bad_record.json", "primaryValue"),
        ("error_400.json", "no 'data' list"),
    ],
)
def test_malformed_answers(name, match):
    rec = Recorded(_file(name))
    with pytest.raises(RemoteServiceError, match=match):
        fetch_comtrade(reporters="CHN", years=2022, hs_codes="850760", key="", transport=rec)


def test_bad_arguments_are_listed_together():
    with pytest.raises(ValidationError) as ei:
        fetch_comtrade(
            reporters="CHN,XXX",
            partners="ZZZ",
            years="20x2",
            hs_codes="85",
            flows="X,Q",
            key="",
            transport=Recorded(HttpResponse(500, {}, b"")),
        )
    assert len(ei.value.problems) == 5
    with pytest.raises(ValidationError, match="max_rows"):
        fetch_comtrade(
            reporters="CHN",
            years=2022,
            hs_codes="850760",
            key="",
            max_rows=501,
            transport=Recorded(HttpResponse(500, {}, b"")),
        )


# --- cache ---------------------------------------------------------------------------------


def _no_network(request, *, timeout):  # pragma: no cover - must not be called
    raise AssertionError(f"network used: {request.url}")


def test_cache_hit_makes_no_call(tmp_path):
    fake = FakeApi(_db())
    kw = {
        "reporters": "CHN",
        "years": [2021, 2022],
        "hs_codes": "850760,282520",
        "key": "",
        "cache_dir": tmp_path / "cache",
        "max_rows": 20,
    }
    first = fetch_comtrade(**kw, transport=fake)
    assert first.attrs["fetch"]["calls"] == len(fake.requests) > 0
    again = fetch_comtrade(**kw, transport=_no_network)
    assert again.attrs["fetch"]["calls"] == 0
    assert again.attrs["fetch"]["cache_hits"] == 1
    pd.testing.assert_frame_equal(first, again)
    # a different query is a different key
    fake2 = FakeApi(_db())
    fetch_comtrade(**{**kw, "hs_codes": "850760"}, transport=fake2)
    assert fake2.requests


def test_chunk_cache_survives_a_failed_run(tmp_path):
    db = _db()
    cache = tmp_path / "cache"

    class FailSecondYear(FakeApi):
        def __call__(self, request, *, timeout):
            if _params(request)["period"] == "2022":
                return HttpResponse(401, {}, b'{"message": "denied"}')
            return super().__call__(request, timeout=timeout)

    with pytest.raises(RemoteServiceError):
        fetch_comtrade(
            reporters="CHN",
            years=[2021, 2022],
            hs_codes="850760",
            key="",
            cache_dir=cache,
            transport=FailSecondYear(db),
        )
    fake = FakeApi(db)
    t = fetch_comtrade(
        reporters="CHN",
        years=[2021, 2022],
        hs_codes="850760",
        key="",
        cache_dir=cache,
        transport=fake,
    )
    assert [_params(r)["period"] for r in fake.requests] == ["2022"]  # 2021 came from cache
    assert sorted(t["year"].unique().tolist()) == [2021, 2022]
    assert t.attrs["fetch"]["cache_hits"] == 1


def test_cache_file_names_do_not_contain_the_key(tmp_path):
    fetch_comtrade(
        reporters="CHN",
        years=2022,
        hs_codes="850760",
        key=KEY,
        cache_dir=tmp_path,
        transport=Recorded(_file("preview_chn_2022_850760.json")),
    )
    files = list(tmp_path.iterdir())
    assert files
    for f in files:
        assert KEY not in f.name
        assert KEY.encode() not in f.read_bytes()


# --- CLI -----------------------------------------------------------------------------------


def _json_lines(capsys) -> list[dict]:
    return [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]


def test_cli_fetch_comtrade(tmp_path, capsys, monkeypatch):
    from geotrade.cli import main

    monkeypatch.delenv(api.ENV_KEY, raising=False)
    fake = FakeApi(_db())
    monkeypatch.setattr(api, "UrllibTransport", lambda: fake)
    out = tmp_path / "chn.parquet"
    code = main(
        [
            "--json",
            "fetch",
            "comtrade",
            "--reporter",
            "CHN",
            "--partner",
            "all",
            "--years",
            "2021-2022",
            "--hs",
            "850760",
            "--flow",
            "X,M",
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
        ]
    )
    recs = _json_lines(capsys)
    assert code == 0, recs[-1]
    assert recs[-1]["type"] == "result"
    assert recs[-1]["outputs"] == {"parquet": str(out)}
    assert any(
        r["type"] == "log" and r["level"] == "warning" and "500" in r["message"] for r in recs
    )
    t = pd.read_parquet(out)
    assert len(t) == recs[-1]["rows"] == 2 * 2 * 16
    assert [_params(r)["period"] for r in fake.requests] == ["2021", "2022"]


def test_cli_fetch_bad_years_and_errors(tmp_path, capsys, monkeypatch):
    from geotrade.cli import main

    monkeypatch.setattr(api, "UrllibTransport", lambda: Recorded(_file("error_401.json", 401)))
    monkeypatch.setenv(api.ENV_KEY, KEY)
    out = tmp_path / "x.parquet"
    args = ["--json", "fetch", "comtrade", "--reporter", "CHN", "--hs", "850760", "--out", str(out)]
    # a reversed range is a usage error naming --years
    assert main([*args, "--years", "2022-2012"]) == 2
    assert _json_lines(capsys)[-1]["type"] == "error"
    assert main([*args, "--years", "2022"]) == RemoteServiceError.exit_code
    rec = _json_lines(capsys)[-1]
    assert rec["type"] == "error"
    assert rec["code"] == "remote"
    assert KEY not in json.dumps(rec)
    assert not out.exists()


def test_mapping_agrees_with_the_file_reader():
    # independent implementation: geotrade.io.readers.comtrade reads a saved API answer
    readers = pytest.importorskip("geotrade.io.readers.comtrade")
    path = DATA / "preview_chn_2022_850760.json"
    ref = readers.read_comtrade(path)
    t = fetch_comtrade(
        reporters="CHN", years=2022, hs_codes="850760", key="", transport=Recorded(_file(path.name))
    )
    cols = [
        "year",
        "reporter_iso3",
        "partner_iso3",
        "flow",
        "hs_code",
        "hs_revision",
        "value_usd",
        "quantity",
        "valuation",
    ]
    key = ["partner_iso3", "flow"]
    a = t[cols].sort_values(key).reset_index(drop=True)
    b = ref[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
