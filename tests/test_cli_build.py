"""`bosch-kg build`: articles in, a graph out, a summary printed, the last good graph kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEEDS, run_cli


def test_build_prints_what_it_read_made_and_skipped(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    result = run_cli("build", "--articles", str(SEEDS), "--output", str(out))
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Read 5 articles: ")
    assert lines[1].startswith("Entities: ") and " Series" in lines[1] and " Person" in lines[1]
    assert lines[2] == f"Graph: {out} ({lines[2].split('(')[1].split(' ')[0]} triples, written)."
    assert any("Get Free Netflix Logins" in line for line in lines[3:])
    assert out.is_file()


def test_a_second_build_with_unchanged_input_writes_a_byte_identical_graph(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    run_cli("build", "--articles", str(SEEDS), "--output", str(first), "--quiet")
    run_cli("build", "--articles", str(SEEDS), "--output", str(second), "--quiet")
    assert first.read_bytes() == second.read_bytes()
    again = run_cli("build", "--articles", str(SEEDS), "--output", str(first))
    assert "triples, unchanged)." in again.stdout


def test_a_bad_article_is_named_with_its_line_and_the_last_good_graph_survives(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    out = tmp_path / "graph.ttl"
    run_cli("build", "--articles", str(articles), "--output", str(out), "--quiet")
    good = out.read_bytes()
    (articles / "zz_broken.txt").write_bytes(b"A title\n\nA fine line.\nBad byte \xff here.\n")
    result = run_cli("build", "--articles", str(articles), "--output", str(out), check=False)
    assert result.returncode == 1
    assert "zz_broken.txt:4:" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".graph")] == []


def test_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli(
        "build", "--articles", str(tmp_path), "--output", str(tmp_path / "g.ttl"), check=False
    )
    assert result.returncode == 1
    assert f"{tmp_path}: no articles (.txt, .md files) here" in result.stderr
