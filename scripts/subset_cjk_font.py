"""Build geotrade's bundled CJK font: a subset of Noto Sans CJK SC (SIL OFL 1.1).

Static maps label classes, provinces and notes in Chinese. Machines without a system CJK font
(a fresh Windows/macOS/Debian install after ``make demo``) would draw empty boxes, so geotrade
ships the glyphs it needs itself: every CJK character (CJK ideographs, CJK symbols and
punctuation, full-width forms) that occurs in any text file under ``geotrade/`` -- the admin names
of ``geotrade/data/china_admin.csv``, the Chinese country names of ``countries.csv``, and every
Chinese string in ``geotrade/**/*.py`` -- plus printable ASCII and Latin-1 so mixed labels are set
in one face.

The subset is renamed "Noto Sans SC geotrade" (the OFL forbids only the Reserved Font Name
"Source", which is not used) so it never shadows a full system "Noto Sans CJK SC".

Usage (fontTools >= 4.40; ``pip install -e .[fontbuild]``)::

    python scripts/subset_cjk_font.py [--source PATH/NotoSansCJK-Regular.ttc]
                                      [--source-bold PATH/NotoSansCJK-Bold.ttc]
    python scripts/subset_cjk_font.py --check   # exit 1 if a character in geotrade/ is missing

Run it again whenever new Chinese text is added to the package; ``tests/test_fonts_bundled.py``
fails when a character in ``geotrade/`` is missing from the bundled font.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "geotrade"
FONT_DIR = PKG / "maps" / "_fonts"
OUT = FONT_DIR / "NotoSansSC-geotrade-subset.otf"
OUT_BOLD = FONT_DIR / "NotoSansSC-geotrade-subset-Bold.otf"
DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_SOURCE_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FAMILY = "Noto Sans SC geotrade"
TEXT_SUFFIXES = {".py", ".csv", ".json", ".txt", ".md", ".qml", ".tsv"}

# Unicode blocks drawn with the CJK face.
CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x2FA1F),  # extensions B-F, compatibility supplement
)
EXTRA = "·—‘’“”…※、。《》「」【】〔〕"


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def package_cjk_chars(pkg: Path = PKG) -> set[str]:
    """Every CJK character in the text files under *pkg* (the bundled font excluded)."""
    chars: set[str] = set()
    for path in sorted(pkg.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        if "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        chars.update(ch for ch in text if is_cjk(ch))
    return chars


def wanted_text(pkg: Path = PKG) -> str:
    latin = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    return "".join(sorted(package_cjk_chars(pkg) | set(EXTRA) | latin))


def _sc_index(source: str) -> int:
    from fontTools.ttLib import TTCollection

    coll = TTCollection(source, lazy=True)
    for i, font in enumerate(coll.fonts):
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return i
    raise SystemExit(f"{source}: no 'Noto Sans CJK SC' face")


def build(source: str, out: Path = OUT, *, style: str = "Regular") -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    index = _sc_index(source) if source.lower().endswith(".ttc") else 0
    font = TTFont(source, fontNumber=index, lazy=False, recalcTimestamp=False)
    src_version = font["name"].getDebugName(5)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options=options)
    text = wanted_text()
    subsetter.populate(text=text)
    subsetter.subset(font)
    ps_name = "NotoSansSC-geotrade-subset" + ("" if style == "Regular" else f"-{style}")
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for pid, eid, lid in ((3, 1, 0x409), (1, 0, 0)):
        name.setName(FAMILY, 1, pid, eid, lid)
        name.setName(style, 2, pid, eid, lid)
        name.setName(f"{FAMILY} {style}; subset of {src_version}", 3, pid, eid, lid)
        name.setName(FAMILY if style == "Regular" else f"{FAMILY} {style}", 4, pid, eid, lid)
        name.setName(ps_name, 6, pid, eid, lid)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps_name]
        top = cff.topDictIndex[0]
        top.FullName = FAMILY if style == "Regular" else f"{FAMILY} {style}"
        top.FamilyName = FAMILY
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    cjk = sum(is_cjk(ch) for ch in text)
    print(
        f"{out.relative_to(ROOT)}: {out.stat().st_size / 1024:.0f} KiB, "
        f"{cjk} CJK characters, {len(text)} characters in all, from {source} "
        f"face {index} ({src_version})"
    )


def check(outs: tuple[Path, ...] = (OUT, OUT_BOLD)) -> int:
    from fontTools.ttLib import TTFont

    status = 0
    for out in outs:
        cmap = TTFont(str(out))["cmap"].getBestCmap()
        missing = sorted(ch for ch in package_cjk_chars() if ord(ch) not in cmap)
        if missing:
            print(f"{len(missing)} characters missing from {out.name}: {''.join(missing)}")
            status = 1
        else:
            print(f"{out.name} covers all CJK characters of geotrade/")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        default=DEFAULT_SOURCE,
        help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf",
    )
    parser.add_argument(
        "--source-bold",
        default=DEFAULT_SOURCE_BOLD,
        help="NotoSansCJK-Bold.ttc or NotoSansCJKsc-Bold.otf",
    )
    parser.add_argument("--check", action="store_true", help="only check coverage")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    build(args.source)
    build(args.source_bold, OUT_BOLD, style="Bold")
    return check()


if __name__ == "__main__":
    sys.exit(main())
