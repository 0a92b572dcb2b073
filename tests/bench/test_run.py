"""The benchmark's memory figures (bench/run.py): a build is measured however short it is."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux's /proc")
def test_a_short_process_has_its_memory_counted(bench):
    """A process of 0.1 s holding 64 MB: less than one sampling period of PSS."""
    holding = "import time; block = bytearray(64 << 20); block[::4096] = b'x' * (len(block) // 4096); time.sleep(0.1)"
    timing = bench.timed_commands([[sys.executable, "-I", "-S", "-c", holding]])  # starts at once
    assert timing.tree_pss >= 60
    assert timing.tree_rss >= 60
