"""Hatch build hook: compile the C Fisher-Jenks kernel (geotrade/_fj_kernel.c) at install.

The kernel is a plain shared library loaded with ctypes (no Python C API), so it works
with any CPython of the platform. Without a C compiler the build goes on without it and
geotrade uses its numba or numpy kernel (same results, slower in a fresh process).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("geotrade") / "_fj_kernel.c"
LIBRARY = Path("geotrade") / "_fj_kernel.so"


def compile_kernel(root: Path) -> Path | None:
    """Compile the kernel next to its source; return the library path (None: no compiler)."""
    if sys.platform.startswith("win") or os.environ.get("GEOTRADE_NO_C_KERNEL"):
        return None
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    if not cc or shutil.which(cc[0]) is None:
        return None
    src, out = root / SOURCE, root / LIBRARY
    tmp = out.with_suffix(".so.tmp")
    cmd = [*cc, "-O3", "-ffp-contract=off", "-fno-fast-math", "-shared", "-fPIC",
           "-o", str(tmp), str(src)]  # fmt: skip
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"geotrade: C kernel not built ({exc}); the numba/numpy kernels are used")
        return None
    tmp.replace(out)
    return out


class CustomBuildHook(BuildHookInterface):
    """Build ``geotrade/_fj_kernel.so`` into wheels and editable installs."""

    def initialize(self, version: str, build_data: dict) -> None:  # noqa: D102
        if self.target_name != "wheel":
            return
        lib = compile_kernel(Path(self.root))
        if lib is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":  # an editable install finds it in the source tree
            build_data["force_include"][str(lib)] = "geotrade/_fj_kernel.so"
