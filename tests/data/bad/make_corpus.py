"""Write the bad-input corpus of geotrade (tests/data/bad/) deterministically.

Every file of the corpus is written by this script, text files included, so that bytes
that matter (encodings, BOMs, delimiters, NUL bytes, truncation points, compression) are
stated in code rather than hidden in an editor's settings. Binary containers are made
reproducible: gzip with ``mtime=0``, zip and xlsx members dated 1980-01-01, GeoPackages
written with ``OGR_CURRENT_DATE`` fixed. Running it twice gives the same bytes
(``tests/test_bad_inputs.py`` checks the committed files against a fresh run).

The manifest ``cases.csv`` (which command each file is fed to and which error it must give)
is written by hand; ``scripts/make_troubleshooting.py`` turns it into
``docs/troubleshooting.md``.

Usage::

    .venv/bin/python tests/data/bad/make_corpus.py            # writes next to this script
    .venv/bin/python tests/data/bad/make_corpus.py OUT_DIR    # writes elsewhere
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CANON_HEADER = "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd,source"
CANON_ROWS = [
    "2021,CHN,USA,export,850760,4942067377,user",
    "2022,CHN,USA,export,850760,10140436891,user",
    "2022,CHN,KOR,import,850760,2500000000,user",
    "2022,CHN,DEU,export,850760,6100000000,user",
    "2022,CHN,JPN,import,850760,900000000,user",
]


def canon(rows: list[str] | None = None, *, header: str = CANON_HEADER, sep: str = ",") -> str:
    """A small canonical flow CSV (LF line ends)."""
    lines = [header, *(CANON_ROWS if rows is None else rows)]
    if sep != ",":
        lines = [ln.replace(",", sep) for ln in lines]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- containers


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def _gzip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    return buf.getvalue()


def _normalise_xlsx(data: bytes) -> bytes:
    """Re-zip an openpyxl workbook with fixed member dates and document times."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            body = zf.read(name)
            if name == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2024-01-01T00:00:00Z\g<2>",
                    body,
                )
            out[name] = body
    return _zip(out)


def _xlsx(rows: list[list[object]], *, merge: list[str] = ()) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for rng in merge:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_xlsx(buf.getvalue())


def _gpkg(features: list[tuple[object, float | None]], *, crs: str) -> bytes:
    """A one-layer GeoPackage ``cells`` (field ``v``) from (geometry, value) pairs."""
    import tempfile

    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"name": [f"f{i}" for i in range(len(features))], "v": [v for _, v in features]},
        geometry=[g for g, _ in features],
        crs=crs,
    )
    old = os.environ.get("OGR_CURRENT_DATE")
    os.environ["OGR_CURRENT_DATE"] = "2024-01-01T00:00:00Z"
    try:
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "cells.gpkg"
            gdf.to_file(p, layer="cells", driver="GPKG", engine="pyogrio")
            return p.read_bytes()
    finally:
        if old is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = old


