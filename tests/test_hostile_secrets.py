"""Issue #18 item 1: the Comtrade key is cleaned and never appears in any output or message.

Every run goes through the real command line with a fake transport; afterwards every file
under the run's directory (output, cache) and every stdout/stderr line are scanned for the
key (and for the raw value with its line break).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geotrade.cli import main
from geotrade.errors import UsageError
from geotrade.io import comtrade_api as api
from geotrade.io.comtrade_api import HttpRequest, HttpResponse, clean_key

KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
BODY = {
    "count": 1,
    "data": [
        {
            "refYear": 2022,
            "reporterCode": 156,
            "partnerCode": 842,
            "flowCode": "X",
            "cmdCode": "850760",
            "classificationCode": "H6",
            "primaryValue": 10140436891.0,
            "netWgt": 250000000.0,
        }
    ],
}


class Echo:
    """A transport that answers ``status`` and, like a careless server, echoes the headers."""

    def __init__(self, status: int) -> None:
        self.status, self.seen = status, []

    def __call__(self, request: HttpRequest, *, timeout: float) -> HttpResponse:
        self.seen.append(dict(request.headers))
        value = request.headers.get(api.KEY_HEADER, "")
        if any(c in value for c in "\r\n "):  # what http.client does with such a value
            raise ValueError(f"Invalid header value {value.encode()!r}")
        if self.status == 200:
            return HttpResponse(200, {}, json.dumps(BODY).encode())
        body = {"statusCode": self.status, "message": f"Access denied for key {value}"}
        return HttpResponse(self.status, {"Retry-After": "0"}, json.dumps(body).encode())


def _scan(root: Path, texts: list[str], secret: str) -> None:
    for text in texts:
        assert secret not in text
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert secret.encode() not in data, f"the key is in {p}"


def _run(tmp_path: Path, monkeypatch, capsys, raw_key: str, transport: Echo, *extra: str):
    monkeypatch.setenv(api.ENV_KEY, raw_key)
    monkeypatch.setattr(api, "UrllibTransport", lambda: transport)
    out = tmp_path / "chn.parquet"
    argv = [
        *extra,
        "fetch",
        "comtrade",
        "--reporter",
        "CHN",
        "--partner",
        "USA",
        "--years",
        "2022",
        "--hs",
        "850760",
        "--flow",
        "X",
        "--out",
        str(out),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    code = main(argv)
    captured = capsys.readouterr()
    return code, [captured.out, captured.err], out


@pytest.mark.parametrize("mode", [["--json"], [], ["--json", "--debug"], ["--debug"]])
@pytest.mark.parametrize("raw", [KEY, KEY + "\r\n", KEY + "\r", f"  {KEY}\t"])
def test_succeeding_fetch_strips_the_key_and_never_writes_it(
    tmp_path, monkeypatch, capsys, raw, mode
) -> None:
    fake = Echo(200)
    code, texts, out = _run(tmp_path, monkeypatch, capsys, raw, fake, *mode)
    assert code == 0, texts
    assert fake.seen[0][api.KEY_HEADER] == KEY  # stripped before use
    assert out.is_file()
    _scan(tmp_path, texts, KEY)
    import pandas as pd

    t = pd.read_parquet(out)
    assert KEY not in json.dumps(t.astype(str).to_dict("list"))


@pytest.mark.parametrize("mode", [["--json"], [], ["--json", "--debug"], ["--debug"]])
@pytest.mark.parametrize("status", [401, 403, 400, 404, 500])
def test_failing_fetch_never_shows_the_key(tmp_path, monkeypatch, capsys, status, mode) -> None:
    code, texts, out = _run(tmp_path, monkeypatch, capsys, KEY + "\r\n", Echo(status), *mode)
    assert code in (4, 5, 10), texts
    assert code != 9
    assert not out.exists()
    _scan(tmp_path, texts, KEY)
    assert "***" in "".join(texts) or status == 500  # the echoed key was replaced


@pytest.mark.parametrize("raw", [KEY[:8] + " " + KEY[8:], KEY[:8] + "\x07" + KEY[8:], KEY + "é"])
@pytest.mark.parametrize("mode", [["--json"], ["--debug"]])
def test_key_with_inner_garbage_is_a_usage_error_without_the_key(
    tmp_path, monkeypatch, capsys, raw, mode
) -> None:
    fake = Echo(200)
    code, texts, _out = _run(tmp_path, monkeypatch, capsys, raw, fake, *mode)
    assert code == UsageError.exit_code == 2
    assert fake.seen == []  # nothing was sent
    assert "COMTRADE_API_KEY" in "".join(texts)
    _scan(tmp_path, texts, KEY[8:])
    _scan(tmp_path, texts, KEY[:8])


def test_transport_errors_quoting_the_key_are_redacted() -> None:
    def leaky(request, *, timeout):
        raise ValueError(f"bad header {request.headers[api.KEY_HEADER]}")

    with pytest.raises(api.RemoteServiceError) as info:
        api.fetch_comtrade(reporters="CHN", years=2022, hs_codes="850760", key=KEY, transport=leaky)
    assert KEY not in str(info.value)
    assert "***" in str(info.value)

    def down(request, *, timeout):
        raise OSError(f"proxy refused {request.headers[api.KEY_HEADER]}")

    with pytest.raises(api.RemoteServiceError) as info:
        api.fetch_comtrade(
            reporters="CHN",
            years=2022,
            hs_codes="850760",
            key=KEY,
            transport=down,
            sleep=lambda s: None,
            max_retries=1,
        )
    assert KEY not in str(info.value)


def test_clean_key() -> None:
    assert clean_key(KEY + "\r\n") == KEY
    assert clean_key("\n") is None
    assert clean_key(None) is None
    with pytest.raises(UsageError) as info:
        clean_key("ab\rcd-secret")
    assert "cd-secret" not in str(info.value)
    assert "U+000D" in str(info.value)
