"""One article's share of the graph, rendered once and cached until its text or its names change.

The graph file is a shared section (the entities, their names and the facts
between them, merged across articles) followed by one section per article:
its article node, its rating and the evidence nodes that quote its
sentences.  Only that article states those, so a changed article replaces
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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.graph import cache
from bosch_kg.graph.assemble import (
    PREFIXES,
    Assembler,
    article_iri,
    article_triples,
    resolver_for,
)
from bosch_kg.graph.names import Resolver
from bosch_kg.graph.query_store import Contents
from bosch_kg.graph.serialize import Statements, TurtleTerms, turtle_head
from bosch_kg.ontology import ID, ONTOLOGY_FILE

#: Subjects only their article states: the article node and its rating node (abbreviated
#: or not, IRIs under these are written as full <IRI>s: their local names hold slashes).
_OWN_NODES = tuple(f"<{ID}{kind}/" for kind in ("article", "rating"))
_EVIDENCE = f"<{ID}evidence/"


@dataclass(frozen=True)
class Part:
    """An article's triples as Turtle text: its own nodes, its evidence, its shared triples."""

    #: the article node's IRI
    article: str
    signature: str
    #: blocks of the article and rating nodes
    nodes: str
    #: blocks of the evidence nodes
    evidence: str
    #: the other triples, as Turtle terms: merged with every other article's
    shared: tuple[tuple[str, str, str], ...]
    #: the facts its evidence names, as "subject predicate object" Turtle text
    facts: tuple[str, ...]
    #: the classes of its own nodes (bkg:Article, bkg:Review, bkg:Rating)
    types: tuple[str, ...]
    #: how many triples its own nodes and evidence have
    triples: int

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
            evidence=fields["evidence"],
            shared=tuple(tuple(t) for t in fields["shared"]),  # type: ignore[misc]
            facts=tuple(fields["facts"]),
            types=tuple(fields["types"]),
            triples=fields["triples"],
        )


@functools.cache
def renderer_version() -> str:
    """A hash of the code and ontology that turn claims into triples: editing them re-renders."""
    digest = hashlib.sha256()
    for path in (*sorted(Path(__file__).parent.glob("*.py")), ONTOLOGY_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def signature(resolver: Resolver, article: ArticleClaims) -> str:
    """A hash of how the build names every entity the article mentions, and the renderer."""
    entities = {e for c in article.claims for e in (c.subject, c.object, c.series) if e is not None}
    naming = [(e.kind, e.name, *resolver.naming(e)) for e in sorted(entities)]
    text = json.dumps([renderer_version(), naming], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def render(assembler: Assembler, terms: TurtleTerms, article: ArticleClaims, sign: str) -> Part:
    """The part of one article, its terms written by the build's one Turtle writer."""
    nodes, evidence = Statements({}, terms), Statements({}, terms)
    shared = set()
    iri, term = terms.iri, terms.term
    for s, p, o in article_triples(assembler, article):
        triple = (iri(s), iri(p), term(o))
        if triple[0].startswith(_EVIDENCE):
            evidence.add(*triple)
        elif triple[0].startswith(_OWN_NODES):
            nodes.add(*triple)
        else:
            shared.add(triple)
    types = sorted(o for pairs in nodes.subjects.values() for p, o in pairs if p == "a")
    return Part(
        article=str(article_iri(article.meta.id)),
        signature=sign,
        nodes=nodes.blocks(),
        evidence=evidence.blocks(),
        shared=tuple(sorted(shared)),
        facts=_facts(evidence),
        types=tuple(types),
        triples=len(nodes) + len(evidence),
    )


def _facts(evidence: Statements) -> tuple[str, ...]:
    """The (subject, predicate, object) each evidence node names."""
    facts = set()
    for pairs in evidence.subjects.values():
        parts = dict(p for p in pairs if p[0] in ("rdf:subject", "rdf:predicate", "rdf:object"))
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


@dataclass
class PartedGraph:
    """A build's graph as parts: the shared section, then each article's own section."""

    head: str
    shared: Statements
    #: every article's part by its cache key, in article id order
    parts: dict[str, Part]
    #: the parts rendered in this build, by cache key: they go to the cache once validated
    fresh: dict[str, Part]

    def sections(self, evidence: bool = True) -> Iterator[str]:
        """The Turtle text, section by section (without the evidence nodes if asked)."""
        yield self.head
        yield self.shared.blocks()
        for part in self.parts.values():
            yield part.nodes
            if evidence:
                yield part.evidence

    def chunks(self, evidence: bool = True) -> Iterator[bytes]:
        """The Turtle file, piece by piece: it need not be held whole in memory."""
        separator = b""
        for section in self.sections(evidence):
            if section:
                yield separator + section.encode("utf-8")
                separator = b"\n"

    def turtle(self, evidence: bool = True) -> bytes:
        return b"".join(self.chunks(evidence))

    def digest(self) -> str:
        """The SHA-256 of the Turtle file."""
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def fresh_batches(self, size: int = 200) -> Iterator[bytes]:
        """The new parts as Turtle, `size` articles at a time: all the triples each states."""
        fresh = list(self.fresh.values())
        for start in range(0, len(fresh), size):
            text = [self.head]
            for part in fresh[start : start + size]:
                text += [part.nodes, part.evidence]
                text += [f"{s} {p} {o} ." for s, p, o in part.shared]
            yield "\n".join(t for t in text if t).encode("utf-8")

    def contents(self) -> Contents:
        """What the query store needs to update itself from the last build's graph to this."""
        by_article = {part.article: part for part in self.parts.values()}

        def own(article: str) -> bytes:
            part = by_article[article]
            return "\n".join((self.head, part.nodes, part.evidence)).encode("utf-8")

        return Contents(
            shared="\n".join((self.head, self.shared.blocks())).encode("utf-8"),
            articles={p.article: f"{key} {p.signature}" for key, p in self.parts.items()},
            own=own,
        )

    def __len__(self) -> int:
        return len(self.shared) + sum(p.triples for p in self.parts.values())

    def facts(self) -> int:
        """Distinct facts: (subject, predicate, object) named by evidence nodes."""
        return len({f for p in self.parts.values() for f in p.facts})

    def count(self, types: Iterable[str]) -> dict[str, int]:
        """How many nodes of each class (local names of bkg: classes)."""
        found = Counter(t for p in self.parts.values() for t in p.types)
        for pairs in self.shared.subjects.values():
            found.update(o for p, o in pairs if p == "a")
        return {t: found[f"bkg:{t}"] for t in types}


def parted_graph(
    articles: list[ArticleClaims], keys: list[str], entries: cache.Cache
) -> PartedGraph:
    """The graph of the articles (whose cache keys are `keys`): cached parts, the rest rendered."""
    resolver = resolver_for(articles)
    assembler = Assembler(resolver)
    terms = TurtleTerms({p: str(ns) for p, ns in PREFIXES.items()})
    shared = Statements({}, terms)
    parts, fresh = {}, {}
    for key, article in sorted(zip(keys, articles, strict=True), key=lambda ka: ka[1].meta.id):
        sign = signature(resolver, article)
        part = load(entries, key, sign)
        if part is None:
            part = fresh[key] = render(assembler, terms, article, sign)
        for triple in part.shared:
            shared.add(*triple)
        parts[key] = part
    head = turtle_head({p: ns for ns, p in terms.namespaces.items()})
    return PartedGraph(head, shared, parts, fresh)
