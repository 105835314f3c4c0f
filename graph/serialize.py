"""Graph -> bytes in the standard RDF syntaxes: one table of formats, used everywhere.

Turtle is the store of record and is written sorted (rdflib's `longturtle`),
so a rebuild with unchanged input gives a byte-identical file.  The quad
syntaxes (N-Quads, TriG) put each fact in the named graph of every article
that states it, so a quad store can answer "what does this article say?".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Graph
from rdflib.namespace import PROV

from bosch_kg.errors import BoschKGError
from bosch_kg.ontology import BKG


@dataclass(frozen=True)
class RdfFormat:
    """An export syntax: its short name, file extension, media type and rdflib plugin."""

    name: str
    extension: str
    media_type: str
    rdflib_name: str
    quads: bool = False


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", ".ttl", "text/turtle", "longturtle"),
        RdfFormat("nt", ".nt", "application/n-triples", "nt11"),
        RdfFormat("nq", ".nq", "application/n-quads", "nquads", quads=True),
        RdfFormat("trig", ".trig", "application/trig", "trig", quads=True),
        RdfFormat("jsonld", ".jsonld", "application/ld+json", "json-ld"),
        RdfFormat("xml", ".rdf", "application/rdf+xml", "pretty-xml"),
    )
}


def format_for(name: str | None, path: Path | None) -> RdfFormat:
    """The format named, or the one the output file's extension implies (Turtle by default)."""
    if name:
        return FORMATS[name]
    if path is not None:
        for fmt in FORMATS.values():
            if path.suffix.lower() in (fmt.extension, "." + fmt.name):
                return fmt
        raise BoschKGError(
            f"{path}: cannot tell the format from the extension {path.suffix!r}; pass --format"
        )
    return FORMATS["ttl"]


def to_turtle(graph: Graph) -> bytes:
    """Sorted, prefixed Turtle: the store of record."""
    return graph.serialize(format="longturtle", encoding="utf-8")


def by_article(graph: Graph) -> Dataset:
    """The graph as a dataset: each fact in its articles' named graphs, the rest in the default."""
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True, replace=True)
    placed = set()
    for evidence in graph.subjects(RDF.type, BKG.Evidence):
        fact = (
            graph.value(evidence, RDF.subject),
            graph.value(evidence, RDF.predicate),
            graph.value(evidence, RDF.object),
        )
        article = graph.value(evidence, PROV.wasDerivedFrom)
        dataset.graph(article).add(fact)
        placed.add(fact)
    default = dataset.default_graph
    for triple in graph:
        if triple not in placed:
            default.add(triple)
    return dataset


def serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    """The graph in one syntax."""
    if fmt.name == "ttl":
        return to_turtle(graph)
    source: Graph | Dataset = by_article(graph) if fmt.quads else graph
    return source.serialize(format=fmt.rdflib_name, encoding="utf-8")
