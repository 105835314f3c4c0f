"""Graph -> bytes in the standard RDF syntaxes: one table of formats, used everywhere.

Turtle is the store of record and is written sorted, in the layout of
rdflib's `longturtle`, so a rebuild with unchanged input gives a
byte-identical file.  We write it ourselves, straight from the stream of
triples: rdflib's serializer needs a whole `Graph` in memory and took 13 s
for 210,000 triples, which would not do for a million.  The quad
syntaxes (N-Quads, TriG) put each fact in the named graph of every article
that states it, so a quad store can answer "what does this article say?".
Every syntax comes out in sorted order, so the same graph always gives the
same bytes (rdflib's serializers walk sets, whose order changes from run to
run): N-Triples and N-Quads are rdflib's lines sorted; TriG, JSON-LD and
RDF/XML we write ourselves, subject by subject.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from textwrap import indent
from xml.sax.saxutils import escape

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from bosch_kg.errors import BoschKGError
from bosch_kg.ontology import BKG


@dataclass(frozen=True)
class RdfFormat:
    """An export syntax: its short name, file extension and media type."""

    name: str
    extension: str
    media_type: str
    quads: bool = False


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", ".ttl", "text/turtle"),
        RdfFormat("nt", ".nt", "application/n-triples"),
        RdfFormat("nq", ".nq", "application/n-quads", quads=True),
        RdfFormat("trig", ".trig", "application/trig", quads=True),
        RdfFormat("jsonld", ".jsonld", "application/ld+json"),
        RdfFormat("xml", ".rdf", "application/rdf+xml"),
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


#: A local name we abbreviate (`bkg:Series`); anything else stays a full `<IRI>`.
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: Characters escaped in literals: the ones Turtle requires, plus every other control character.
_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)} | {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}
#: Characters an IRI in Turtle may not hold, percent-encoded.
_IRI_ESCAPES = {c: f"%{c:02X}" for c in (*range(0x21), *map(ord, '<>"{}|^`\\'))}
#: Any character of those tables (translating a text that has none is a slow no-op).
_NEEDS_ESCAPES = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")
_NEEDS_IRI_ESCAPES = re.compile("[" + re.escape("".join(map(chr, _IRI_ESCAPES))) + "]")
_XSD_STRING = str(XSD.string)
_STANDARD_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


class TurtleTerms:
    """Turtle text of terms, with IRIs abbreviated by prefix and remembered (IRIs repeat a lot)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        prefixes = {**_STANDARD_PREFIXES, **prefixes}
        self.namespaces = {ns: p for p, ns in sorted(prefixes.items(), reverse=True)}
        self.used: set[str] = set()
        self._iris: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        iri = str(iri)  # a plain str hashes in C; rdflib terms hash in Python
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = self.abbreviate(iri)
        return text

    def abbreviate(self, iri: str) -> str:
        """The Turtle text of an IRI, not remembered: for callers that remember it themselves."""
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self.namespaces.get(iri[:cut])
        if prefix is not None and _LOCAL_NAME.fullmatch(iri[cut:]):
            self.used.add(prefix)
            return f"{prefix}:{iri[cut:]}"
        return "<" + _escaped(iri, _IRI_ESCAPES, _NEEDS_IRI_ESCAPES) + ">"

    def used_prefixes(self) -> dict[str, str]:
        """The prefixes of the IRIs abbreviated so far, for the head of the file."""
        return {p: ns for ns, p in self.namespaces.items() if p in self.used}

    def term(self, node: Node) -> str:
        if type(node) is URIRef:
            return self.iri(node)
        if not isinstance(node, Literal):
            raise BoschKGError(f"cannot write {node!r}: the graph has only IRIs and literals")
        return self.literal(str(node), node.datatype, node.language)

    def literal(
        self, lexical: str, datatype: str | None = None, language: str | None = None
    ) -> str:
        """The Turtle text of a literal given by its lexical form (xsd:string goes unwritten)."""
        text = '"' + _escaped(lexical, _ESCAPES, _NEEDS_ESCAPES) + '"'
        if language:
            return f"{text}@{language}"
        if datatype is not None and str(datatype) != _XSD_STRING:
            return f"{text}^^{self.iri(datatype)}"
        return text


def _escaped(text: str, escapes: dict[int, str], needs: re.Pattern[str]) -> str:
    """`text.translate(escapes)`, skipped where nothing `needs` it: it is slow per character."""
    return text.translate(escapes) if needs.search(text) else text


