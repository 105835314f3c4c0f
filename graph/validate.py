"""SHACL validation of a graph against ontology/shapes.ttl, fast enough for a million triples.

pySHACL does the validating; this module only decides where each shape runs:

- shapes with a SPARQL target (roles, reviews, every node named, every fact
  evidenced, every evidence well-formed) look at the whole graph, so they run
  on an Oxigraph store, where their one query per shape takes a second, not
  minutes;
- the other shapes (dates, episode counts: datatypes of values) run on rdflib
  over only the triples whose predicates their paths use, plus the ontology.
  rdflib keeps the exact datatypes (an Oxigraph store stores
  xsd:positiveInteger as xsd:integer).

Each violation is reported with its shape, node and the articles that state
the facts about that node.  The targeted shapes run on the nodes their targets
select, a few hundred at a time, so the time grows with the violations, not with
their square (`python benchmarks/validate_bench.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ValidationFailure
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from bosch_kg.errors import BoschKGError
from bosch_kg.graph.store import require_graph
from bosch_kg.ontology import ONTOLOGY_FILE, ontology_graph

SHAPES_FILE = ONTOLOGY_FILE.with_name("shapes.ttl")

#: pySHACL's inference options: none (SHACL's own subclass semantics still apply), rdfs, owlrl.
INFERENCE = ("none", "rdfs", "owlrl")


class ValidationError(BoschKGError):
    """pySHACL could not run the shapes (bad shapes file or unreadable graph): exit code 2."""


class NonConformingGraph(BoschKGError):
    """A graph that breaks the shapes; `build` raises it instead of writing the graph."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        first = report.violations[0]
        more = len(report.violations) - 1
        super().__init__(
            f"the graph does not conform to the shapes, not written: {first.line()}"
            + (f" (and {more} more; run `bosch-kg validate`)" if more else "")
        )


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which shape failed, for which node, why, and which articles say so."""

    shape: str
    node: str
    message: str
    path: str = ""
    value: str = ""
    articles: tuple[str, ...] = ()

    def line(self) -> str:
        """The violation in one readable line."""
        what = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        where = f" [article {', '.join(self.articles)}]" if self.articles else ""
        return f"{self.shape} shape, node <{self.node}>{what}{value}: {self.message}{where}"


@dataclass
class ValidationReport:
    """The outcome of validating a graph: conforms when there are no violations."""

    triples: int
    seconds: float
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        """A readable report: a verdict line, then one line per violation."""
        verdict = "conforms" if self.conforms else f"{len(self.violations)} violations"
        lines = [f"Validated {self.triples} triples in {self.seconds:.1f} s: {verdict}."]
        lines += [f"  {v.line()}" for v in self.violations]
        return "\n".join(lines) + "\n"


@cache
def shapes_graph() -> Graph:
    """The shapes, parsed once."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def _node_shapes(shapes: Graph, sparql_target: bool) -> list[str]:
    """Node shapes with (or without) a SPARQL target."""
    found = []
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        has = any(
            (target, RDF.type, SH.SPARQLTarget) in shapes
            for target in shapes.objects(shape, SH.target)
        )
        if has == sparql_target:
            found.append(str(shape))
    return sorted(found)


def _needed_predicates(shapes: Graph, names: Iterable[str]) -> set[Node]:
    """Predicates the core shapes read: their paths (inverse ones too), and types and
    subclasses only if a shape targets or checks a class."""
    needed: set[Node] = set()
    classes = False
    for name in names:
        shape = URIRef(name)
        needed |= set(shapes.objects(shape, SH.targetSubjectsOf))
        classes |= (shape, SH.targetClass, None) in shapes
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
            needed.add(inverse or path)
            classes |= (prop, SH["class"], None) in shapes
    return needed | {RDF.type, RDFS.subClassOf} if classes else needed


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _core_graph(data: bytes, needed: set[Node]) -> Graph:
    """The triples the core shapes need, from Oxigraph's fast parser, plus the ontology."""
    keep = {ox.NamedNode(str(p)) for p in needed}
    graph = Graph()
    for quad in ox.parse(data, format=ox.RdfFormat.TURTLE):
        if quad.predicate in keep:
            subject, obj = _to_rdflib(quad.subject), _to_rdflib(quad.object)
            graph.add((subject, URIRef(quad.predicate.value), obj))
    for triple in ontology_graph():
        graph.add(triple)
    return graph


class _StoreGraph(OxigraphDataGraph):
    """pySHACL's view of an Oxigraph store, never empty.  For every result it reports,
    pySHACL asks `data_graph or shapes_graph`, and the truth of its own view is `len()`, a
    count of the whole store: validating took time in violations times triples."""

    def __bool__(self) -> bool:
        return True


def _run(
    data_graph: Graph | ox.Store,
    shapes: list[str],
    inference: str,
    focus: list[URIRef] | None = None,
) -> Graph:
    """pySHACL's results graph for some of the shapes (on the `focus` nodes alone, if given)."""
    if isinstance(data_graph, ox.Store):
        data_graph = _StoreGraph(data_graph)
    try:
        _, results, _ = shacl_validate(
            data_graph,
            shacl_graph=shapes_graph(),
            advanced=True,
            inplace=True,
            inference=inference,
            use_shapes=shapes,
            focus_nodes=focus,
        )
    except (ReportableRuntimeError, ShapeLoadError, ValidationFailure) as error:
        raise ValidationError(f"{SHAPES_FILE}: {error}") from error
    return results


