"""One article's share of the graph, rendered once and cached until its text or its names change.

The graph file is a shared section (the entities, their names and the facts
between them, merged across articles) followed by one section per article:
its article node, its rating, its evidence nodes and the sentences they
quote.  Only that article states those, so a changed article replaces
its own section alone and its shared triples are merged again with the
others'.  Beyond its claims, an article's triples depend on how the build
names the entities it mentions (merged spellings, preferred labels); that
naming is the part's signature, so a new spelling elsewhere that renames one
of its entities renders the part again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims, Entity
from bosch_kg.graph import cache
from bosch_kg.graph.assemble import (
    Assembler,
    article_iri,
    article_terms,
)
from bosch_kg.graph.names import Resolver
from bosch_kg.graph.serialize import Statements, TurtleTerms, turtle_head
from bosch_kg.ontology import ID, ONTOLOGY_FILE

#: Subjects only their article states: the article node and its rating node (abbreviated
#: or not, IRIs under these are written as full <IRI>s: their local names hold slashes).
_OWN_NODES = tuple(f"<{ID}{kind}/" for kind in ("article", "rating"))
#: Subjects of an article's evidence: the evidence nodes and the sentences they quote.
_EVIDENCE = tuple(f"<{ID}{kind}/" for kind in ("evidence", "sentence"))


@dataclass(frozen=True)
class Part:
    """What a build keeps of an article's triples to count them in and out of the graph: all
    but its evidence, which is most of the text and lies in the graph file itself (a build
    that writes the file anew renders the article again)."""

    #: the article node's IRI
    article: str
    signature: str
    #: blocks of the article and rating nodes
    nodes: str
    #: the other triples, as Turtle terms: merged with every other article's
    shared: tuple[tuple[str, str, str], ...]
    #: the facts its evidence names, as "subject predicate object" Turtle text
    facts: tuple[str, ...]
    #: the classes of its own nodes (bkg:Article, bkg:Review, bkg:Rating)
    types: tuple[str, ...]
    #: how many triples its own nodes and evidence have
    triples: int
    #: how many claims it was rendered from
    claims: int

    def to_json(self) -> bytes:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Part:
        fields = json.loads(data)
        return cls(
            article=fields["article"],
            signature=fields["signature"],
            nodes=fields["nodes"],
            shared=tuple(tuple(t) for t in fields["shared"]),  # type: ignore[misc]
            facts=tuple(fields["facts"]),
            types=tuple(fields["types"]),
            triples=fields["triples"],
            claims=fields["claims"],
        )


#: The modules that turn claims into Turtle text: editing one renders every part again
#: (editing the others, say the query store, need not re-render ten thousand articles).
RENDERER = ("assemble.py", "names.py", "parts.py", "serialize.py")


@functools.cache
def renderer_version() -> str:
    """A hash of the code and ontology that turn claims into triples, and of the cache format."""
    digest = hashlib.sha256(f"format {cache.CACHE_FORMAT}".encode())
    for path in (*(Path(__file__).with_name(name) for name in RENDERER), ONTOLOGY_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def signature(resolver: Resolver, entities: Iterable[Entity]) -> str:
    """A hash of how the build names every entity an article mentions, and the renderer."""
    naming = [(e.kind, e.name, *resolver.naming(e)) for e in sorted(entities)]
    text = json.dumps([renderer_version(), naming], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def render(
    assembler: Assembler, terms: TurtleTerms, article: ArticleClaims, sign: str
) -> tuple[Part, str]:
    """The part of one article and its evidence blocks, written by the build's Turtle writer."""
    nodes, evidence = Statements({}, terms), Statements({}, terms)
    shared = set()
    for triple in article_terms(assembler, terms, article):
        if triple[0].startswith(_EVIDENCE):
            evidence.add(*triple)
        elif triple[0].startswith(_OWN_NODES):
            nodes.add(*triple)
        else:
            shared.add(triple)
    types = sorted(o for pairs in nodes.subjects.values() for p, o in pairs if p == "a")
    part = Part(
        article=str(article_iri(article.meta.id)),
        signature=sign,
        nodes=nodes.blocks(),
        shared=tuple(sorted(shared)),
        facts=_facts(evidence),
        types=tuple(types),
        triples=len(nodes) + len(evidence),
        claims=len(article.claims),
    )
    return part, evidence.blocks()


def _facts(evidence: Statements) -> tuple[str, ...]:
    """The (subject, predicate, object) each evidence node names."""
    facts = set()
    for pairs in evidence.subjects.values():
        parts = dict(p for p in pairs if p[0] in ("rdf:subject", "rdf:predicate", "rdf:object"))
        if parts:  # not a sentence node
            facts.add(f"{parts['rdf:subject']} {parts['rdf:predicate']} {parts['rdf:object']}")
    return tuple(sorted(facts))


def load(entries: cache.Cache, key: str, sign: str) -> Part | None:
    """The cached part of an article, if it was rendered under the same naming."""
    payload = entries.read(key, "part", signature=sign)
    if payload is None:
        return None
    try:
        return Part.from_json(payload)
    except (ValueError, TypeError, KeyError):
        return None


def store(entries: cache.Cache, key: str, part: Part) -> None:
    entries.write(key, "part", part.to_json(), signature=part.signature)


def terms_head(terms: TurtleTerms) -> str:
    """The PREFIX lines of every prefix the Turtle writer knows."""
    return turtle_head({p: ns for ns, p in terms.namespaces.items()})
