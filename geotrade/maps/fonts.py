"""CJK fonts for matplotlib: the bundled subset first, then system fonts.

Static maps label classes in English and Chinese. Matplotlib draws a missing glyph as an
empty box ("tofu"), so Chinese text is only ever drawn with a font that is known to contain
the glyphs. :func:`cjk_font` returns the family name of such a font, or ``None``; callers
(:func:`geotrade.maps.static.static_map`) then fall back to English-only labels and emit a
:class:`CJKFontWarning`.

Bundled font
------------
geotrade ships ``geotrade/maps/_fonts/NotoSansSC-geotrade-subset.otf`` and its bold face
(family :data:`BUNDLED_FAMILY`), subsets of Noto Sans CJK SC 2.004 (SIL Open Font License 1.1, see
``_fonts/OFL.txt`` and ``_fonts/README.md``) holding every CJK character that occurs in the
package -- admin names, country names, class labels, notes -- so maps render Chinese on a
machine without any system CJK font. It is registered with matplotlib on first use and
preferred; a full system CJK font (if any) follows it in :func:`font_families`, so Chinese
text supplied by the user (titles, notes) that the subset lacks is drawn by matplotlib's
per-glyph font fallback.

System font search order (:func:`system_cjk_font`)
-------------------------------------------------
1. Families already known to matplotlib's font manager, in the order of
   :data:`CJK_FAMILIES` (Simplified-Chinese faces first).
2. Font files at well-known locations (Debian/Ubuntu ``fonts-noto-cjk``,
   ``fonts-wqy-*``, ``fonts-arphic-*``, macOS and Windows system fonts) that matplotlib's
   cached font list may not include yet because they were installed after the cache was
   built; they are registered with :meth:`matplotlib.font_manager.FontManager.addfont`.
3. A font is accepted only if it maps every character of :data:`PROBE_TEXT` to a glyph.

Examples
--------
>>> name = cjk_font()
>>> name is None or isinstance(name, str)
True
"""

from __future__ import annotations

import functools
import glob
import logging
import os
import warnings

__all__ = [
    "BUNDLED_FAMILY",
    "BUNDLED_FONT",
    "BUNDLED_FONT_BOLD",
    "CJK_FAMILIES",
    "PROBE_TEXT",
    "CJKFontWarning",
    "bundled_font",
    "cjk_font",
    "font_families",
    "system_cjk_font",
]

logger = logging.getLogger(__name__)

#: Family name of the bundled Noto Sans SC subset.
BUNDLED_FAMILY = "Noto Sans SC geotrade"

#: Paths of the bundled font files, regular and bold (package data, shipped in the wheel).
BUNDLED_FONT = os.path.join(os.path.dirname(__file__), "_fonts", "NotoSansSC-geotrade-subset.otf")
BUNDLED_FONT_BOLD = BUNDLED_FONT.replace("-subset.otf", "-subset-Bold.otf")

#: Preferred system CJK families, best first (Simplified Chinese faces before others).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Serif CJK JP",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "AR PL UMing TW",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
)

#: Characters a CJK font must contain (map words used by geotrade legends and notes).
PROBE_TEXT = "中国依存类别无数据合成回收产能比例南海诸岛"

_FONT_GLOBS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK*.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK*.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-*.tt[cf]",
    "/usr/share/fonts/truetype/arphic/*.tt[cf]",
    "/usr/share/fonts/noto-cjk/*.tt[cf]",
    "/usr/share/fonts/google-noto-cjk/*.tt[cf]",
    "/usr/share/fonts/adobe-source-han-sans/*.otf",
    "/usr/share/fonts/opentype/source-han-sans/*.otf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti*.ttc",
    "C:/Windows/Fonts/msyh.tt[cf]",
    "C:/Windows/Fonts/simhei.ttf",
)


class CJKFontWarning(UserWarning):
    """No CJK font was found; Chinese labels are replaced by English ones."""


def _has_glyphs(fname: str, index: int, text: str) -> bool:
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(fname, face_index=index)
    except (OSError, RuntimeError, ValueError):  # unreadable or unsupported file
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


def _register_known_files() -> None:
    from matplotlib import font_manager

    known = {os.path.realpath(f.fname) for f in font_manager.fontManager.ttflist}
    for pattern in _FONT_GLOBS:
        for path in sorted(glob.glob(pattern)):
            if os.path.realpath(path) in known:
                continue
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError) as exc:  # pragma: no cover - broken file
                logger.debug("cannot register font %s: %s", path, exc)


