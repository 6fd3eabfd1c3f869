"""``geotrade model nb|gravity|sample-panel``: regressions, publication tables, residual maps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.io.textsafe import neutralise_csv
from geotrade.options import UngaFocalOption, YearsOption, parse_years
from geotrade.reporting import strict_json


def _list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


_SEPARATORS = (",", ";", "\t", "|")


def _sniff_separator(path: Path) -> str:
    """Return the most frequent of , ; tab | in the header line (default ,)."""
    with path.open("rb") as fh:
        head = fh.readline(1 << 16).decode("utf-8-sig", errors="replace")
    counts = {sep: head.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path) -> Any:
    """Read a design/panel/membership table separated by ``,`` ``;`` tab or ``|``.

    The separator is taken from the header line (the most frequent of the four). A header
    that still comes out as one column but holds a separator-like character (``:`` or a
    quoted ``"a,b"``) is an error naming the file, not a one-column table.
    """
    import re

    import pandas as pd

    from geotrade.errors import DataNotFoundError, InputFormatError

    if not path.is_file():
        msg = "file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    sep = _sniff_separator(path)
    try:
        # keep "NA" (Namibia) as a code: only empty cells are missing
        df = pd.read_csv(path, sep=sep, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"cannot read as a UTF-8 delimited table (separator {sep!r}): {exc}"
        raise InputFormatError(msg, path=path) from exc
    if len(df.columns) == 1 and re.search(r"[,;\t|:]", str(df.columns[0])):
        msg = (
            f"the header is a single column {str(df.columns[0])[:60]!r}: expected columns "
            "separated by ',', ';', tab or '|' (unquoted); re-save the table as CSV"
        )
        raise InputFormatError(msg, path=path, row=1)
    return df


@contextmanager
def _about(path: Path) -> Iterator[None]:
    """Name ``path`` in input errors raised by the model code (which sees only a table)."""
    from dataclasses import replace

    from geotrade.errors import InputFormatError, ValidationError

    try:
        yield
    except ValidationError as exc:
        problems = [p if p.path else replace(p, path=str(path)) for p in exc.problems]
        raise ValidationError(problems) from exc
    except InputFormatError as exc:
        if exc.path is not None:
            raise
        raise InputFormatError(exc.message, path=path, row=exc.row, column=exc.column) from exc


def _is_synthetic(df: Any) -> bool:
    if "synthetic" in df.columns:
        return bool(df["synthetic"].astype(str).str.lower().isin(["true", "1"]).any())
    return False


def _write_tables(
    table: Any, csv: Path | None, md: Path | None, tex: Path | None
) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for key, path, fmt in (("csv", csv, "csv"), ("md", md, "md"), ("tex", tex, "tex")):
        if path is not None:
            table.write(path, fmt=fmt)
            outputs[key] = str(path)
    return outputs


def nb(
    design: Annotated[Path, typer.Argument(help="Design table (CSV), one row per observation.")],
    y: Annotated[str, typer.Option("--y", help="Outcome column (trade value, >= 0).")],
    x: Annotated[str, typer.Option("--x", help="Regressor columns, comma-separated.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Separate fits per group, e.g. year,flow.")
    ] = None,
    round_thousand: Annotated[
        bool, typer.Option("--round-thousand", help="Fit counts of thousand units (y/1000).")
    ] = False,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write the table as Markdown.")] = None,
    tex: Annotated[Path | None, typer.Option("--tex", help="Write the table as LaTeX.")] = None,
    years: YearsOption = None,
    paren: Annotated[
        str, typer.Option("--paren", help="In parentheses: z (default, as seed 000) or se.")
    ] = "z",
    lang: Annotated[str, typer.Option("--lang", help="Table labels: en or zh.")] = "en",
) -> None:
    """Negative binomial (NB2) regressions in the layout of seed 000 Table 5."""
    from geotrade.errors import InputFormatError
    from geotrade.models.nb import fit_nb
    from geotrade.models.tables import nb_table

    if paren not in ("z", "se") or lang not in ("en", "zh"):
        msg = f"--paren must be z or se and --lang en or zh; got {paren!r}, {lang!r}"
        raise InputFormatError(msg)
    rep = reporter()
    with rep.task("model nb", 3, "reading the design table") as t:
        df = _read_csv(design)
        if years:
            if "year" not in df.columns:
                msg = "--years needs a 'year' column in the design table"
                raise InputFormatError(msg, path=design)
            keep = parse_years(years) or []
            n0 = len(df)
            df = df[df["year"].isin(keep)]
            rep.log(f"--years {years}: kept {len(df)} of {n0} rows")
        t.advance(message="fitting")
        with _about(design):
            res = fit_nb(df, y=y, x=_list(x), by=_list(by) or None, round_thousand=round_thousand)
        for f in res.fits:
            label = ", ".join(f"{k}={v}" for k, v in f.key.items()) or "all rows"
            if len(f.dropped):
                rep.log(f"{label}: dropped {len(f.dropped)} row(s) with missing values")
            for note in f.notes:
                rep.log(f"{label}: {note}", level="warning")
        t.advance(message="writing tables")
        synthetic = _is_synthetic(df)
        title = "Negative binomial regression" + (" (SYNTHETIC DATA)" if synthetic else "")
        table = nb_table(res, paren=paren, lang=lang, title=title)  # type: ignore[arg-type]
        outputs = _write_tables(table, csv, md, tex)
        t.advance()
    record = {"outputs": outputs, "synthetic": synthetic, **res.to_record()}
    emit_result("model nb", record, table.to_markdown())


def gravity(
    panel: Annotated[Path, typer.Argument(help="Partner-year panel (CSV).")],
    y: Annotated[str, typer.Option("--y", help="Outcome column(s), comma-separated.")],
    x: Annotated[str, typer.Option("--x", help="Regressor terms, comma-separated; a:b interacts.")],
    fe: Annotated[str, typer.Option("--fe", help="Fixed effects (partner, year or columns).")] = (
        "partner,year"
    ),
    cluster: Annotated[
        str, typer.Option("--cluster", help="Cluster SEs by this column (partner); none = HC1.")
    ] = "partner",
    method: Annotated[str, typer.Option("--method", help="ppml, ols or both.")] = "ppml",
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="OLS outcome: log (default; zeros dropped and listed) or level (as it is, "
            "e.g. CO2 per capita in seed 001 Tables 6-10).",
        ),
    ] = "log",
    lag: Annotated[bool, typer.Option("--lag", help="Lag regressors by one year.")] = False,
    standardize: Annotated[
        bool, typer.Option("--standardize", help="z-score the regressors.")
    ] = False,
    id: Annotated[str, typer.Option("--id", help="Partner key column.")] = "partner_iso3",
    time: Annotated[str, typer.Option("--time", help="Year column.")] = "year",
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write the table as Markdown.")] = None,
    tex: Annotated[Path | None, typer.Option("--tex", help="Write the table as LaTeX.")] = None,
    gpkg: Annotated[
        Path | None, typer.Option("--gpkg", help="Write residual maps (GeoPackage).")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the residual map (default: last).")
    ] = None,
    dropped: Annotated[
        Path | None, typer.Option("--dropped", help="Write the dropped-observations report (CSV).")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="auto, pyfixest or statsmodels.")
    ] = "auto",
    lang: Annotated[str, typer.Option("--lang", help="Table labels: en or zh.")] = "en",
) -> None:
    """Fixed-effects gravity (OLS on logs and/or PPML) in the layout of seed 001 Tables 4-5."""
    import pandas as pd

    from geotrade.errors import InputFormatError
    from geotrade.models.gravity import fit_gravity
    from geotrade.models.tables import gravity_table

    if method not in ("ppml", "ols", "both") or lang not in ("en", "zh"):
        msg = f"--method must be ppml, ols or both and --lang en or zh; got {method!r}, {lang!r}"
        raise InputFormatError(msg)
    if outcome not in ("log", "level"):
        msg = f"expected log or level, got {outcome!r}"
        raise typer.BadParameter(msg, param_hint="--outcome")
    if outcome == "level" and method == "ppml":
        msg = "level is for OLS: add --method ols (or both); PPML already models the level"
        raise typer.BadParameter(msg, param_hint="--outcome")
    rep = reporter()
    ys = _list(y)
    with rep.task("model gravity", len(ys) + 2, "reading the panel") as t:
        df = _read_csv(panel)
        synthetic = _is_synthetic(df)
        fits = []
        for yy in ys:
            t.advance(message=f"fitting {yy}")
            with _about(panel):
                fits += fit_gravity(
                    df,
                    y=yy,
                    x=_list(x),
                    fe=_list(fe),
                    cluster=None if cluster.lower() in ("", "none") else cluster,
                    method=method,  # type: ignore[arg-type]
                    lag=lag,
                    standardize=standardize,
                    id=id,
                    time=time,
                    backend=backend,  # type: ignore[arg-type]
                    outcome=outcome,  # type: ignore[arg-type]
                )
        for f in fits:
            for m in f.messages:
                rep.log(f"{f.y} {f.method}: {m}", level="warning")
            if len(f.dropped):
                counts = f.dropped["reason"].value_counts().to_dict()
                rep.log(f"{f.y} {f.method}: dropped {counts}")
        t.advance(message="writing outputs")
        notes = []
        if lag:
            notes.append("Regressors lagged one year.")
        if standardize:
            notes.append("Regressors standardised (z-scores).")
        if synthetic:
            notes.append("SYNTHETIC DATA - not real statistics.")
        table = gravity_table(fits, lang=lang)  # type: ignore[arg-type]
        table.note += (" " + " ".join(notes)) if notes else ""
        outputs = _write_tables(table, csv, md, tex)
        if dropped is not None:
            from geotrade.io.atomic import atomic_path

            frames = [f.dropped.assign(y=f.y, method=f.method) for f in fits]
            with atomic_path(dropped) as tmp:
                neutralise_csv(pd.concat(frames, ignore_index=True)).to_csv(tmp, index=False)
            outputs["dropped"] = str(dropped)
        layers: list[str] = []
        maps: dict[str, Any] = {}
        if gpkg is not None:
            from geotrade.models.maps import write_residual_gpkg

            _, infos = write_residual_gpkg(
                gpkg, fits, year=year, synthetic=synthetic, source=str(panel)
            )
            outputs["gpkg"] = str(gpkg)
            layers = list(infos)
            maps = {k: {"breaks": v["breaks"], "counts": v["counts"]} for k, v in infos.items()}
            for k, v in infos.items():
                rep.log(f"{k}: {v['join_summary']}")
        t.advance()
    record = {
        "outputs": outputs,
        "layers": layers,
        "synthetic": synthetic,
        "fits": [f.to_record() for f in fits],
        "maps": maps,
    }
    emit_result("model gravity", record, table.to_markdown())


def sample_panel(
    out: Annotated[Path, typer.Argument(help="Output CSV (a .meta.json sidecar is added).")],
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    partners: Annotated[int, typer.Option("--partners", help="Number of partners.")] = 80,
) -> None:
    """Write the SYNTHETIC planted-effects panel used by the econometrics tests and docs."""
    import json

    from geotrade.io.atomic import atomic_path
    from geotrade.synthetic.panel import DEFAULT_SEED, make_panel, truth

    s = DEFAULT_SEED if seed is None else seed
    df = make_panel(seed=s, n_partners=partners)
    meta_path = (
        out.with_name(out.name + ".meta.json")
        if out.suffix != ".csv"
        else (out.with_suffix(".meta.json"))
    )
    meta = {**truth(), "seed": s, "n_partners": partners, "rows": len(df), "file": out.name}
    with atomic_path(out) as tmp:
        neutralise_csv(df).to_csv(tmp, index=False, float_format="%.10g")
    with atomic_path(meta_path) as tmp:
        tmp.write_text(
            json.dumps(strict_json(meta), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
    emit_result(
        "model sample-panel",
        {
            "outputs": {"csv": str(out), "meta": str(meta_path)},
            "rows": len(df),
            "seed": s,
            "synthetic": True,
        },
        f"SYNTHETIC planted-effects panel ({len(df)} rows, seed {s}) written to {out}",
    )


def _wdi_files(spec: str) -> list[Path]:
    """Expand ``--wdi``: files as given; a directory gives its ``API_*`` CSV and zip files."""
    from geotrade.errors import DataNotFoundError

    files: list[Path] = []
    for item in _list(spec):
        p = Path(item)
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and f.name.startswith("API_")
                and f.name.lower().endswith((".csv", ".csv.gz", ".zip"))
            )
            if not found:
                msg = "no World Bank API_*.csv or API_*.zip file in this directory (--wdi)"
                raise DataNotFoundError(msg, path=p)
            files += found
        else:
            files.append(p)
    return files


def _parse_rolling(items: list[str]) -> list[tuple[str, int]]:
    """Parse ``--rolling-sd COL[:WINDOW]`` values (also comma-separated) into pairs."""
    out: list[tuple[str, int]] = []
    for item in (p for raw in items for p in _list(raw)):
        col, _sep, win = item.rpartition(":") if ":" in item else (item, "", "4")
        col = col.strip()
        try:
            w = int(win)
        except ValueError:
            w = -1
        if not col or w < 2:
            msg = f"expected COL or COL:WINDOW, a whole WINDOW >= 2 (inflation:4); got {item!r}"
            raise typer.BadParameter(msg, param_hint="'--rolling-sd'")
        out.append((col, w))
    return out


def _parse_ratios(items: list[str] | None) -> dict[str, tuple[str, str, float]]:
    """``--ratio NAME=A/B[*SCALE]`` options as ``{name: (a, b, scale)}``."""
    out: dict[str, tuple[str, str, float]] = {}
    for item in items or []:
        name, eq, expr = item.partition("=")
        num, slash, rest = expr.partition("/")
        den, star, scale_text = rest.partition("*")
        try:
            scale = float(scale_text) if star else 1.0
        except ValueError:
            scale = float("nan")
        if not (eq and slash and name.strip() and num.strip() and den.strip()) or scale != scale:
            msg = f"expected NAME=A/B or NAME=A/B*SCALE (e.g. reserves=RES/GDP*100), got {item!r}"
            raise typer.BadParameter(msg, param_hint="--ratio")
        if name.strip() in out:
            msg = f"the ratio {name.strip()!r} is given twice"
            raise typer.BadParameter(msg, param_hint="--ratio")
        out[name.strip()] = (num.strip(), den.strip(), scale)
    return out


def design(
    panel: Annotated[Path, typer.Argument(help="Base panel (CSV) with partner and year columns.")],
    out: Annotated[Path, typer.Option("--out", help="Design table to write (CSV).")],
    wdi: Annotated[
        str | None,
        typer.Option(
            "--wdi",
            help=(
                "World Bank API_*.csv/.zip files or DataBank CSV exports (Series and "
                "Country in rows, years in columns), comma-separated, or a directory (every "
                "API_*.csv, API_*.csv.gz and API_*.zip in it)."
            ),
        ),
    ] = None,
    names: Annotated[
        str | None, typer.Option("--names", help="Rename indicators: CODE=name,CODE=name.")
    ] = None,
    flows: Annotated[
        Path | None, typer.Option("--flows", help="Flow file for EV trade (HS 870380/60/40).")
    ] = None,
    distance_to: Annotated[
        str | None, typer.Option("--distance-to", help="ISO3 for the distance (e.g. CHN).")
    ] = None,
    distance: Annotated[
        str,
        typer.Option(
            "--distance",
            help="capital (geotrade's capital distance) or cepii (CEPII GeoDist, --geodist).",
        ),
    ] = "capital",
    geodist: Annotated[
        Path | None,
        typer.Option("--geodist", help="CEPII GeoDist dist_cepii file (CSV, .xlsx, .dta)."),
    ] = None,
    geodist_column: Annotated[
        str,
        typer.Option("--geodist-column", help="GeoDist distance: distcap, dist, distw, distwces."),
    ] = "distcap",
    unga: Annotated[
        Path | None,
        typer.Option(
            "--unga",
            help=(
                "UNGA ideal points, IdealpointestimatesAll_<date>.csv (Bailey-Strezhnev-Voeten, "
                "Harvard Dataverse doi:10.7910/DVN/LEJUQZ) -> ideal_point, ideal_distance."
            ),
        ),
    ] = None,
    unga_focal: UngaFocalOption = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="Dummy from a membership CSV: NAME=FILE (repeatable)."),
    ] = None,
    ratio: Annotated[
        list[str] | None,
        typer.Option(
            "--ratio",
            help="Derived column NAME=A/B or NAME=A/B*SCALE (e.g. reserves=FI.RES.TOTL.CD/"
            "NY.GDP.MKTP.CD*100), after renaming and interpolation, before --log. Repeatable.",
        ),
    ] = None,
    log: Annotated[str | None, typer.Option("--log", help="Columns to log (ln_<col>).")] = None,
    zeros: Annotated[str, typer.Option("--zeros", help="ln(0): missing, log1p or error.")] = (
        "missing"
    ),
    rolling_sd: Annotated[
        list[str] | None,
        typer.Option(
            "--rolling-sd",
            help=(
                "Rolling SD per country: COL[:WINDOW] (default window 4, seed 001), years "
                "t-WINDOW+1..t, full windows only -> <col>_rsd<WINDOW>. Repeatable."
            ),
        ),
    ] = None,
    lag: Annotated[
        str | None,
        typer.Option("--lag", help="Columns to lag (<col>_lag1; also ln_<col>, <col>_rsd4)."),
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            help=(
                "Keep rows matching 'col op value [and ...]' (==, !=, <, <=, >, >=, in (...), "
                "not in (...)); after lags/rolling SDs, before deletion and z-scores."
            ),
        ),
    ] = None,
    standardize: Annotated[
        str | None, typer.Option("--standardize", help="Columns to z-score (z_<col>).")
    ] = None,
    no_interpolate: Annotated[
        bool, typer.Option("--no-interpolate", help="Do not fill interior gaps.")
    ] = False,
    keep_missing: Annotated[
        bool,
        typer.Option(
            "--keep-missing",
            help=(
                "No listwise deletion: keep rows with missing values (per-variable N in "
                "model describe, as seed 001 Table 3; model nb/gravity drop and list them)."
            ),
        ),
    ] = False,
    id: Annotated[str, typer.Option("--id", help="Partner key column.")] = "partner_iso3",
    time: Annotated[str, typer.Option("--time", help="Year column.")] = "year",
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the assembly report (JSON).")
    ] = None,
) -> None:
    """Assemble a partner-year design table (WDI/WGI, EV trade, distance, dummies, transforms)."""
    import json

    import pandas as pd

    from geotrade.covariates import build_design
    from geotrade.errors import InputFormatError
    from geotrade.io.atomic import atomic_path

    if distance not in ("capital", "cepii"):
        msg = f"expected capital or cepii, got {distance!r}"
        raise typer.BadParameter(msg, param_hint="'--distance'")
    if geodist_column not in ("distcap", "dist", "distw", "distwces"):
        msg = f"expected distcap, dist, distw or distwces, got {geodist_column!r}"
        raise typer.BadParameter(msg, param_hint="'--geodist-column'")
    if zeros not in ("missing", "log1p", "error"):
        msg = f"expected missing, log1p or error, got {zeros!r}"
        raise typer.BadParameter(msg, param_hint="'--zeros'")
    if distance == "cepii" and (geodist is None or distance_to is None):
        msg = "--distance cepii needs --geodist FILE (CEPII dist_cepii) and --distance-to ISO3"
        raise InputFormatError(msg)
    if geodist is not None and distance != "cepii":
        msg = "--geodist is used with --distance cepii; add it or drop --geodist"
        raise InputFormatError(msg)
    if (unga is None) != (unga_focal is None):
        msg = "--unga FILE and --unga-focal ISO3 go together; give both or neither"
        raise typer.BadParameter(msg, param_hint="'--unga-focal'" if unga else "'--unga'")
    rolling = _parse_rolling(rolling_sd or [])
    if where:
        from geotrade.filters import parse_where

        parse_where(where, option="--where")  # a syntax error before any file is read
    rep = reporter()
    with rep.task("model design", 3, "reading inputs") as t:
        base = _read_csv(panel)
        gd = None
        if geodist is not None:
            from geotrade.io.readers.geodist import read_geodist

            gd = read_geodist(geodist)
            if gd.attrs.get("recoded"):
                pairs = ", ".join(f"{a}->{b}" for a, b in gd.attrs["recoded"].items())
                rep.log(f"GeoDist codes mapped to ISO3: {pairs}")
        ip = None
        if unga is not None:
            from geotrade.io.readers.unga import read_unga_ideal_points

            ip = read_unga_ideal_points(unga)
            if ip.attrs.get("recoded"):
                rep.log(f"UNGA codes mapped: {', '.join(ip.attrs['recoded'])}")
            if ip.attrs.get("n_missing_ideal_point"):
                n = ip.attrs["n_missing_ideal_point"]
                rep.log(f"UNGA: {n} row(s) with ideal point NA left out", level="warning")
            if ip.attrs.get("n_no_iso3"):
                left = ", ".join(f"{c} {n}" for c, n in ip.attrs["no_iso3"].items())
                rep.log(f"UNGA: rows without ISO3 (iso3c NA) left out: {left}", level="warning")
        tidy = None
        if wdi:
            from geotrade.io.readers.wdi import read_wdi

            tables = [read_wdi(f) for f in _wdi_files(wdi)]
            for t_ in tables:
                for old, new in t_.attrs.get("recoded", {}).items():
                    rep.log(
                        f"{t_.attrs.get('path')}: code {old} read as {new} (same country name)",
                        level="warning",
                    )
            tidy = pd.concat(tables, ignore_index=True)
            if "is_aggregate" in tidy.columns:
                tidy = tidy[~tidy["is_aggregate"].astype(bool)]
        rename = {}
        for item in _list(names):
            code, sep, col = item.partition("=")
            if not sep or not col:
                msg = f"--names expects CODE=name pairs; got {item!r}"
                raise InputFormatError(msg)
            rename[code.strip()] = col.strip()
        fl = None
        if flows is not None:
            from geotrade import read_flows

            fl = read_flows(flows)
        groups = {}
        for item in group or []:
            name, sep, file = item.partition("=")
            if not sep or not file:
                msg = f"--group expects NAME=FILE; got {item!r}"
                raise InputFormatError(msg)
            groups[name.strip()] = _read_csv(Path(file.strip()))
        t.advance(message="assembling")
        d, r = build_design(
            base,
            indicators=tidy,
            indicator_names=rename or None,
            flows=fl,
            distance_to=distance_to,
            distance=distance,  # type: ignore[arg-type]
            geodist=gd,
            geodist_column=geodist_column,  # type: ignore[arg-type]
            unga=ip,
            unga_focal=unga_focal,
            groups=groups or None,
            interpolate=[] if no_interpolate else None,
            ratios=_parse_ratios(ratio),
            log=_list(log),
            zeros=zeros,  # type: ignore[arg-type]
            rolling=rolling,
            lags=_list(lag),
            where=where,
            required=[] if keep_missing else None,
            standardize=_list(standardize),
            id=id,
            time=time,
        )
        for row in r.interpolated.to_dict(orient="records"):
            rep.log(f"interpolated {row['n_filled']} value(s) of {row['variable']}")
        if where:
            rep.log(f"--where {where}: removed {r.n_filtered} row(s)")
        if len(r.dropped):
            rep.log(f"listwise deletion dropped {len(r.dropped)} of {r.n_in} rows", level="warning")
        if r.unga:
            focal_missing = cast("list[int]", r.unga["focal_years_missing"])
            partners_missing = cast("list[str]", r.unga["partners_missing"])
            if focal_missing:
                rep.log(
                    f"UNGA: no ideal point of {r.unga['focal']} in "
                    f"{', '.join(map(str, focal_missing))}: ideal_distance is missing",
                    level="warning",
                )
            if partners_missing:
                rep.log(
                    f"UNGA: {r.unga['n_missing_ideal_point']} row(s) without the partner's "
                    f"ideal point ({', '.join(partners_missing)})",
                    level="warning",
                )
        if r.no_coordinates:
            what = "not in GeoDist" if distance == "cepii" else "no capital coordinates"
            rep.log(f"{what}: {', '.join(r.no_coordinates)}", level="warning")
        t.advance(message="writing")
        with atomic_path(out) as tmp:
            neutralise_csv(d).to_csv(tmp, index=False)
        outputs = {"csv": str(out)}
        summary = r.to_dict()
        if report is not None:
            full = {**summary, "dropped": r.dropped.astype(object).to_dict(orient="records")}
            with atomic_path(report) as tmp:
                tmp.write_text(
                    json.dumps(
                        strict_json(full),
                        indent=2,
                        ensure_ascii=False,
                        default=str,
                        allow_nan=False,
                    )
                    + "\n",
                    encoding="utf-8",
                )
            outputs["report"] = str(report)
        t.advance()
    emit_result(
        "model design",
        {"outputs": outputs, "columns": list(d.columns), **summary},
        f"Design table: {r.n_out} of {r.n_in} rows, {len(d.columns)} columns -> {out}",
    )


def describe(
    design: Annotated[Path, typer.Argument(help="Design table (CSV), e.g. from model design.")],
    columns: Annotated[
        str | None,
        typer.Option("--columns", help="Variables in order (default: every numeric column)."),
    ] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Display names: col=Label,col=Label.")
    ] = None,
    where: Annotated[
        str | None,
        typer.Option("--where", help="Keep rows matching 'col op value [and ...]' first."),
    ] = None,
    id: Annotated[str, typer.Option("--id", help="Partner key column (not described).")] = (
        "partner_iso3"
    ),
    time: Annotated[str, typer.Option("--time", help="Year column (not described).")] = "year",
    digits: Annotated[
        int, typer.Option("--digits", min=0, max=10, help="Decimals in --md/--tex.")
    ] = 3,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Write variable,label,n,mean,sd,min,max (full precision)."),
    ] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write the table as Markdown.")] = None,
    tex: Annotated[Path | None, typer.Option("--tex", help="Write the table as LaTeX.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Labels: en or zh.")] = "en",
) -> None:
    """Summary statistics (N, mean, SD, min, max per variable) as in seed 001 Table 3."""
    from geotrade.errors import InputFormatError
    from geotrade.io.atomic import atomic_path
    from geotrade.models.describe import summary_statistics, summary_table

    if lang not in ("en", "zh"):
        msg = f"expected en or zh, got {lang!r}"
        raise typer.BadParameter(msg, param_hint="'--lang'")
    label_map: dict[str, str] = {}
    for item in _list(labels):
        col, sep, text = item.partition("=")
        if not sep or not col.strip() or not text.strip():
            msg = f"expected col=Label pairs; got {item!r}"
            raise typer.BadParameter(msg, param_hint="'--labels'")
        label_map[col.strip()] = text.strip()
    if where:
        from geotrade.filters import parse_where

        parse_where(where, option="--where")
    rep = reporter()
    with rep.task("model describe", 2, "reading the design table") as t:
        df = _read_csv(design)
        if where:
            from geotrade.filters import apply_where

            df, removed = apply_where(df, where)
            rep.log(f"--where {where}: removed {removed} row(s), {len(df)} left")
        t.advance(message="describing")
        stats = summary_statistics(
            df, _list(columns) or None, id=id, time=time, labels=label_map, path=str(design)
        )
        unknown = sorted(set(label_map) - set(stats["variable"]))
        if unknown:
            msg = f"--labels names column(s) not described: {', '.join(unknown)}"
            raise InputFormatError(msg, path=design)
        synthetic = _is_synthetic(df)
        table = summary_table(
            stats,
            digits=digits,
            lang=lang,  # type: ignore[arg-type]
            note="SYNTHETIC DATA - not real statistics." if synthetic else "",
        )
        outputs = _write_tables(table, None, md, tex)
        if csv is not None:
            with atomic_path(csv) as tmp:
                neutralise_csv(stats).to_csv(tmp, index=False, float_format="%.10g")
            outputs["csv"] = str(csv)
        t.advance()
    record = {
        "outputs": outputs,
        "synthetic": synthetic,
        "rows": len(df),
        "statistics": stats.astype(object).where(stats.notna(), None).to_dict(orient="records"),
    }
    emit_result("model describe", record, table.to_markdown())


def register(app: typer.Typer) -> None:
    """Add the ``model`` command group to the main app."""
    sub = typer.Typer(
        help="Econometric models: negative binomial, fixed-effects gravity, residual maps.",
        no_args_is_help=True,
    )
    sub.command("nb")(nb)
    sub.command("gravity")(gravity)
    sub.command("sample-panel")(sample_panel)
    sub.command("design")(design)
    sub.command("describe")(describe)
    app.add_typer(sub, name="model")
