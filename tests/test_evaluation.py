"""The scorer measures the real CLI's graph against the gold facts, and holds the floors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def score(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evaluation.score", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def overall(output: str, article_set: str) -> tuple[float, float]:
    block = output.split(f"== {article_set}\n", 1)[1]
    match = re.search(r"^overall\s+\d+\s+\d+\s+\d+\s+([\d.]+)\s+([\d.]+)", block, re.M)
    assert match, output
    return float(match[1]), float(match[2])


def test_seeds_through_the_cli_reach_the_precision_and_recall_floors() -> None:
    result = score("--set", "seeds", "--min-precision", "0.95", "--min-recall", "0.95")
    assert result.returncode == 0, result.stdout + result.stderr
    precision, recall = overall(result.stdout, "seeds")
    assert precision >= 0.97 and recall >= 0.97


def test_dev_and_own_articles_through_the_cli_reach_the_floors() -> None:
    result = score("--set", "dev", "--set", "own")
    assert result.returncode == 0, result.stdout + result.stderr
    for article_set in ("dev", "own"):
        precision, recall = overall(result.stdout, article_set)
        assert precision >= 0.95 and recall >= 0.95, result.stdout


def test_a_floor_above_what_is_reached_exits_1_and_verbose_lists_the_misses() -> None:
    result = score("--set", "seeds", "--direct", "--min-recall", "1.01", "--verbose")
    assert result.returncode == 1
    assert "-- missed (false negatives):" in result.stdout
    assert "per" not in result.stderr