class Statements:
    """Triples grouped by subject as Turtle text, repeats dropped: what the Turtle file holds."""

    def __init__(self, prefixes: dict[str, str], terms: TurtleTerms | None = None) -> None:
        self.terms = terms or TurtleTerms(prefixes)
        self.subjects: dict[str, set[tuple[str, str]]] = defaultdict(set)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple already written as Turtle terms."""
        self.subjects[subject].add(("a" if predicate == "rdf:type" else predicate, obj))

    def add_all(self, triples: Iterable[tuple[Node, Node, Node]]) -> Statements:
        """Add triples (subjects must be IRIs: our graphs have no blank nodes)."""
        iri, term, subjects = self.terms.iri, self.terms.term, self.subjects
        for s, p, o in triples:
            predicate = iri(p)
            subjects[iri(s)].add(("a" if predicate == "rdf:type" else predicate, term(o)))
        return self

    def __len__(self) -> int:
        return sum(map(len, self.subjects.values()))

    def blocks(self) -> str:
        """One block per subject, subjects and predicates A-Z."""
        return "\n".join(_block(s, self.subjects[s]) for s in sorted(self.subjects))

    def turtle(self) -> bytes:
        """Sorted Turtle: the prefixes used, then the blocks."""
        return (turtle_head(self.terms.used_prefixes()) + "\n" + self.blocks()).encode("utf-8")


def turtle_head(prefixes: dict[str, str]) -> str:
    """PREFIX lines, A-Z."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def write_turtle(triples: Iterable[tuple[Node, Node, Node]], prefixes: dict[str, str]) -> bytes:
    """Sorted Turtle of a stream of triples."""
    return Statements(prefixes).add_all(triples).turtle()


def _block(subject: str, pairs: set[tuple[str, str]]) -> str:
    lines = [subject]
    last = None
    for predicate, obj in _predicate_order(pairs):
        if predicate == last:
            lines[-1] = lines[-1][:-2] + " ,"
            lines.append(f"        {obj} ;")
        else:
            lines.append(f"    {predicate} {obj} ;")
        last = predicate
    return "\n".join(lines) + "\n.\n"


