"""`bosch-kg export` writes standard RDF that independent parsers read back unchanged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BOSCH_KG, run_cli

from bosch_kg.graph.serialize import FORMATS

RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig", "xml": "rdfxml"}


def oxigraph_triples(path: Path, fmt: str) -> set[tuple[str, str, str]]:
    """Triples as pyoxigraph (Rust, independent of rdflib) reads them, graph names dropped."""
    quads = ox.parse(path=str(path), format=ox.RdfFormat.from_media_type(FORMATS[fmt].media_type))
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def oxigraph_quads(path: Path, fmt: str) -> set[str]:
    """Statements as pyoxigraph reads them, with their graph names (one per triple otherwise)."""
    quads = ox.parse(path=str(path), format=ox.RdfFormat.from_media_type(FORMATS[fmt].media_type))
    return {str(q) for q in quads}


@pytest.fixture(scope="module")
def reference(seed_graph: Path) -> set[tuple[str, str, str]]:
    return oxigraph_triples(seed_graph, "ttl")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_syntax_parses_back_to_the_same_triples(
    fmt: str, seed_graph: Path, tmp_path: Path, reference: set[tuple[str, str, str]]
) -> None:
    out = tmp_path / f"bosch{FORMATS[fmt].extension}"
    run_cli("export", "--graph", str(seed_graph), "--format", fmt, "-o", str(out))
    assert oxigraph_triples(out, fmt) == reference


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_syntax_gives_the_same_bytes_in_every_run(
    fmt: str, seed_graph: Path, tmp_path: Path
) -> None:
    """Two processes with different hash seeds (so sets iterate in different orders)."""
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}{FORMATS[fmt].extension}"
        subprocess.run(
            [BOSCH_KG, "export", "--graph", str(seed_graph), "--format", fmt, "-o", str(out)],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        written.append(out.read_bytes())
    assert written[0] == written[1]


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor's rapper is not installed")
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_raptor_reads_every_syntax_it_knows_to_the_same_statements(
    fmt: str, seed_graph: Path, tmp_path: Path, reference: set[tuple[str, str, str]]
) -> None:
    out = tmp_path / f"bosch{FORMATS[fmt].extension}"
    run_cli("export", "--graph", str(seed_graph), "-o", str(out))
    result = subprocess.run(
        ["rapper", "-c", "-i", RAPPER_SYNTAX[fmt], str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "rapper: Error" not in result.stderr and "rapper: Warning" not in result.stderr
    statements = int(re.search(r"returned (\d+) triples", result.stderr)[1])
    assert statements == len(oxigraph_quads(out, fmt))
    if not FORMATS[fmt].quads:
        assert statements == len(reference)


def test_export_guesses_the_format_from_the_file_extension(
    seed_graph: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bosch.nt"
    run_cli("export", "--graph", str(seed_graph), "-o", str(out))
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("<https://w3id.org/bosch-kg/") and first.endswith(" .")


def test_export_to_standard_output_is_the_store_of_record_for_turtle(seed_graph: Path) -> None:
    result = run_cli("export", "--graph", str(seed_graph), "--format", "ttl")
    assert result.stdout == seed_graph.read_text(encoding="utf-8")


def test_quad_syntaxes_put_each_fact_in_the_graph_of_its_article(
    seed_graph: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bosch.nq"
    run_cli("export", "--graph", str(seed_graph), "-o", str(out))
    graphs = {str(q.graph_name) for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert "<https://w3id.org/bosch-kg/id/article/002_1d92490c51e177ff>" in graphs


def test_an_unknown_extension_is_a_clear_error(seed_graph: Path, tmp_path: Path) -> None:
    result = run_cli(
        "export", "--graph", str(seed_graph), "-o", str(tmp_path / "x.doc"), check=False
    )
    assert result.returncode == 1
    assert "cannot tell the format from the extension '.doc'" in result.stderr
    assert not (tmp_path / "x.doc").exists()


def test_exporting_a_missing_graph_says_how_to_make_one(tmp_path: Path) -> None:
    result = run_cli("export", "--graph", str(tmp_path / "none.ttl"), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "no graph here; run `bosch-kg build` first (or pass --graph FILE)"
    )