def _find(families: tuple[str, ...]) -> str | None:
    from matplotlib import font_manager

    entries: dict[str, font_manager.FontEntry] = {}
    for f in font_manager.fontManager.ttflist:
        entries.setdefault(f.name, f)
    for name in families:
        entry = entries.get(name)
        if entry is not None and _has_glyphs(entry.fname, getattr(entry, "index", 0), PROBE_TEXT):
            return name
    return None


@functools.lru_cache(maxsize=1)
def bundled_font() -> str | None:
    """Register the bundled Noto Sans SC subset (regular, bold) with matplotlib; return its family.

    Returns
    -------
    str or None
        :data:`BUNDLED_FAMILY`, or ``None`` when the font file is missing or unreadable (a
        broken installation).

    Examples
    --------
    >>> bundled_font()
    'Noto Sans SC geotrade'
    """
    from matplotlib import font_manager

    if not os.path.isfile(BUNDLED_FONT) or not _has_glyphs(BUNDLED_FONT, 0, PROBE_TEXT):
        logger.warning("bundled CJK font %s is missing or incomplete", BUNDLED_FONT)
        return None
    known = {os.path.realpath(f.fname) for f in font_manager.fontManager.ttflist}
    for path in (BUNDLED_FONT, BUNDLED_FONT_BOLD):
        if os.path.isfile(path) and os.path.realpath(path) not in known:
            font_manager.fontManager.addfont(path)
    return BUNDLED_FAMILY


@functools.lru_cache(maxsize=1)
def system_cjk_font() -> str | None:
    """Return the family name of an installed system font that can draw Chinese, or ``None``.

    The result is cached for the life of the process. A font installed while Python runs is
    only seen after ``system_cjk_font.cache_clear()``.

    Returns
    -------
    str or None
        A matplotlib family name such as ``"Noto Sans CJK SC"``, or ``None`` when no font
        with the glyphs of :data:`PROBE_TEXT` is installed.

    Examples
    --------
    >>> font = system_cjk_font()  # e.g. 'Noto Sans CJK SC' on Debian with fonts-noto-cjk
    >>> font is None or font in CJK_FAMILIES
    True
    """
    name = _find(CJK_FAMILIES)
    if name is None:
        _register_known_files()
        name = _find(CJK_FAMILIES)
    if name is None:
        logger.info("no system CJK font found; tried %s", ", ".join(CJK_FAMILIES))
    return name


def cjk_font() -> str | None:
    """Return the family name of the font used for Chinese text, or ``None``.

    The bundled subset (:func:`bundled_font`) when it is intact, else a system CJK font
    (:func:`system_cjk_font`).

    Returns
    -------
    str or None
        ``"Noto Sans SC geotrade"`` normally; a system family name when the bundled file is
        missing; ``None`` when neither exists.

    Examples
    --------
    >>> from geotrade.maps.fonts import cjk_font
    >>> cjk_font()
    'Noto Sans SC geotrade'
    """
    return bundled_font() or system_cjk_font()


def font_families(lang: str, *, warn: bool = True) -> tuple[list[str], str]:
    """Return the matplotlib ``font.family`` list to use and the effective language.

    Parameters
    ----------
    lang : {"en", "zh", "both"}
        Requested label language.
    warn : bool, default True
        Emit a :class:`CJKFontWarning` when Chinese was requested but no CJK font exists.

    Returns
    -------
    families : list of str
        Family names: when Chinese is drawn, :func:`cjk_font` first, then a full system CJK
        font if one is installed (for user-supplied characters the bundled subset lacks),
        then ``"DejaVu Sans"`` for the remaining glyphs; matplotlib falls back per glyph.
    lang : str
        ``lang`` unchanged, or ``"en"`` when Chinese cannot be drawn.

    Examples
    --------
    >>> fams, used = font_families("en")
    >>> fams[-1], used
    ('DejaVu Sans', 'en')
    """
    if lang == "en":
        return ["DejaVu Sans"], "en"
    name = cjk_font()
    if name is None:
        if warn:
            msg = (
                f"lang={lang!r} needs a CJK font but none was found (looked for "
                f"{', '.join(CJK_FAMILIES[:6])}, ...); drawing English-only labels instead. "
                "Install one, e.g. `apt-get install fonts-noto-cjk`."
            )
            warnings.warn(msg, CJKFontWarning, stacklevel=3)
        return ["DejaVu Sans"], "en"
    families = [name]
    if name == BUNDLED_FAMILY:
        system = system_cjk_font()
        if system is not None:
            families.append(system)
    return [*families, "DejaVu Sans"], lang
