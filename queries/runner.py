"""Saved SPARQL queries: find them, bind their parameters, run them, write their results.

A saved query is a `.rq` file whose header comment gives its title, a
one-line description and its parameters:

    # title: Cast
    # description: Who plays which character in which series.
    # param: series  label of a series: only its cast

Parameters are bound as RDF terms through the engine's substitutions, never
pasted into the query text.  Queries run on pyoxigraph (an embedded SPARQL
1.1 engine) over the graph plus the ontology, so property labels such as
"grandmother of" come from the single source of the vocabulary.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from pyparsing import ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue

from bosch_kg.errors import BoschKGError, InputError
from bosch_kg.extract.read import decode_utf8
from bosch_kg.graph import query_store
from bosch_kg.graph.names import nearest_names, search_key
from bosch_kg.graph.serialize import FORMATS, format_for
from bosch_kg.graph.store import require_graph
from bosch_kg.ontology import ID, ONTOLOGY_FILE

QUERY_DIR = Path(__file__).parent

#: Result formats of `bosch-kg query`: the W3C SPARQL 1.1 result formats and a table.
RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

_HEADER = re.compile(r"#\s*(title|description|param):\s*(.*)")


@dataclass(frozen=True)
class Parameter:
    """A query parameter: `-p NAME VALUE` binds the query's variable ?NAME."""

    name: str
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """A SPARQL query with its title, description and parameters."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Parameter, ...] = field(default_factory=tuple)
    path: Path | None = None


def parse_query(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """Read the header comment of a query; a query without one has no parameters."""
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            pname, _, description = value.partition(" ")
            params.append(Parameter(pname, description.strip()))
        else:
            meta[key] = value.strip()
    return SavedQuery(
        name=name,
        text=text,
        title=meta.get("title", name),
        description=meta.get("description", ""),
        params=tuple(params),
        path=path,
    )


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name."""
    return {
        path.stem: parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        for path in sorted(QUERY_DIR.glob("*.rq"))
    }


def find_query(ref: str) -> SavedQuery:
    """A saved query by name, a query file by path, or `-` for standard input."""
    if ref == "-":
        return parse_query(decode_utf8(sys.stdin.buffer.read(), "standard input"), "stdin")
    queries = saved_queries()
    if ref in queries:
        return queries[ref]
    path = Path(ref)
    if path.is_file():
        return parse_query(decode_utf8(path.read_bytes(), path), path.stem, path)
    raise BoschKGError(
        f"no saved query or query file named {ref!r}; saved queries: {', '.join(queries)}"
    )


