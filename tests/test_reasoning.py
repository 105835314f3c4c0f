"""The OWL ontology loads in owlready2 and is consistent under its reasoner (HermiT, on Java)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

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
