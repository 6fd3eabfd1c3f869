"""Fresh-process behaviour of the Fisher-Jenks kernel: no numba for mid-size inputs while it is
not loaded, background pre-warming, identical partitions from every path."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CODE = textwrap.dedent(
    """
    import sys
    import numpy as np
    from geotrade import _fisher_jenks as fj

    x = np.random.default_rng(7).lognormal(0.0, 1.0, 100_000)
    _, auto_cold, _ = fj.fisher_jenks_classes(x, 5)  # k*m = 5e5 < AUTO_NUMPY_BELOW_COLD
    print("numba" in sys.modules)
    fj.prewarm(wait=True)
    print(fj.numba_available(), fj._WARM_DONE.is_set())
    _, auto_warm, _ = fj.fisher_jenks_classes(x, 5)  # now the numba kernel (>= 5e5)
    _, ref, _ = fj.fisher_jenks_classes(x, 5, backend="numpy")
    print(auto_cold.tolist() == ref.tolist() == auto_warm.tolist())
    """
)


def _run(env_extra: dict[str, str]) -> list[str]:
    env = {**os.environ, **env_extra}
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_cold_auto_avoids_numba_then_prewarm_loads_it_and_results_agree():
    env = {"GEOTRADE_DISABLE_NUMBA": ""}
    assert _run(env) == ["False", "True", "True", "True"]


def test_prewarm_is_a_no_op_when_numba_is_disabled():
    assert _run({"GEOTRADE_DISABLE_NUMBA": "1"}) == ["False", "False", "False", "True"]
