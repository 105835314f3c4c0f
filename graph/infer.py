"""What the ontology entails about the graph: inverses, property chains, class and property closure.

owlrl computes the OWL 2 RL closure of the graph plus the ontology, so
Ballard `bkg:spinoffOf` Bosch also gives Bosch `bkg:hasSpinoff` Ballard, a
series with a role gets `bkg:castMember` (the property chain hasRole/actor)
and `schema:actor`, and every `bkg:Series` is a `schema:TVSeries`.  Of that
closure we keep only new statements about the graph's own nodes (IRIs under
`ID`): the ontology's axioms about itself and owlrl's bookkeeping (`x
owl:sameAs x`, `x a owl:Thing`, statements about literals) say nothing a
user asked for.  The asserted graph file is never touched: the entailed
graph goes to a file of its own beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import owlrl
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from bosch_kg.graph.serialize import to_turtle
from bosch_kg.graph.store import atomic_write, load_graph
from bosch_kg.ontology import ID, ontology_graph

Triple = tuple[Node, Node, Node]

#: Types every node gets under OWL RL or RDFS: true of anything, so they tell nothing.
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}


@dataclass(frozen=True)
class InferenceReport:
    """The entailed graph written: where, how many triples were inferred, how many in all."""

    output: Path
    inferred: int
    triples: int


def _about_the_data(triple: Triple) -> bool:
    s, p, o = triple
    if not (isinstance(s, URIRef) and s.startswith(ID)):
        return False
    if p == OWL.sameAs and s == o:
        return False
    return not (p == RDF.type and o in _TRIVIAL_TYPES)


def inferred_triples(graph: Graph) -> Iterator[Triple]:
    """The triples the OWL 2 RL closure of graph + ontology adds about the graph's nodes."""
    ontology = ontology_graph()
    closure = Graph()
    closure += graph
    closure += ontology
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    for triple in closure:
        if triple not in graph and triple not in ontology and _about_the_data(triple):
            yield triple


def add_inferences(graph: Graph) -> int:
    """Add what the ontology entails to the graph, in place; return how many triples were new."""
    new = list(inferred_triples(graph))
    for triple in new:
        graph.add(triple)
    return len(new)


def inferred_path(graph_path: Path) -> Path:
    """Where the entailed graph of a graph file goes: `graph.ttl` -> `graph.inferred.ttl`."""
    return graph_path.with_name(f"{graph_path.stem}.inferred{graph_path.suffix or '.ttl'}")


def write_inferred(graph_path: Path) -> InferenceReport:
    """Write the asserted graph plus its entailments beside the graph file (atomically)."""
    graph = load_graph(graph_path)
    inferred = add_inferences(graph)
    output = inferred_path(graph_path)
    atomic_write(output, to_turtle(graph))
    return InferenceReport(output=output, inferred=inferred, triples=len(graph))
