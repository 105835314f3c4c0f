"""Shared fixtures: the real CLI, and graphs built by it from the project's articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


#: The console script pyproject.toml installs, beside this Python.
BOSCH_KG = str(Path(sys.executable).with_name("bosch-kg"))


def run_cli(
    *args: str, input: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the real `bosch-kg` command, as a user would."""
    result = subprocess.run(
        [BOSCH_KG, *args],
        capture_output=True,
        text=True,
        input=input,
        cwd=ROOT,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"bosch-kg {' '.join(args)} failed:\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph `bosch-kg build` makes of the five seed articles."""
    out = tmp_path_factory.mktemp("seed") / "graph.ttl"
    run_cli("build", "--articles", str(SEEDS), "--output", str(out), "--quiet")
    return out