def term_for(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term: `<IRI>` is an IRI, anything else a string literal."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as error:
            raise BoschKGError(f"not a valid IRI: {value}") from error
    return ox.Literal(value)


def bind(query: SavedQuery, params: dict[str, str | ox.Term]) -> dict[ox.Variable, ox.Term]:
    """Substitutions for the given parameters; a name the query's header does not declare
    is an error (a query without a header takes any of its variables)."""
    known = [p.name for p in query.params]
    for name in params:
        if known and name not in known:
            accepted = ", ".join(known) or "none"
            raise BoschKGError(
                f"query {query.name!r} has no parameter {name!r} (it takes: {accepted})"
            )
    for name, value in params.items():
        if isinstance(value, str) and not _is_text(value):
            raise BoschKGError(f"-p {name}: the value is not UTF-8 text: {value}")
    return {
        ox.Variable(name): term_for(value) if isinstance(value, str) else value
        for name, value in params.items()
    }


_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")


def _reads_a_label(query: SavedQuery, name: str) -> bool:
    """Whether the query matches ?name against labels (`rdfs:label ?name`)."""
    label = r"(?:rdfs:label|<http://www\.w3\.org/2000/01/rdf-schema#label>)"
    return re.search(rf"{label}\s+\?{re.escape(name)}\b", query.text) is not None


def resolve_names(
    query: SavedQuery, store: ox.Store, params: dict[str, str]
) -> tuple[dict[str, str | ox.Term], list[str]]:
    """Parameters matched against labels bound to the label of the entity they name, found
    as the view's search finds it (case, accents and look-alike letters folded, alternative
    labels, an `<IRI>`); with a line for each value that names nothing, and its nearest names."""
    bound: dict[str, str | ox.Term] = dict(params)
    notes = []
    for name, value in params.items():
        if not (_is_text(value) and _reads_a_label(query, name)):
            continue
        term = term_for(value)
        labels = _labels_named(store, term)
        if not labels and isinstance(term, ox.NamedNode):
            notes.append(f"-p {name} {value}: no node of the graph has this IRI and a label")
        elif not labels:
            near = ", ".join(repr(n) for n in nearest_names(value, _entity_names(store)))
            notes.append(f"-p {name} {value!r} names nothing in the graph; nearest: {near}")
        if not labels:
            continue
        bound[name] = labels[0]
        if len(labels) > 1:
            others = ", ".join(repr(label.value) for label in labels[1:])
            notes.append(f"-p {name} {value!r} names several: {labels[0].value!r} (used), {others}")
    return bound, notes


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ROLE = ox.NamedNode("https://w3id.org/bosch-kg/ontology#Role")


def _entity_names(store: ox.Store) -> set[str]:
    """The names of the graph's own nodes but roles ("Maggie Q as Renée Ballard in Ballard"),
    not the ontology's: the names to suggest."""
    roles = {q.subject for q in store.quads_for_pattern(None, _TYPE, _ROLE)}
    return {
        str(q.object.value)
        for p in (_LABEL, _ALT_LABEL)
        for q in store.quads_for_pattern(None, p, None)
        if q.subject.value.startswith(str(ID)) and q.subject not in roles
    }


def _labels_named(store: ox.Store, term: ox.NamedNode | ox.Literal) -> list[ox.Literal]:
    """The labels of the nodes an IRI or a name stands for: exactly, else folded."""
    if isinstance(term, ox.NamedNode):
        nodes = {term}
    else:
        nodes = {
            q.subject for p in (_LABEL, _ALT_LABEL) for q in store.quads_for_pattern(None, p, term)
        }
        if not nodes:
            key = search_key(term.value)
            nodes = {
                q.subject
                for p in (_LABEL, _ALT_LABEL)
                for q in store.quads_for_pattern(None, p, None)
                if isinstance(q.object, ox.Literal) and search_key(q.object.value) == key
            }
    labels = {q.object for node in nodes for q in store.quads_for_pattern(node, _LABEL, None)}
    exact = [label for label in labels if label == term]
    return exact + sorted((label for label in labels if label != term), key=lambda t: t.value)


def _is_text(value: str) -> bool:
    """False for a command-line argument with bytes that are not UTF-8 (kept as surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _ontology_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))


def open_store(graph: Path) -> ox.Store:
    """The graph and the ontology in one store's default graph.

    The on-disk store `build` wrote beside the graph when it matches the file
    (milliseconds); otherwise the Turtle is loaded into memory.
    """
    disk = query_store.open_current(require_graph(graph))
    if disk is not None:
        return disk
    store = ox.Store()
    with _reading(graph, "Turtle"):
        store.bulk_load(path=str(require_graph(graph)), format=ox.RdfFormat.TURTLE)
    store.extend(_ontology_quads())
    return store


#: `--graph -`: the graph on standard input, in Turtle (N-Triples is Turtle too).
STDIN = "-"


def open_graphs(graphs: list[str]) -> ox.Store:
    """One or more graph files in any RDF syntax their extensions name, or `-` for standard
    input, with the ontology, in one store's default graph (quads lose their graph name)."""
    if len(graphs) == 1 and graphs[0] != STDIN and format_for(None, Path(graphs[0])).name == "ttl":
        return open_store(Path(graphs[0]))
    store = ox.Store()
    for graph in graphs:
        if graph == STDIN:
            where, syntax, source = "standard input", FORMATS["ttl"], {"input": sys.stdin.buffer}
        else:
            path = require_graph(Path(graph))
            where, syntax, source = path, format_for(None, path), {"path": str(path)}
        oxigraph = ox.RdfFormat.from_media_type(syntax.media_type)
        with _reading(where, oxigraph.name):
            quads = ox.parse(**source, format=oxigraph)
            store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    store.extend(_ontology_quads())
    return store


@contextmanager
def _reading(where: str | Path, syntax: str) -> Iterator[None]:
    """pyoxigraph's parse and read errors as one line naming the graph."""
    try:
        yield
    except SyntaxError as error:
        raise InputError(where, f"not a readable {syntax} graph: {error}") from error
    except OSError as error:  # pyoxigraph's name no file
        raise InputError(where, f"cannot read: {error.strerror or error}") from error


QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def run_query(
    query: SavedQuery, store: ox.Store, params: dict[str, str | ox.Term] | None = None
) -> QueryResult:
    """Run a query on a store with its parameters bound."""
    try:
        return store.query(query.text, substitutions=bind(query, params or {}))
    except SyntaxError as error:
        raise BoschKGError(f"query {query.name!r} is not valid SPARQL: {error}") from error
    except RuntimeError as error:  # pyoxigraph's, e.g. a bound variable the query does not return
        unbound = re.search(r"variable \?(\w+) in its SELECT projection", str(error))
        if unbound:
            raise BoschKGError(
                f"query {query.name!r} does not return ?{unbound[1]}, so -p {unbound[1]} "
                "cannot bind it (bind only a variable its SELECT lists)"
            ) from error
        raise BoschKGError(f"query {query.name!r} cannot run: {error}") from error


def remote_parts(text: str) -> list[str]:
    """What in a query would reach another machine: SERVICE, LOAD, FROM (NAMED) <http://...>.

    Read from the query's parse tree, so a comment or a string that says SERVICE is no
    call; a query the parser cannot read counts as remote if it says SERVICE at all.
    """
    try:
        tree = parseQuery(text)
    except Exception:  # pyparsing's errors, and rdflib's own for a malformed term
        try:
            tree = parseUpdate(text)
        except Exception:
            unchecked = re.search(r"(?i)\bSERVICE\b", text)
            return ["SERVICE (the query could not be checked)"] if unchecked else []
        prologue = translatePrologue(tree["prologue"][0], None)
    else:
        prologue = translatePrologue(tree[0], None)
    return [part for node in _nodes(tree) if (part := _remote(node, prologue))]


def _nodes(tree: object) -> Iterator[CompValue]:
    """Every node of a parse tree."""
    if isinstance(tree, CompValue):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list | ParseResults):
        for value in tree:
            yield from _nodes(value)


