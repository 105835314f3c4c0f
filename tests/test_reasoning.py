"""Reasoning: the ontology is consistent (HermiT), and `--infer` adds what it entails (owlrl).

The entailments users expect: the inverse of every stated property, the cast
member chain (has role, then actor), super-properties and super-classes in
schema.org; never the reasoner's bookkeeping, never in the asserted graph file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SEEDS, run_cli
from rdflib import OWL, RDFS, Graph

from bosch_kg.ontology import ONTOLOGY_FILE


@pytest.mark.skipif(shutil.which("java") is None, reason="owlready2's HermiT reasoner needs Java")
def test_the_ontology_is_consistent_under_hermit(tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    rdfxml = tmp_path / "bosch.owl"  # owlready2 does not read Turtle
    Graph().parse(ONTOLOGY_FILE).serialize(rdfxml, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(rdfxml.as_uri()).load()
    with onto:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    assert onto.search_one(iri="*#Series") is not None


BKG = "https://w3id.org/bosch-kg/ontology#"
SCHEMA = "https://schema.org/"
DATA = "https://w3id.org/bosch-kg/id/"
BOSCH, BALLARD = f"<{DATA}series/bosch>", f"<{DATA}series/ballard>"
MAGGIE_Q = f"<{DATA}person/maggie-q>"

Triples = set[tuple[str, str, str]]


def _triples(path: Path, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> Triples:
    """Triples as pyoxigraph reads them (independent of rdflib, which wrote them)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(path=path, format=fmt)
    }


@pytest.fixture(scope="module")
def inferred_build(seed_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed build (graph and cache), rebuilt with `--infer`: its graph file."""
    folder = tmp_path_factory.mktemp("infer") / "output"
    shutil.copytree(seed_graph.parent, folder)
    graph = folder / seed_graph.name
    run_cli("build", "--articles", str(SEEDS), "--output", str(graph), "--infer", "--quiet")
    return graph


def _inferred(inferred_build: Path) -> Triples:
    return _triples(inferred_build.with_name("graph.inferred.ttl")) - _triples(inferred_build)


def test_build_infer_writes_the_entailed_graph_beside_and_leaves_the_asserted_graph_as_built(
    seed_graph: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "output"
    shutil.copytree(seed_graph.parent, folder)
    graph = folder / "graph.ttl"
    run_cli("build", "--articles", str(SEEDS), "--output", str(graph), "--quiet")
    built = graph.read_bytes()
    result = run_cli("build", "--articles", str(SEEDS), "--output", str(graph), "--infer")
    assert graph.read_bytes() == built
    assert "triples, unchanged).\n" in result.stdout
    entailed = folder / "graph.inferred.ttl"
    asserted, everything = _triples(graph), _triples(entailed)
    assert asserted < everything
    inferred = len(everything) - len(asserted)
    assert f"Inferred: {entailed} ({inferred} triples inferred, {len(everything)} in all).\n" in (
        result.stdout
    )


def test_inference_adds_the_inverse_of_a_spinoff(inferred_build: Path) -> None:
    assert (BOSCH, f"<{BKG}hasSpinoff>", BALLARD) in _inferred(inferred_build)


def test_inference_follows_the_cast_member_chain_and_its_super_property(
    inferred_build: Path,
) -> None:
    inferred = _inferred(inferred_build)
    assert (BALLARD, f"<{BKG}castMember>", MAGGIE_Q) in inferred
    assert (BALLARD, f"<{SCHEMA}actor>", MAGGIE_Q) in inferred
    assert (MAGGIE_Q, f"<{BKG}appearsIn>", BALLARD) in inferred


def test_inference_types_every_series_as_a_schema_tv_series(inferred_build: Path) -> None:
    everything = _triples(inferred_build.with_name("graph.inferred.ttl"))
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    series = {s for s, p, o in everything if p == rdf_type and o == f"<{BKG}Series>"}
    tv_series = {s for s, p, o in everything if p == rdf_type and o == f"<{SCHEMA}TVSeries>"}
    assert BALLARD in series
    assert series == tv_series


def test_inference_keeps_the_ontology_and_the_reasoners_bookkeeping_out(
    inferred_build: Path,
) -> None:
    inferred = _inferred(inferred_build)
    assert inferred
    assert all(s.startswith(f"<{DATA}") for s, _, _ in inferred)
    assert not [t for t in inferred if t[1].endswith("#sameAs>") and t[0] == t[2]]
    assert not [t for t in inferred if t[2] in (f"<{OWL}Thing>", f"<{RDFS}Resource>")]


def test_export_infer_gives_the_asserted_and_the_inferred_triples(
    inferred_build: Path, tmp_path: Path
) -> None:
    plain, entailed = tmp_path / "plain.nt", tmp_path / "entailed.nt"
    run_cli("export", "--graph", str(inferred_build), "-o", str(plain))
    run_cli("export", "--graph", str(inferred_build), "--infer", "-o", str(entailed))
    assert _triples(plain, ox.RdfFormat.N_TRIPLES) == _triples(inferred_build)
    assert _triples(entailed, ox.RdfFormat.N_TRIPLES) == _triples(
        inferred_build.with_name("graph.inferred.ttl")
    )
