"""The graph in a standard syntax for other tools: an RDF syntax, or GraphML for Gephi.

Turtle is the graph file itself, handed over unparsed (it is the store of
record, sorted by the build); the other RDF syntaxes are written sorted by
graph/serialize.py, so the same graph gives the same bytes in every run.
GraphML is the view's drawing of the graph (entities and facts), not its triples.
"""

from __future__ import annotations

from pathlib import Path

from bosch_kg.graph.serialize import format_for, serialize
from bosch_kg.graph.store import load_graph, require_graph


def export_bytes(
    graph: Path, fmt: str | None = None, output: Path | None = None, *, infer: bool = False
) -> bytes:
    """The graph file in the format `fmt` names, else the one `output`'s extension implies,
    else Turtle; with `infer`, the asserted triples plus what the ontology entails."""
    # networkx and owlrl are imported only by the exports that use them: a Turtle export
    # starts as quickly as the command does
    if fmt == "graphml" or (fmt is None and output is not None and output.suffix == ".graphml"):
        from bosch_kg import view

        return view.to_graphml(view.universe(view.read_graph(graph)))
    syntax = format_for(fmt, output)
    if syntax.name == "ttl" and not infer:
        return require_graph(graph).read_bytes()
    rdf = load_graph(graph)
    if infer:
        from bosch_kg.graph.infer import add_inferences

        add_inferences(rdf)
    return serialize(rdf, syntax)
