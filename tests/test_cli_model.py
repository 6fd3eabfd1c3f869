"""``geotrade model nb|gravity|sample-panel`` in-process: outputs, JSON records, exit codes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geotrade.cli import main
from geotrade.synthetic.panel import TRUE_NB, make_panel


def _records(capsys):
    out = capsys.readouterr().out
    return [json.loads(ln) for ln in out.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    d = tmp_path_factory.mktemp("panel")
    path = d / "panel.csv"
    make_panel(n_partners=40).to_csv(path, index=False)
    return path


def test_sample_panel_writes_csv_and_sidecar(tmp_path, capsys):
    out = tmp_path / "panel.csv"
    assert main(["--json", "model", "sample-panel", str(out), "--partners", "20"]) == 0
    rec = _records(capsys)[-1]
    assert rec["type"] == "result"
    assert rec["command"] == "model sample-panel"
    assert rec["synthetic"] is True
    meta = json.loads((tmp_path / "panel.meta.json").read_text())
    assert meta["synthetic"] is True
    assert meta["nb"]["gdp_log"] == TRUE_NB["gdp_log"]
    df = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert len(df) == 20 * 12
    assert df["synthetic"].all()
    assert rec["outputs"] == {"csv": str(out), "meta": str(tmp_path / "panel.meta.json")}
    # the CSV holds the generator's numbers (default seed)
    ref = make_panel(n_partners=20)
    assert df["exports_usd"].tolist() == pytest.approx(ref["exports_usd"].tolist())


def test_nb_command_writes_tables(tmp_path, panel_csv, capsys):
    md, tex, csv = tmp_path / "t.md", tmp_path / "t.tex", tmp_path / "t.csv"
    args = [
        "--json",
        "model",
        "nb",
        str(panel_csv),
        "--y",
        "exports_usd",
        "--x",
        "gdp_log,dist_log,bri",
        "--by",
        "year",
        "--years",
        "2017,2022",
        "--round-thousand",
        "--md",
        str(md),
        "--tex",
        str(tex),
        "--csv",
        str(csv),
    ]
    assert main(args) == 0
    rec = _records(capsys)[-1]
    assert rec["type"] == "result"
    assert rec["command"] == "model nb"
    assert rec["outputs"] == {"csv": str(csv), "md": str(md), "tex": str(tex)}
    assert [f["year"] for f in rec["fits"]] == [2017, 2022]
    assert rec["synthetic"] is True
    assert "SYNTHETIC" in md.read_text(encoding="utf-8")
    assert r"\multicolumn{2}{c}{exports\_usd}" in tex.read_text(encoding="utf-8")
    # numbers in the record equal the library
    from geotrade.models.nb import fit_nb

    df = pd.read_csv(panel_csv)
    lib = fit_nb(
        df[df["year"] == 2022],
        y="exports_usd",
        x=["gdp_log", "dist_log", "bri"],
        round_thousand=True,
    ).fits[0]
    got = rec["fits"][1]["coefficients"]["gdp_log"]["coef"]
    assert got == pytest.approx(lib.coefs.set_index("variable").loc["gdp_log", "coef"], abs=1e-10)


def test_gravity_command_with_map(tmp_path, panel_csv, capsys):
    gpkg, md, dropped = tmp_path / "r.gpkg", tmp_path / "g.md", tmp_path / "dropped.csv"
    args = [
        "--json",
        "model",
        "gravity",
        str(panel_csv),
        "--y",
        "lct_imports",
        "--x",
        "gdp_log,openness",
        "--lag",
        "--method",
        "both",
        "--fe",
        "partner,year",
        "--cluster",
        "partner",
        "--md",
        str(md),
        "--gpkg",
        str(gpkg),
        "--dropped",
        str(dropped),
    ]
    assert main(args) == 0
    recs = _records(capsys)
    rec = recs[-1]
    assert rec["type"] == "result"
    assert rec["command"] == "model gravity"
    assert set(rec["outputs"]) == {"md", "gpkg", "dropped"}
    assert rec["layers"] == ["residuals_ols_lct_imports", "residuals_ppml_lct_imports"]
    assert rec["fits"][1]["dropped_by_reason"]["separation"] == 2 * 11
    assert any(r["type"] == "log" and "separation" in r["message"] for r in recs)
    d = pd.read_csv(dropped)
    assert set(d["reason"]) == {"no lag", "log of zero", "separation"}
    assert gpkg.exists()
    assert "Trade Partner FE" in md.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["model", "nb", "missing.csv", "--y", "a", "--x", "b"], 4),
        (["model", "nb", "{panel}", "--y", "exports_usd", "--x", "nope"], 3),
        (
            [
                "model",
                "gravity",
                "{panel}",
                "--y",
                "lct_imports",
                "--x",
                "gdp_log",
                "--method",
                "x",
            ],
            3,
        ),
        (["model", "nb", "{panel}", "--x", "gdp_log"], 2),
    ],
)
def test_error_exit_codes(args, code, panel_csv, capsys):
    argv = ["--json", *[a.replace("{panel}", str(panel_csv)) for a in args]]
    assert main(argv) == code
    rec = _records(capsys)[-1]
    assert rec["type"] == "error"


def test_negative_outcome_is_a_validation_error(tmp_path, capsys):
    p = make_panel(n_partners=12)
    p.loc[4, "exports_usd"] = -1
    path = tmp_path / "bad.csv"
    p.to_csv(path, index=False)
    assert main(["--json", "model", "nb", str(path), "--y", "exports_usd", "--x", "gdp_log"]) == 5
    rec = _records(capsys)[-1]
    assert rec["problems"][0]["row"] == 6
    assert rec["problems"][0]["column"] == "exports_usd"


def test_design_command_reads_wdi_files(tmp_path, capsys):
    from pathlib import Path

    wdi = Path(__file__).parent / "data" / "wdi"
    base = pd.DataFrame(
        {"partner_iso3": ["KOR"] * 5 + ["DEU"] * 5, "year": list(range(2014, 2019)) * 2}
    )
    base_csv, out, rep = tmp_path / "base.csv", tmp_path / "design.csv", tmp_path / "r.json"
    base.to_csv(base_csv, index=False)
    members = tmp_path / "bri.csv"
    pd.DataFrame({"iso3": ["KOR"], "start_year": [2016]}).to_csv(members, index=False)
    files = ",".join(str(p) for p in sorted(wdi.glob("API_*.csv")))
    args = [
        "--json",
        "model",
        "design",
        str(base_csv),
        "--out",
        str(out),
        "--wdi",
        files,
        "--names",
        "NY.GDP.MKTP.CD=gdp,PV.EST=psi",
        "--distance-to",
        "CHN",
        "--group",
        f"bri={members}",
        "--log",
        "gdp",
        "--report",
        str(rep),
    ]
    assert main(args) == 0
    rec = _records(capsys)[-1]
    assert rec["type"] == "result"
    assert rec["outputs"]["csv"] == str(out)
    d = pd.read_csv(out)
    assert {"gdp", "psi", "ln_gdp", "dist_km", "ln_dist", "bri"} <= set(d.columns)
    filled = {r["variable"]: r["n_filled"] for r in rec["interpolated"]}
    assert filled == {"gdp": 3, "psi": 1}
    assert rec["n_out"] == 10
    assert rec["n_dropped"] == 0
    assert json.loads(rep.read_text())["n_in"] == 10


def test_design_command_with_cepii_geodist(tmp_path, capsys):
    from pathlib import Path

    geodist = Path(__file__).parent / "data" / "real" / "cepii" / "dist_cepii_excerpt.csv"
    base = tmp_path / "base.csv"
    # a ';'-separated panel: the separator is sniffed from the header
    base.write_text("partner_iso3;year\nUSA;2020\nKOR;2020\nDEU;2020\n")
    out = tmp_path / "design.csv"
    args = ["--json", "model", "design", str(base), "--out", str(out), "--distance-to", "CHN"]
    assert main([*args, "--distance", "cepii", "--geodist", str(geodist)]) == 0
    rec = _records(capsys)[-1]
    assert rec["distance_source"] == "CEPII GeoDist distcap"
    d = pd.read_csv(out).set_index("partner_iso3")
    assert d.loc["USA", "dist_km"] == pytest.approx(11159.25)
    assert d.loc["KOR", "dist_km"] == pytest.approx(955.6511)
    assert {"contig", "comlang_off", "colony"} <= set(d.columns)
    assert main([*args, "--distance", "cepii"]) == 3
    assert "needs --geodist" in _records(capsys)[-1]["message"]


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_model_reads_design_tables_in_any_delimiter(tmp_path, panel_csv, capsys, sep):
    df = pd.read_csv(panel_csv, keep_default_na=False, na_values=[""])
    path = tmp_path / "panel.txt"
    df.to_csv(path, index=False, sep=sep)
    args = ["--json", "model", "nb", str(path), "--y", "exports_usd", "--x", "gdp_log,bri"]
    assert main(args) == 0
    rec = _records(capsys)[-1]
    ref_args = [*args[:3], str(panel_csv), *args[4:]]
    assert main(ref_args) == 0
    ref = _records(capsys)[-1]
    assert rec["fits"] == ref["fits"]


def test_one_column_header_with_a_separator_is_an_error(tmp_path, capsys):
    path = tmp_path / "panel.csv"
    path.write_text("partner_iso3:year:exports_usd\nKOR:2020:1\n")
    assert main(["--json", "model", "nb", str(path), "--y", "exports_usd", "--x", "a"]) == 3
    rec = _records(capsys)[-1]
    assert rec["type"] == "error"
    assert str(path) in rec["message"]
    assert "single column" in rec["message"]
