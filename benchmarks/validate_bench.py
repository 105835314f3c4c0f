"""How `bosch-kg validate` scales with the number of violations: graphs of synthetic
articles with their evidence stripped, so that every fact is one violation.

Run: python benchmarks/validate_bench.py [--sizes 25,100,400]

It prints, for each size, the seconds against the violations, and the ratio of each
size's seconds per violation to the smallest one's: about 1 when the time is linear.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from corpus import write_corpus

from bosch_kg.graph.build import build
from bosch_kg.graph.validate import validate_file
from bosch_kg.ontology import BKG

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_EVIDENCE = ox.NamedNode(str(BKG.Evidence))
_STATED = tuple(
    ox.NamedNode(f"http://www.w3.org/1999/02/22-rdf-syntax-ns#{part}")
    for part in ("subject", "predicate", "object")
)


def stripped_graph(folder: Path, articles: int) -> tuple[Path, int]:
    """Build `articles` synthetic articles in `folder` and strip the graph's evidence."""
    write_corpus(folder / "articles", articles)
    build(folder / "articles", folder / "graph.ttl")
    return folder / "stripped.ttl", strip_evidence(folder / "graph.ttl", folder / "stripped.ttl")


def strip_evidence(graph: Path, output: Path) -> int:
    """Write the graph without its evidence nodes; return the number of facts they stated,
    each now a violation of the fact shape."""
    triples = [quad.triple for quad in ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE)]
    evidence = {t.subject for t in triples if t.predicate == _TYPE and t.object == _EVIDENCE}
    stated: dict[ox.Term, dict[ox.Term, ox.Term]] = {node: {} for node in evidence}
    for t in triples:
        if t.subject in evidence and t.predicate in _STATED:
            stated[t.subject][t.predicate] = t.object
    kept = [t for t in triples if t.subject not in evidence]
    ox.serialize(kept, str(output), format=ox.RdfFormat.TURTLE)
    return len({tuple(parts[p] for p in _STATED) for parts in stated.values()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,100,400", help="articles, comma-separated")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    first: float | None = None
    with tempfile.TemporaryDirectory(prefix="bosch-kg-validate-bench-") as work:
        for size in sizes:
            graph, _ = stripped_graph(Path(work) / str(size), size)
            started = time.perf_counter()
            report = validate_file(graph)
            seconds = time.perf_counter() - started
            per = seconds / max(len(report.violations), 1)
            first = first or per
            print(
                f"{size:>6} articles  {len(report.violations):>6} violations  "
                f"{seconds:6.2f} s  {per * 1000:6.2f} ms a violation  ×{per / first:.2f}"
            )


if __name__ == "__main__":
    main()