def _remote(node: CompValue, prologue: Prologue) -> str | None:
    """The clause a node stands for, when it reaches another machine."""
    if node.name == "ServiceGraphPattern":
        return f"SERVICE {_iri(node.term, prologue)}"
    if node.name == "Load":
        return f"LOAD {_iri(node.iri, prologue)}"
    if node.name == "DatasetClause":
        named = "named" in node
        iri = _iri(node["named" if named else "default"], prologue)
        if urlsplit(iri.strip("<>")).netloc:
            return f"FROM {'NAMED ' if named else ''}{iri}"
    return None


def _iri(term: object, prologue: Prologue) -> str:
    """A term as the query means it: prefixed names and relative IRIs resolved."""
    try:
        term = prologue.absolutize(term)
    except Exception:  # rdflib's error for an undeclared prefix: the query is invalid anyway
        return f"{term['prefix']}:{term['localname']}" if isinstance(term, CompValue) else str(term)
    return term.n3() if isinstance(term, URIRef | Variable) else str(term)


def _cell(term: ox.Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def table_rows(result: ox.QuerySolutions) -> Iterator[list[str]]:
    """Rows of plain text cells, header first."""
    variables = [v.value for v in result.variables]
    yield variables
    for solution in result:
        yield [_cell(solution[v]) for v in variables]


def format_table(rows: list[list[str]]) -> str:
    """An aligned text table with a rule under the header and a row count."""
    header, body = rows[0], rows[1:]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"


#: `query --format` for a graph (CONSTRUCT, DESCRIBE): the RDF syntaxes of `export`, and
#: the names of the table formats that say the same (json: JSON-LD, table: Turtle).
_GRAPH_ALIASES = {"json": "jsonld", "table": "ttl"}


def result_format(result: QueryResult, fmt: str | None, output: Path | None) -> str:
    """The format to write a result in: the one named, else the output file's extension
    implies, else a table (Turtle for a graph).  One that does not fit the result is an error."""
    if isinstance(result, ox.QueryTriples):
        name = _GRAPH_ALIASES.get(fmt or "", fmt) or format_for(None, output).name
        if name not in FORMATS:
            raise BoschKGError(
                f"a CONSTRUCT or DESCRIBE result is a graph: --format {'|'.join(FORMATS)}"
            )
        return name
    if fmt is None and output is not None and output.suffix != ".txt":
        found = ox.QueryResultsFormat.from_extension(output.suffix.lstrip("."))
        if found is None:
            raise BoschKGError(
                f"{output}: cannot tell the result format from the extension "
                f"{output.suffix!r}; pass --format"
            )
        fmt = next(name for name, known in RESULT_FORMATS.items() if known == found)
    fmt = fmt or "table"
    if fmt != "table" and fmt not in RESULT_FORMATS:
        raise BoschKGError(
            f"a SELECT or ASK result is a table: --format table|{'|'.join(RESULT_FORMATS)}"
        )
    return fmt


def result_bytes(result: QueryResult, fmt: str) -> bytes:
    """A result as a table, in a W3C result format, or a graph in an RDF syntax (as
    `result_format` chose), ending with a newline."""
    if isinstance(result, ox.QueryTriples):
        syntax = FORMATS[fmt]
        triples = list(result)
        data = ox.serialize(
            [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
            if syntax.quads
            else triples,
            format=ox.RdfFormat.from_media_type(syntax.media_type),
        )
    elif fmt == "table" and isinstance(result, ox.QueryBoolean):
        data = b"true\n" if bool(result) else b"false\n"
    elif fmt == "table":
        data = format_table(list(table_rows(result))).encode("utf-8")
    else:
        data = result.serialize(format=RESULT_FORMATS[fmt])
    return data if data.endswith(b"\n") or not data else data + b"\n"