def _predicate_order(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs A-Z, but rdf:type ("a") first: sorted plainly (in C), then "a" moved up
    where a predicate sorts below it (a full <IRI>)."""
    ordered = sorted(pairs)
    if ordered and ordered[0][0] < "a":
        ordered = [p for p in ordered if p[0] == "a"] + [p for p in ordered if p[0] != "a"]
    return ordered


def to_turtle(graph: Graph) -> bytes:
    """Sorted, prefixed Turtle: the store of record."""
    return write_turtle(graph, {p: str(ns) for p, ns in graph.namespaces()})


def evidence_source(graph: Graph, evidence: Node) -> tuple[Node | None, str]:
    """The article an evidence node's sentence is part of, and the sentence."""
    sentence = graph.value(evidence, PROV.wasDerivedFrom)
    if sentence is None:
        return None, ""
    return graph.value(sentence, DCTERMS.isPartOf), str(graph.value(sentence, BKG.text) or "")


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
        article, _ = evidence_source(graph, evidence)
        dataset.graph(article).add(fact)
        placed.add(fact)
    default = dataset.default_graph
    for triple in graph:
        if triple not in placed:
            default.add(triple)
    return dataset


def _sorted_lines(text: str) -> bytes:
    """A line-based syntax (N-Triples, N-Quads) in sorted order: one statement a line.

    Split at LF alone: a literal holds NEL, U+2028 or a vertical tab unescaped, where
    `str.splitlines` would cut the statement in two."""
    return "".join(line + "\n" for line in sorted(text.split("\n")) if line).encode("utf-8")


def to_ntriples(graph: Graph) -> bytes:
    return _sorted_lines(graph.serialize(format="nt11"))


def to_nquads(graph: Graph) -> bytes:
    return _sorted_lines(by_article(graph).serialize(format="nquads"))


def _prefixes(graph: Graph) -> dict[str, str]:
    return {p: str(ns) for p, ns in graph.namespaces()}


def to_trig(graph: Graph) -> bytes:
    """Sorted TriG: the default graph's blocks, then each article's graph, A-Z."""
    dataset = by_article(graph)
    terms = TurtleTerms(_prefixes(graph))
    default = Statements({}, terms).add_all(dataset.default_graph).blocks()
    named = sorted(
        (terms.iri(g.identifier), Statements({}, terms).add_all(g).blocks())
        for g in dataset.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    )
    body = default + "".join(f"\n{name} {{\n{indent(blocks, '    ')}}}\n" for name, blocks in named)
    return (turtle_head(terms.used_prefixes()) + "\n" + body).encode("utf-8")


def _iri(node: Node) -> str:
    if type(node) is not URIRef:
        raise BoschKGError(f"cannot write {node!r}: the graph has only IRIs and literals")
    return str(node)


def _by_subject(graph: Graph) -> dict[str, list[tuple[str, Node]]]:
    """Subject IRI -> its (predicate IRI, object) pairs, both A-Z (a total order, so the
    output never depends on the order rdflib hands the triples out)."""
    pairs: dict[str, list[tuple[str, Node]]] = defaultdict(list)
    for s, p, o in graph:
        pairs[_iri(s)].append((_iri(p), o))
    for subject_pairs in pairs.values():
        subject_pairs.sort(key=lambda pair: (pair[0], *_term_key(pair[1])))
    return dict(sorted(pairs.items()))


def _term_key(node: Node) -> tuple[str, str, str, str]:
    if isinstance(node, Literal):
        return ("literal", str(node), str(node.datatype or ""), node.language or "")
    return ("iri", _iri(node), "", "")


def _jsonld_value(node: Node) -> dict[str, str]:
    if not isinstance(node, Literal):
        return {"@id": _iri(node)}
    if node.language:
        return {"@value": str(node), "@language": node.language}
    if node.datatype is not None and str(node.datatype) != _XSD_STRING:
        return {"@value": str(node), "@type": str(node.datatype)}
    return {"@value": str(node)}


def to_jsonld(graph: Graph) -> bytes:
    """Sorted JSON-LD in expanded form: one node object per subject, properties A-Z."""
    nodes = []
    for subject, pairs in _by_subject(graph).items():
        node: dict[str, list] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate == str(RDF.type) and not isinstance(obj, Literal):
                node["@type"].append(_iri(obj))
            else:
                node[predicate].append(_jsonld_value(obj))
        nodes.append({"@id": subject, **node})
    return json.dumps(nodes, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


#: What an XML element name may be (an ASCII NCName: enough for our vocabularies).
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")
#: Characters XML 1.0 cannot hold in any form.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str, attribute: bool = False) -> str:
    """Escaped for XML; CR (and in attributes tab and LF) as references, so parsers keep them."""
    found = _NOT_XML.search(text)
    if found:
        raise BoschKGError(f"cannot write U+{ord(found[0]):04X} in RDF/XML: XML 1.0 cannot hold it")
    if attribute:
        return escape(text, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
    return escape(text, {"\r": "&#13;"})


class _XmlNames:
    """Predicate IRIs as qualified XML names, with the graph's prefixes (ns1, ns2... for others)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = {ns: p for p, ns in sorted(prefixes.items(), reverse=True) if p}
        self.prefixes[str(RDF)] = "rdf"
        self.used: dict[str, str] = {}

    def qname(self, iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        namespace, local = iri[:cut], iri[cut:]
        if not _XML_NAME.fullmatch(local):
            raise BoschKGError(f"cannot write the property <{iri}> in RDF/XML: no XML name")
        if namespace not in self.prefixes:
            taken = set(self.prefixes.values())
            self.prefixes[namespace] = next(f"ns{n}" for n in count(1) if f"ns{n}" not in taken)
        self.used[self.prefixes[namespace]] = namespace
        return f"{self.prefixes[namespace]}:{local}"


def to_rdfxml(graph: Graph) -> bytes:
    """Sorted RDF/XML: one rdf:Description per subject, properties A-Z."""
    names = _XmlNames(_prefixes(graph))
    names.qname(str(RDF.type))  # rdf: is always declared
    body = []
    for subject, pairs in _by_subject(graph).items():
        body.append(f'  <rdf:Description rdf:about="{_xml_text(subject, True)}">')
        for predicate, obj in pairs:
            body.append("    " + _xml_property(names.qname(predicate), obj))
        body.append("  </rdf:Description>")
    head = "".join(f'\n  xmlns:{p}="{_xml_text(ns, True)}"' for p, ns in sorted(names.used.items()))
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{head}>\n'
        + "".join(line + "\n" for line in body)
        + "</rdf:RDF>\n"
    ).encode("utf-8")


def _xml_property(name: str, obj: Node) -> str:
    if not isinstance(obj, Literal):
        return f'<{name} rdf:resource="{_xml_text(_iri(obj), True)}"/>'
    if obj.language:
        attribute = f' xml:lang="{_xml_text(obj.language, True)}"'
    elif obj.datatype is not None and str(obj.datatype) != _XSD_STRING:
        attribute = f' rdf:datatype="{_xml_text(str(obj.datatype), True)}"'
    else:
        attribute = ""
    return f"<{name}{attribute}>{_xml_text(str(obj))}</{name}>"


_WRITERS = {
    "ttl": to_turtle,
    "nt": to_ntriples,
    "nq": to_nquads,
    "trig": to_trig,
    "jsonld": to_jsonld,
    "xml": to_rdfxml,
}


def serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    """The graph in one syntax, the same bytes for the same graph."""
    return _WRITERS[fmt.name](graph)