def _geojson(features: list[tuple[dict | None, float | None]], *, crs: str | None = None) -> bytes:
    doc: dict[str, object] = {"type": "FeatureCollection"}
    if crs is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = [
        {"type": "Feature", "properties": {"name": f"f{i}", "v": v}, "geometry": g}
        for i, (g, v) in enumerate(features)
    ]
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _square(x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


# --------------------------------------------------------------------------- the files

_U = "utf-8"

# Comtrade+ API CSV: the columns geotrade reads, one row per record
COMTRADE_HEADER = (
    "typeCode,freqCode,refYear,period,reporterCode,reporterISO,flowCode,partnerCode,"
    "partnerISO,classificationCode,cmdCode,qtyUnitAbbr,qty,netWgt,primaryValue,isAggregate"
)


def comtrade(rows: list[str]) -> str:
    return "\n".join([COMTRADE_HEADER, *rows]) + "\n"


BACI_ROWS = (
    "t,i,j,k,v,q\n"
    "2022,156,842,850760,10140436.891,250000.000\n"
    "2022,490,156,850760,1200000.000,NA\n"
    "2022,410,156,850760,2500000.000,30000.000\n"
)
BACI_CODES = (
    "country_code,country_name,country_iso2,country_iso3\n"
    "156,China,CN,CHN\n"
    "410,Rep. of Korea,KR,KOR\n"
    "490,Other Asia nes,N/A,S19\n"
    "842,USA,US,USA\n"
)
WDI_BODY = (
    '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022",\n'
    '"China","CHN","Political Stability","PV.EST","-0.47","-0.45",\n'
    '"Germany","DEU","Political Stability","PV.EST","0.60","0.58",\n'
)
PROV_HEADER = "province,year,retired_t,capacity_t,whitelist_firms"
PREF_HEADER = "city,province,year,retired_t,outlets"


def _files() -> dict[str, Callable[[], bytes]]:
    # 30 000 distinct keys (about 1.3 MB): larger than the 1 MiB sample the readers sniff
    partners = ["USA", "DEU", "JPN", "KOR", "FRA", "GBR", "ITA", "ESP", "NLD", "BEL"]
    big_rows = [
        f"{1990 + (i // 10) % 100},CHN,{partners[i % 10]},{('import', 'export')[(i // 1000) % 2]},"
        f"85{(i // 2000) % 10}{(i // 20000) % 10}{i % 10:02d},{1000 + i},user"
        for i in range(30000)
    ]
    return {
        # ---- malformed CSV --------------------------------------------------------------
        "flows_ragged_rows.csv": lambda: canon(
            [
                *CANON_ROWS[:2],
                "2022,CHN,KOR,import,850760,2500000000,user,extra,cells",
                *CANON_ROWS[3:],
            ]
        ).encode(_U),
        "flows_short_row.csv": lambda: canon(
            [*CANON_ROWS[:2], "2022,CHN,KOR,import,850760", *CANON_ROWS[3:]]
        ).encode(_U),
        "flows_semicolon.csv": lambda: canon(sep=";").encode(_U),
        "flows_semicolon_decimal_comma.csv": lambda: (
            canon(sep=";").replace("4942067377;", "4942067377,5;").encode(_U)
        ),
        "flows_ragged_first_row.csv": lambda: canon(
            ["2021,CHN,USA,export,850760,4942067377,user,extra", *CANON_ROWS[1:]]
        ).encode(_U),
        "flows_tab.tsv": lambda: canon(sep="\t").encode(_U),
        "flows_unbalanced_quote.csv": lambda: canon(
            [CANON_ROWS[0], '2022,CHN,USA,export,850760,10140436891,"user', *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_empty.csv": lambda: b"",
        "flows_blank_lines_only.csv": lambda: b"\n\n  \n",
        "flows_header_only.csv": lambda: (CANON_HEADER + "\n").encode(_U),
        "flows_no_header.csv": lambda: canon(header=CANON_ROWS[0]).encode(_U),
        # ---- encodings ------------------------------------------------------------------
        "flows_utf8_bom.csv": lambda: canon().encode("utf-8-sig"),
        "flows_crlf.csv": lambda: canon().replace("\n", "\r\n").encode(_U),
        "flows_gbk.csv": lambda: canon(
            [r.replace(",user", ",用户数据") for r in CANON_ROWS]
        ).encode("gbk"),
        "flows_latin1.csv": lambda: canon(
            [r.replace(",user", ",Côte d'Ivoire réexport") for r in CANON_ROWS]
        ).encode("latin-1"),
        "flows_undecodable.csv": lambda: canon().encode(_U).replace(b",user\n", b",\xff\xfe\x80\n"),
        "flows_utf16.csv": lambda: canon().encode("utf-16"),
        "flows_mixed_encoding.csv.gz": lambda: _gzip(
            canon([*big_rows, "2022,CHN,USA,export,850760,1,Côte d'Ivoire"])
            .encode(_U)
            .replace(b"C\xc3\xb4te", b"C\xf4te")
        ),
        # ---- containers -----------------------------------------------------------------
        "flows_truncated.csv.gz": lambda: _gzip(canon(big_rows[:3000]).encode(_U))[:2000],
        "flows_two_members.zip": lambda: _zip(
            {"a.csv": canon().encode(_U), "b.csv": canon(CANON_ROWS[:2]).encode(_U)}
        ),
        "flows_corrupt.zip": lambda: _zip({"a.csv": canon(big_rows[:500]).encode(_U)})[:700],
        "flows_not_parquet.parquet": lambda: canon().encode(_U),
        "flows_merged_header.xlsx": lambda: _xlsx(
            [
                ["China lithium-ion battery trade 2022 (USD)", None, None, None, None, None],
                ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"],
                [2022, "CHN", "USA", "export", "850760", 10140436891],
                [2022, "CHN", "KOR", "import", "850760", 2500000000],
            ],
            merge=["A1:F1"],
        ),
        "comtrade_truncated.json": lambda: (
            b'{"elapsedTime": "0.1 secs", "count": 2, "data": [{"typeCode": "C", "refYear": 2022,'
        ),
        # ---- numbers ----------------------------------------------------------------------
        "flows_thousands_separators.csv": lambda: canon(
            [CANON_ROWS[0], '2022,CHN,USA,export,850760,"10,140,436,891",user', *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_fullwidth_digits.csv": lambda: canon(
            [CANON_ROWS[0], "２０２２,CHN,USA,export,850760,１２３,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_negative_value.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,USA,export,850760,-10140436891,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_nan_value.csv": lambda: canon(
            [
                CANON_ROWS[0],
                "2022,CHN,USA,export,850760,NaN,user",
                "2022,CHN,KOR,import,850760,,user",
                *CANON_ROWS[3:],
            ]
        ).encode(_U),
        "flows_duplicated_rows.csv": lambda: canon([*CANON_ROWS, CANON_ROWS[1]]).encode(_U),
        # ---- codes, products, years --------------------------------------------------------
        "flows_bad_country_code.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,U.S.,export,850760,10140436891,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_unknown_iso3.csv": lambda: canon(
            [*CANON_ROWS, "2022,CHN,QQQ,export,850760,5000000,user"]
        ).encode(_U),
        "flows_zzz_partner.csv": lambda: canon(
            [*CANON_ROWS, "2022,CHN,ZZZ,export,850760,5000000,user"]
        ).encode(_U),
        "comtrade_unknown_partner.csv": lambda: comtrade(
            [
                "C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,250000000,10140436891,False",
                "C,A,2022,2022,156,CHN,X,999,,H6,850760,kg,1,10,12345,False",
            ]
        ).encode(_U),
        "comtrade_aggregate_partner.csv": lambda: comtrade(
            [
                "C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,250000000,10140436891,False",
                "C,A,2022,2022,156,CHN,X,899,_X,H6,850760,kg,1,10,12345,False",
                "C,A,2022,2022,156,CHN,X,0,W00,H6,850760,kg,1,10,65000000000,True",
            ]
        ).encode(_U),
        "flows_mixed_hs_revisions.csv": lambda: canon(
            [
                "2010,CHN,USA,export,850760,HS2007,1000000,user",
                "2017,CHN,USA,export,850760,HS2012,2000000,user",
                "2022,CHN,USA,export,850760,HS2017,3000000,user",
                "2022,CHN,KOR,import,850760,HS2022,2500000,user",
            ],
            header="year,reporter_iso3,partner_iso3,flow,hs_code,hs_revision,value_usd,source",
        ).encode(_U),
        "flows_bad_hs_revision.csv": lambda: canon(
            [
                "2022,CHN,USA,export,850760,H6,3000000,user",
                "2022,CHN,KOR,import,850760,HS2022,2500000,user",
            ],
            header="year,reporter_iso3,partner_iso3,flow,hs_code,hs_revision,value_usd,source",
        ).encode(_U),
        "flows_year_out_of_range.csv": lambda: canon(
            [
                CANON_ROWS[0],
                "1850,CHN,USA,export,850760,10140436891,user",
                "20222,CHN,KOR,import,850760,2500000000,user",
                *CANON_ROWS[3:],
            ]
        ).encode(_U),
        "flows_hs_code_shape.csv": lambda: canon(
            [
                CANON_ROWS[0],
                "2022,CHN,USA,export,8507,10140436891,user",
                "2022,CHN,KOR,import,85076000,2500000000,user",
                *CANON_ROWS[3:],
            ]
        ).encode(_U),
        "flows_bad_flow.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,USA,sale,850760,10140436891,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_missing_column.csv": lambda: canon(
            [r.rsplit(",", 2)[0] + "," + r.rsplit(",", 1)[1] for r in CANON_ROWS],
            header="year,reporter_iso3,partner_iso3,flow,hs_code,source",
        ).encode(_U),
        "flows_unrecognised_columns.csv": lambda: (
            "Jahr,Meldeland,Partnerland,Richtung,Ware,Wert\n2022,CHN,USA,Ausfuhr,850760,1\n"
        ).encode(_U),
        # ---- BACI and WDI ------------------------------------------------------------------
        "baci_no_codes/BACI_HS17_Y2022_V202401.csv": lambda: (
            BACI_ROWS + "2022,156,58,850760,10.000,NA\n2022,156,999,850760,10.000,NA\n"
        ).encode(_U),
        "baci_v_in_usd/BACI_HS17_Y2022_V202401.csv": lambda: (
            "t,i,j,k,v,q\n"
            "2022,156,842,850760,10140436891,250000.000\n"
            "2022,490,156,850760,1200000000,NA\n"
            "2022,410,156,850760,2500000000,30000.000\n"
        ).encode(_U),
        "baci_v_in_usd/country_codes_V202401.csv": lambda: BACI_CODES.encode(_U),
        "baci_bad_codes_file/BACI_HS17_Y2022_V202401.csv": lambda: BACI_ROWS.encode(_U),
        "baci_bad_codes_file/country_codes_V202401.csv": lambda: (
            "code,name\n156,China\n842,USA\n"
        ).encode(_U),
        "API_PV.EST_DS2_en_csv_v2_nopreamble.csv": lambda: WDI_BODY.encode("utf-8-sig"),
        # ---- geometries (geotrade classify) --------------------------------------------
        "layer_all_empty_geometries.geojson": lambda: _geojson(
            [(None, 1.0), (None, 2.0), (None, 3.0)]
        ),
        "layer_some_empty_geometries.geojson": lambda: _geojson(
            [(_square(i, 0), float(i + 1)) for i in range(6)] + [(None, 7.0)]
        ),
        "layer_invalid_geometry.geojson": lambda: _geojson(
            [(_square(i, 0), float(i + 1)) for i in range(6)]
            + [
                (
                    {"type": "Polygon", "coordinates": [[[0, 2], [1, 3], [1, 2], [0, 3], [0, 2]]]},
                    7.0,
                )
            ]
        ),
        "layer_metres_as_4326.gpkg": lambda: _gpkg(
            [(_shape(_square(500000 + 1000 * i, 4400000, 1000)), float(i + 1)) for i in range(6)],
            crs="EPSG:4326",
        ),
        "layer_text_field.geojson": lambda: _geojson(
            [(_square(i, 0), v) for i, v in enumerate([1.0, 2.0, "n/a", 4.0, "3,5", 6.0])]
        ),
        "layer_truncated.gpkg": lambda: _gpkg(
            [(_shape(_square(i, 0)), float(i + 1)) for i in range(40)], crs="EPSG:4326"
        )[:3000],
        "layer_not_a_geopackage.gpkg": lambda: canon().encode(_U),
        # ---- recycling tables ------------------------------------------------------------
        "provinces_unknown_names.csv": lambda: (
            PROV_HEADER + "\n"
            "广东,2025,82000,30000,12\n"
            "广洲,2025,1000,0,0\n"
            "Hunan Province,2025,31000,15000,6\n"
            "Inner Mongolai,2025,1200,0,0\n"
            "江西,2025,25000,40000,9\n"
        ).encode(_U),
        "provinces_negative_volume.csv": lambda: (
            PROV_HEADER + "\n广东,2025,82000,30000,12\n湖南,2025,-31000,15000,6\n"
        ).encode(_U),
        "provinces_gbk_fullwidth.csv": lambda: (
            "省份,年份,退役量,产能,白名单企业数\n"
            '广东省,2025,"８２,０００",30000,12\n'
            '湖南,2025,"31,000",15000,6\n'
            "江西,2025,２５０００,40000,9\n"
        ).encode("gbk"),
        "provinces_merged_header.xlsx": lambda: _xlsx(
            [
                ["2025年各省动力电池退役量（吨）", None, None],
                ["省份", "年份", "退役量"],
                ["广东", 2025, 82000],
                ["湖南", 2025, 31000],
            ],
            merge=["A1:C1"],
        ),
        "provinces_header_only.csv": lambda: (PROV_HEADER + "\n").encode(_U),
        "provinces_duplicate_key.csv": lambda: (
            PROV_HEADER + "\n广东,2025,82000,30000,12\n广东省,2025,1000,30000,12\n"
        ).encode(_U),
        "provinces_year_out_of_range.csv": lambda: (
            PROV_HEADER + "\n广东,2025,82000,30000,12\n湖南,25,31000,15000,6\n"
        ).encode(_U),
        "prefectures_unknown_names.csv": lambda: (
            PREF_HEADER + "\n"
            "深圳,广东,2025,12000,40\n"
            "苏洲,江苏,2025,3000,10\n"
            "长沙,湖南,2025,5000,12\n"
        ).encode(_U),
        "prefectures_english_names.csv": lambda: (
            PREF_HEADER + "\n深圳,广东,2025,12000,40\nHohhot,内蒙古,2025,6000,20\n"
        ).encode(_U),
        "prefectures_bad_outlets.csv": lambda: (
            PREF_HEADER + "\n"
            "深圳,广东,2025,12000,40\n"
            "长沙,湖南,2025,5000,12.5\n"
            "武汉,湖北,2025,6000,many\n"
        ).encode(_U),
        "mismatch_negative_counts.csv": lambda: (
            "province,retired_t,outlets\n"
            "广东,82000,120\n"
            "湖南,31000,-4\n"
            "江西,25000,60\n"
            "湖北,-600,45\n"
        ).encode(_U),
        "mismatch_missing_column.csv": lambda: (
            "province,retired_t\n广东,82000\n湖南,31000\n"
        ).encode(_U),
        # ---- model design tables ---------------------------------------------------------
        "design_missing_column.csv": lambda: (
            "partner,year,trade_value,ln_gdp\nUSA,2022,1014,30.1\nKOR,2022,250,28.2\nDEU,2022,610,28.9\n"
        ).encode(_U),
        "design_negative_outcome.csv": lambda: (
            "partner,year,trade_value,ln_gdp,ln_dist\n"
            "USA,2022,1014,30.1,9.3\nKOR,2022,-250,28.2,7.1\nDEU,2022,610,28.9,8.9\n"
        ).encode(_U),
        "design_text_regressor.csv": lambda: (
            "partner,year,trade_value,ln_gdp,ln_dist\n"
            "USA,2022,1014,30.1,9.3\nKOR,2022,250,n/a,7.1\nDEU,2022,610,28.9,8.9\n"
        ).encode(_U),
        "design_gbk.csv": lambda: (
            "伙伴,year,trade_value,ln_gdp,ln_dist\n美国,2022,1014,30.1,9.3\n韩国,2022,250,28.2,7.1\n"
        ).encode("gbk"),
        # ---- issue #18: decimal commas and the one number parser ---------------------------
        "provinces_semicolon_decimal_comma.csv": lambda: (
            "province;year;retired_t;capacity_t\n广东;2025;19290,5;30000\n湖南;2025;1200;800\n"
        ).encode(_U),
        "provinces_semicolon_thousands.csv": lambda: (
            "province;year;retired_t\n广东;2025;1,000\n湖南;2025;1200\n"
        ).encode(_U),
        "provinces_semicolon_decimal_point.csv": lambda: (
            "province;year;retired_t;capacity_t\n广东;2025;19290.5;30000\n湖南;2025;1200;800\n"
        ).encode(_U),
        "provinces_thousands_and_decimal.csv": lambda: (
            'province,year,retired_t,capacity_t\n广东,2025,"19,290.5",30000\n湖南,2025,1200,800\n'
        ).encode(_U),
        "provinces_euro_number.csv": lambda: (
            'province,year,retired_t\n广东,2025,"1.234,5"\n湖南,2025,1200\n'
        ).encode(_U),
        "provinces_bad_grouping.csv": lambda: (
            'province,year,retired_t\n广东,2025,"1,23,456"\n湖南,2025,1200\n'
        ).encode(_U),
        "provinces_nan_text.csv": lambda: (
            "province,year,retired_t\n广东,2025,NaN\n湖南,2025,1200\n"
        ).encode(_U),
        "provinces_overflow.csv": lambda: (
            "province,year,retired_t\n广东,2025,1e999\n湖南,2025,1200\n"
        ).encode(_U),
        "provinces_space_thousands.csv": lambda: (
            "province,year,retired_t\n广东,2025,31 000\n湖南,2025,1200\n"
        ).encode(_U),
        "provinces_fullwidth_decimal_comma.csv": lambda: (
            "省份;年份;退役量\n广东;2025;１９２９０，５\n湖南;2025;1200\n"
        ).encode("gbk"),
        "prefectures_semicolon_decimal_comma.csv": lambda: (
            "city;province;year;retired_t;outlets\n深圳;广东;2025;12000,5;40\n长沙;湖南;2025;5000;12\n"
        ).encode(_U),
        "mismatch_semicolon_decimal_comma.csv": lambda: (
            "province;retired_t;outlets\n广东;82000,5;120\n湖南;31000;40\n江西;25000;60\n"
            "湖北;600;45\n"
        ).encode(_U),
        "whitelist_semicolon_decimal_comma.csv": lambda: (
            "name;province;city;batch;capacity_t;type\n"
            "格林美（武汉）城市矿产循环产业园开发有限公司;湖北;武汉;1;1000,5;再生利用\n"
        ).encode(_U),
        "capital_semicolon_decimal_comma.csv": lambda: (
            "province;registered_capital_10k_cny\n广东;12,5\n湖南;300\n"
        ).encode(_U),
        "flows_semicolon_euro_value.csv": lambda: (
            canon(sep=";").replace(";4942067377;", ";4.942.067,5;").encode(_U)
        ),
        "flows_quantity_decimal_comma.csv": lambda: canon(
            [
                '2022,CHN,USA,export,850760,10140436891,"250000,5",kg,user',
                "2022,CHN,KOR,import,850760,2500000000,30000,kg,user",
            ],
            header="year,reporter_iso3,partner_iso3,flow,hs_code,value_usd,quantity,"
            "quantity_unit,source",
        ).encode(_U),
        "flows_value_infinity.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,USA,export,850760,inf,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_value_spaces.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,USA,export,850760,10 140 436 891,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "flows_value_1e400.csv": lambda: canon(
            [CANON_ROWS[0], "2022,CHN,USA,export,850760,1e400,user", *CANON_ROWS[2:]]
        ).encode(_U),
        "comtrade_decimal_comma.csv": lambda: comtrade(
            [
                'C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,250000000,"19290,5",False',
                "C,A,2022,2022,156,CHN,X,410,KOR,H6,850760,kg,1,10,12345,False",
            ]
        ).encode(_U),
        "comtrade_thousands_separators.csv": lambda: comtrade(
            [
                'C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,"250,000,000",'
                '"10,140,436,891",False',
                "C,A,2022,2022,156,CHN,X,410,KOR,H6,850760,kg,1,10,12345,False",
            ]
        ).encode(_U),
        "baci_decimal_comma/BACI_HS17_Y2022_V202401.csv": lambda: (
            't,i,j,k,v,q\n2022,156,842,850760,"10140,5",250000.000\n'
            "2022,410,156,850760,2500000.000,30000.000\n"
        ).encode(_U),
        "baci_decimal_comma/country_codes_V202401.csv": lambda: BACI_CODES.encode(_U),
        # ---- issue #18: reported rows are file lines -------------------------------------
        "flows_blank_lines_between.csv": lambda: (
            CANON_HEADER + "\n\n" + CANON_ROWS[0] + "\n\n"
            "2022,CHN,USA,export,850760,oops,user\n" + "\n".join(CANON_ROWS[2:]) + "\n"
        ).encode(_U),
        "flows_multiline_quoted.csv": lambda: (
            CANON_HEADER + "\n"
            '2021,CHN,USA,export,850760,4942067377,"user\nnote on\nthree lines"\n'
            "2022,CHN,USA,export,850760,-5,user\n"
        ).encode(_U),
        "flows_crlf_multiline.csv": lambda: (
            CANON_HEADER + "\r\n"
            '2021,CHN,USA,export,850760,4942067377,"user\r\nnote"\r\n'
            "\r\n"
            "2022,CHN,USA,sale,850760,1,user\r\n"
        ).encode(_U),
        "provinces_blank_lines.csv": lambda: (
            PROV_HEADER + "\n\n广东,2025,82000,30000,12\n\n湖南,2025,-31000,15000,6\n"
        ).encode(_U),
        "provinces_multiline_note.csv": lambda: (
            PROV_HEADER + ",note\n"
            '广东,2025,82000,30000,12,"line one\nline two"\n'
            "湖南,2025,31000,15000,6.5,x\n"
        ).encode(_U),
        "prefectures_blank_lines.csv": lambda: (
            PREF_HEADER + "\n深圳,广东,2025,12000,40\n\n\n长沙,湖南,2025,5000,many\n"
        ).encode(_U),
        # ---- issue #18: data-borne text in outputs -----------------------------------------
        "mismatch_script_column.csv": lambda: (
            'province,"</title><script>alert(1)</script>",outlets\n'
            "广东,82000,120\n湖南,31000,40\n江西,25000,60\n湖北,600,45\n"
        ).encode(_U),
        "mismatch_pipe_column.csv": lambda: (
            "province,retired | t <new>,outlets\n"
            "广东,82000,120\n湖南,31000,40\n江西,25000,60\n湖北,600,45\n"
        ).encode(_U),
        "layer_markup_names.geojson": lambda: _geojson(
            [(_square(i, 0), float(i + 1)) for i in range(6)]
        ).replace(b'"f0"', b'"<script>alert(1)</script>\\u0007"'),
        # ---- issue #18: exit codes ---------------------------------------------------------
        "layer_float_max.geojson": lambda: _geojson(
            [(_square(i, 0), v) for i, v in enumerate([1.0, 2.0, 1.7e308, 4.0, -1.7e308, 6.0])]
        ),
        "layer_huge_values.geojson": lambda: _geojson(
            [(_square(i, 0), v) for i, v in enumerate([1e200, 2e200, 3e200, 4e200, 5.0, 6.0])]
        ),
        "flows_imports_only.csv": lambda: canon([r for r in CANON_ROWS if ",import," in r]).encode(
            _U
        ),
        # ---- issue #18 round 2: silent wrong results -----------------------------------------
        # a name column shifted by one row against the adcodes
        "prefectures_shifted_names.csv": lambda: (
            "adcode,city,year,retired_t,outlets\n"
            "110100,上海市,2025,900,30\n"
            "310100,深圳市,2025,800,20\n"
            "440300,长沙市,2025,100,5\n"
            "430100,北京市,2025,300,8\n"
        ).encode(_U),
        # one typo among five rows: the adcode is used, the row is listed
        "prefectures_name_code_typo.csv": lambda: (
            "adcode,city,year,retired_t,outlets\n"
            "110100,北京市,2025,900,30\n"
            "310100,上海市,2025,800,20\n"
            "440300,广州市,2025,100,5\n"
            "430100,长沙市,2025,300,8\n"
            "420100,武汉市,2025,200,6\n"
        ).encode(_U),
        "provinces_shifted_names.csv": lambda: (
            "province_adcode,province,year,retired_t\n"
            "110000,上海市,2025,900\n"
            "310000,广东省,2025,800\n"
            "440000,北京市,2025,100\n"
        ).encode(_U),
        "flows_is_aggregate_maybe.csv": lambda: canon(
            [
                f"{r},{f}"
                for r, f in zip(CANON_ROWS, ["false", "false", "maybe", "", "0"], strict=True)
            ],
            header=CANON_HEADER + ",is_aggregate",
        ).encode(_U),
        "flows_is_aggregate_yes_no.csv": lambda: canon(
            [f"{r},{f}" for r, f in zip(CANON_ROWS, ["no", "No", "0", "", "FALSE"], strict=True)],
            header=CANON_HEADER + ",is_aggregate",
        ).encode(_U),
        "flows_duplicated_value_header.csv": lambda: canon(
            [f"{r},{i}" for i, r in enumerate(CANON_ROWS)], header=CANON_HEADER + ",value_usd"
        ).encode(_U),
        "comtrade_duplicated_value_header.csv": lambda: (
            comtrade(
                [
                    "C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,250000000,10140436891,False,1",
                    "C,A,2022,2022,156,CHN,X,410,KOR,H6,850760,kg,1,10,12345,False,2",
                ]
            )
            .replace(",isAggregate\n", ",isAggregate, primaryValue\n", 1)
            .encode(_U)
        ),
        "prefectures_duplicated_header.csv": lambda: (
            "city,province,year,retired_t,retired_t,outlets\n"
            "深圳,广东,2025,12000,1200,40\n长沙,湖南,2025,5000,500,12\n"
        ).encode(_U),
        "provinces_duplicated_header_semicolon.csv": lambda: (
            "省份;年份;退役量;退役量\n广东;2025;82000;8200\n湖南;2025;31000;3100\n"
        ).encode(_U),
        # geotrade map: a text cell in a numeric column, ROM/ROU twice, no key, a misspelt
        # province
        "map_not_a_number.csv": lambda: b"iso3,v\nCHN,1\nUSA,abc\n",
        "map_duplicate_country.csv": lambda: b"iso3,v\nROU,1\nDEU,2\nROM,3\n",
        "map_no_key_column.csv": lambda: b"foo,v\nbar,1\nbaz,2\n",
        "map_unknown_province.csv": lambda: "province,v\n广东,1\n广冬省,2\n".encode(_U),
        # UNGA ideal points (model design --unga): the ideal point column renamed away, a
        # text ideal point
        "unga_missing_ideal_point.csv": lambda: (
            '"","ccode","session","NVotesAll","IdealPoint","iso3c","Countryname"\n'
            '"1",2,77,88,2.5,"USA","United States"\n'
            '"2",710,77,88,-0.8,"CHN","China"\n'
        ).encode(_U),
        "unga_text_ideal_point.csv": lambda: (
            '"","ccode","session","NVotesAll","IdealPointAll","iso3c","Countryname"\n'
            '"1",2,77,88,2.5,"USA","United States"\n'
            '"2",710,77,88,"n/a?","CHN","China"\n'
        ).encode(_U),
        # lon/lat coordinates labelled web mercator (metres)
        "layer_degrees_as_3857.gpkg": lambda: _gpkg(
            [(_shape(_square(100 + 2 * i, 25, 2)), float(i + 1)) for i in range(6)],
            crs="EPSG:3857",
        ),
    }


def _shape(geojson_geometry: dict) -> object:
    from shapely.geometry import shape

    return shape(geojson_geometry)


def write_corpus(out: Path = HERE) -> list[Path]:
    """Write every corpus file under ``out``; return the paths written (sorted)."""
    written = []
    for name, make in sorted(_files().items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(make())
        written.append(target)
    return written


def corpus_names() -> list[str]:
    """Relative names of the files this script writes."""
    return sorted(_files())


if __name__ == "__main__":
    dest = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for p in write_corpus(dest):
        print(p.relative_to(dest))
