"""CJK font discovery for matplotlib.

Static maps label classes in English and Chinese. Matplotlib draws a missing glyph as an
empty box ("tofu"), so Chinese text is only ever drawn with a font that is known to contain
the glyphs. :func:`cjk_font` returns the family name of such a font, or ``None``; callers
(:func:`geotrade.maps.static.static_map`) then fall back to English-only labels and emit a
:class:`CJKFontWarning`.

Search order
------------
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

__all__ = ["CJK_FAMILIES", "PROBE_TEXT", "CJKFontWarning", "cjk_font", "font_families"]

logger = logging.getLogger(__name__)

#: Preferred CJK families, best first (Simplified Chinese faces before others).
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
def cjk_font() -> str | None:
    """Return the family name of an installed font that can draw Chinese, or ``None``.

    The result is cached for the life of the process. A font installed while Python runs is
    only seen after ``cjk_font.cache_clear()``.

    Returns
    -------
    str or None
        A matplotlib family name such as ``"Noto Sans CJK SC"``, or ``None`` when no font
        with the glyphs of :data:`PROBE_TEXT` is available.

    Examples
    --------
    >>> from geotrade.maps.fonts import cjk_font
    >>> font = cjk_font()  # e.g. 'Noto Sans CJK SC' on Debian with fonts-noto-cjk
    >>> font is None or font in CJK_FAMILIES
    True
    """
    name = _find(CJK_FAMILIES)
    if name is None:
        _register_known_files()
        name = _find(CJK_FAMILIES)
    if name is None:
        logger.info("no CJK font found; tried %s", ", ".join(CJK_FAMILIES))
    return name


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
        Family names, CJK font first when one is used, then ``"DejaVu Sans"`` as fallback
        for glyphs the CJK font lacks.
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
    return [name, "DejaVu Sans"], lang