#: Focus nodes pySHACL judges in one run: it writes its text report by concatenation, so
#: one run over 5,000 violations took 15 s of its 25 s in that alone.
BATCH = 200


def _run_targeted(store: ox.Store, names: list[str]) -> Graph:
    """The shapes with SPARQL targets, on the nodes their targets select, a batch at a time:
    a conforming graph costs one query a shape, and the time grows with the violations."""
    results = Graph()
    for name in names:
        nodes = _targets(store, name)
        for start in range(0, len(nodes), BATCH):
            results += _run(store, [name], "none", nodes[start : start + BATCH])
    return results


def _targets(store: ox.Store, name: str) -> list[URIRef]:
    """The nodes a shape's SPARQL target selects (`?this`), with the shapes' own prefixes."""
    shapes = shapes_graph()
    select = shapes.value(shapes.value(URIRef(name), SH.target), SH.select)
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    rows = store.query(str(select), prefixes=prefixes)
    return [URIRef(row["this"].value) for row in rows]


def _shape_label(shapes: Graph, source: Node) -> str:
    """The label of the node shape a result comes from (property shapes are blank nodes)."""
    owner = shapes.value(None, SH.property, source) or source
    return str(shapes.value(owner, RDFS.label) or owner)


_ARTICLES = """
PREFIX bkg: <https://w3id.org/bosch-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?node ?id WHERE {
  { ?e rdf:subject ?node ; prov:wasDerivedFrom ?s . ?s dcterms:isPartOf ?a . ?a bkg:articleId ?id }
  UNION { ?node prov:wasDerivedFrom ?s . ?s dcterms:isPartOf ?a . ?a bkg:articleId ?id }
  UNION { ?node dcterms:isPartOf ?a . ?a bkg:articleId ?id }
} ORDER BY ?id
"""  # no property paths: `prov:wasDerivedFrom?` from a bound node scanned the whole store


def _articles(store: ox.Store, node: Node) -> tuple[str, ...]:
    """The ids of the articles with evidence about a node (or of the evidence or sentence
    node itself)."""
    if not isinstance(node, URIRef):
        return ()
    rows = store.query(_ARTICLES, substitutions={ox.Variable("node"): ox.NamedNode(str(node))})
    return tuple(str(row["id"].value) for row in rows)


def _violations(results: Graph, store: ox.Store) -> list[Violation]:
    shapes = shapes_graph()
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append(
            Violation(
                shape=_shape_label(shapes, results.value(result, SH.sourceShape)),
                node=str(node),
                message=str(results.value(result, SH.resultMessage) or ""),
                path=shapes.namespace_manager.normalizeUri(path) if path else "",
                value=str(value) if value is not None else "",
                articles=_articles(store, node),
            )
        )
    return sorted(found, key=lambda v: (v.shape, v.node, v.path, v.value))


#: Shapes that hold article by article: an article's evidence and sentences are well formed
#: and every fact it states has its evidence.  A build checks them on the articles it
#: renders anew.
PER_ARTICLE = frozenset(
    f"https://w3id.org/bosch-kg/shapes#{name}"
    for name in ("EvidenceShape", "SentenceShape", "FactShape")
)


def validate_turtle(
    data: bytes, inference: str = "none", only: Callable[[str], bool] | None = None
) -> ValidationReport:
    """Validate a graph given as Turtle against the shapes (with the ontology mixed in).

    `only` picks the shapes to run (by IRI); all of them by default.
    """
    started = time.perf_counter()
    store = ox.Store()
    try:
        store.load(data, format=ox.RdfFormat.TURTLE)  # quicker than bulk_load in memory
    except SyntaxError as error:
        raise ValidationError(f"not a readable Turtle graph: {error}") from error
    triples = len(store)
    store.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    shapes = shapes_graph()
    core = [s for s in _node_shapes(shapes, sparql_target=False) if not only or only(s)]
    targeted = [s for s in _node_shapes(shapes, sparql_target=True) if not only or only(s)]
    results = Graph()
    if core:
        results += _run(_core_graph(data, _needed_predicates(shapes, core)), core, inference)
    if targeted:
        results += _run_targeted(store, targeted)
    violations = _violations(results, store)
    return ValidationReport(triples, time.perf_counter() - started, violations)


def validate_file(path: Path, inference: str = "none") -> ValidationReport:
    """Validate a Turtle graph file."""
    return validate_turtle(require_graph(path).read_bytes(), inference)


def check_build(
    documents: Iterable[bytes], per_article: Iterable[ValidationReport]
) -> ValidationReport:
    """Validate a build before it is written, without reading every article's evidence again.

    `documents` hold, a chunk at a time, the nodes the build touched and all
    the shapes need to judge them (graph/update.py): the shapes that are not
    per-article run on each.  `per_article` are the reports of the
    per-article shapes on the articles rendered anew (they run as the parts
    are rendered).  Raise NonConformingGraph if anything breaks a shape.
    """
    report = ValidationReport(0, 0.0)
    found = set()
    for document in documents:
        checked = validate_turtle(document, only=lambda shape: shape not in PER_ARTICLE)
        report.triples += checked.triples
        report.seconds += checked.seconds
        found.update(checked.violations)  # a role named from two chunks is judged in both
    for checked in per_article:
        report.triples += checked.triples
        report.seconds += checked.seconds
        found.update(checked.violations)
    report.violations = sorted(found, key=lambda v: (v.shape, v.node, v.path, v.value))
    if not report.conforms:
        raise NonConformingGraph(report)
    return report
