"""Rebuild ``geotrade/data/products/hs_correlation.csv.gz`` from the UNSD correlation tables.

The UN Statistics Division publishes, for each pair of HS editions, a workbook
``HS<new>toHS<old>ConversionAndCorrelationTables.xlsx`` with a *Conversion* sheet (one old
code per new code, for converting data) and a *Correlation* sheet (every link between a new
and an old code, with its relationship ``1:1``, ``1:n``, ``n:1`` or ``n:n``). geotrade ships,
for the pairs that exist as .xlsx,
HS2022 → HS1992 … HS2017 and HS2017 → HS1992 … HS2012: every Correlation link, code columns
only (no HS text), with ``conversion = 1`` on the link the Conversion sheet chooses.

Usage (from the repository root)::

    .venv/bin/python scripts/build_hs_concordance.py DIR [DIR ...]

``DIR`` holds the workbooks as downloaded from
https://unstats.un.org/unsd/classifications/Econ/tables/ (file names unchanged); the copies
used for the shipped file are those in ``insongkim/concordance`` ``data-raw/`` (commit
``201c812e51f213d967d8701b6ed6398c79df4a04``). Every sheet is parsed by its header row (the
row whose last cell is ``Relationship``), not by position: the HS2017→HS2012 sheet has a
third column between its two code columns (``ex`` where only part of a code is concerned;
not kept, the relationship already says ``n:1`` or ``n:n``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "geotrade" / "data" / "products" / "hs_correlation.csv.gz"
NAME = re.compile(r"^HS(\d{4})toHS(\d{4})ConversionAndCorrelationTables\.xlsx$")
RELATIONSHIPS = {"1:1", "1:n", "n:1", "n:n"}


def _code(value: object, *, where: str) -> str:
    text = str(value).strip().replace(".", "")
    if isinstance(value, (int, float)) or (text.isdigit() and len(text) == 5):
        text = f"{int(float(text)):06d}"
    if not (text.isdigit() and len(text) == 6):
        sys.exit(f"{where}: {value!r} is not a 6-digit HS code")
    return text


def read_correlation(path: Path) -> tuple[str, str, list[tuple[str, str, str]]]:
    """Return ``(from_revision, to_revision, [(from_code, to_code, relationship), ...])``."""
    m = NAME.match(path.name)
    if m is None:
        sys.exit(f"{path}: not a UNSD HS<new>toHS<old>ConversionAndCorrelationTables.xlsx name")
    new, old = f"HS{m.group(1)}", f"HS{m.group(2)}"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = [s for s in wb.sheetnames if "correl" in s.lower()]
    if len(sheets) != 1:
        sys.exit(f"{path}: expected one Correlation sheet, found {wb.sheetnames}")
    rows = wb[sheets[0]].iter_rows(values_only=True)
    header: list[int] | None = None
    links: list[tuple[str, str, str]] = []
    for n, row in enumerate(rows, start=1):
        cells = ["" if c is None else str(c).strip() for c in row]
        if header is None:
            filled = [i for i, c in enumerate(cells) if c]
            if filled and cells[filled[-1]] == "Relationship":
                codes = [i for i in filled[:-1] if re.fullmatch(r"HS ?\d{4}", cells[i])]
                years = [re.sub(r"\D", "", cells[i]) for i in codes]
                if years != [new[2:], old[2:]]:
                    sys.exit(f"{path} row {n}: header {cells} is not {new}, {old}")
                header = [*codes, filled[-1]]
            continue
        if not any(cells):
            continue
        a, b, rel = (cells[i] for i in header)
        where = f"{path.name} row {n}"
        if rel not in RELATIONSHIPS:
            sys.exit(f"{where}: relationship {rel!r} is not one of {sorted(RELATIONSHIPS)}")
        links.append((_code(a, where=where), _code(b, where=where), rel))
    if header is None:
        sys.exit(f"{path}: no header row ending in 'Relationship'")
    return new, old, sorted(set(links))


def read_conversion(path: Path, new: str, old: str) -> dict[str, str]:
    """The Conversion sheet: the one ``old`` code UNSD assigns to each ``new`` code."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = [s for s in wb.sheetnames if "conver" in s.lower()]
    if len(sheets) != 1:
        sys.exit(f"{path}: expected one Conversion sheet, found {wb.sheetnames}")
    out: dict[str, str] = {}
    header = False
    for n, row in enumerate(wb[sheets[0]].iter_rows(values_only=True), start=1):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not header:
            years = [re.sub(r"\D", "", c) for c in cells if re.search(r"HS ?\d{4}", c)]
            if years:
                # the header says "From HS 2022 / From HS 1992" in some files: check years only
                if years != [new[2:], old[2:]]:
                    sys.exit(f"{path} row {n}: header {cells} is not {new}, {old}")
                header = True
            continue
        if not any(cells):
            continue
        where = f"{path.name} ({sheets[0]}) row {n}"
        a, b = _code(cells[0], where=where), _code(cells[1], where=where)
        if out.setdefault(a, b) != b:
            sys.exit(f"{where}: {a} is converted twice")
    if not header:
        sys.exit(f"{path}: no header row in the Conversion sheet")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    files = sorted(p for d in args.dirs for p in d.iterdir() if NAME.match(p.name))
    if not files:
        sys.exit("no UNSD HS<new>toHS<old>ConversionAndCorrelationTables.xlsx found")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["from_revision", "from_code", "to_revision", "to_code", "relationship", "conversion"]
    )
    pairs = set()
    for path in files:
        new, old, links = read_correlation(path)
        if (new, old) in pairs:
            sys.exit(f"{path}: the pair {new} -> {old} is given twice")
        pairs.add((new, old))
        conv = read_conversion(path, new, old)
        linked = {(a, b) for a, b, _ in links}
        # a conversion without a correlation link (only 999999 "not specified" in the
        # HS2017 tables) is kept, with an empty relationship: the tables give none
        extra = sorted(set(conv.items()) - linked)
        if extra:
            print(f"{path.name}: conversions without a correlation link: {extra}")
        rows = [(a, b, rel) for a, b, rel in links] + [(a, b, "") for a, b in extra]
        w.writerows((new, a, old, b, rel, int(conv.get(a) == b)) for a, b, rel in sorted(rows))
        print(f"{path.name}: {new} -> {old}, {len(links):,} links, {len(conv):,} conversions")
    # fixed mtime: the same tables give the same bytes
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
