"""The packaged SYNTHETIC sample inputs, copied out for users (``geotrade sample-data``).

Examples
--------
>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> sorted(copy_samples(d))
['prefectures', 'provinces', 'trade']
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from geotrade.errors import DataNotFoundError, OutputError
from geotrade.io.atomic import atomic_path

__all__ = ["SAMPLES", "copy_samples"]

#: Sample name -> packaged file under ``geotrade/data/demo`` (each has a ``.meta.json``).
SAMPLES: dict[str, str] = {
    "trade": "synthetic_li_ion_trade_2012_2022.csv",
    "provinces": "synthetic_recycling_provinces.csv",
    "prefectures": "synthetic_recycling_prefectures.csv",
}


def copy_samples(out: str | os.PathLike[str]) -> dict[str, Path]:
    """Copy the sample CSVs and their ``.meta.json`` sidecars into ``out`` (created).

    Returns
    -------
    dict
        Sample name -> path of the copied CSV.
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output directory: {exc}", path=out) from exc
    base = resources.files("geotrade") / "data" / "demo"
    written: dict[str, Path] = {}
    for key, name in SAMPLES.items():
        for fname in (name, f"{name}.meta.json"):
            src = base / fname
            if not src.is_file():
                msg = "packaged sample file is missing; reinstall geotrade"
                raise DataNotFoundError(msg, path=str(src))
            with resources.as_file(src) as real, atomic_path(out / fname) as tmp:
                shutil.copyfile(real, tmp)
        written[key] = out / name
    return written
