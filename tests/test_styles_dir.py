"""styles/ holds exactly what scripts/make_styles.py generates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_styles_directory_is_up_to_date():
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_styles.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_canonical_styles_have_expected_renderers():
    for name, renderer in [
        ("dependence_typology", "categorizedSymbol"),
        ("lisa_clusters", "categorizedSymbol"),
        ("capacity_ratio", "graduatedSymbol"),
        ("matching_degree", "graduatedSymbol"),
        ("trade_balance", "graduatedSymbol"),
    ]:
        text = (REPO / "styles" / f"{name}.qml").read_text(encoding="utf-8")
        assert f'type="{renderer}"' in text, name
        assert (REPO / "styles" / f"{name}.sld").is_file()
