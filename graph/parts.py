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

from bosch_kg.errors import BoschKGError
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
from bosch_kg.graph.parallel import in_workers
from bosch_kg.graph.query_store import Contents
from bosch_kg.graph.serialize import Statements, TurtleTerms, turtle_head
from bosch_kg.graph.validate import PER_ARTICLE, ValidationReport, validate_turtle
from bosch_kg.ontology import ID, ONTOLOGY_FILE

#: Subjects only their article states: the article node and its rating node (abbreviated
#: or not, IRIs under these are written as full <IRI>s: their local names hold slashes).
_OWN_NODES = tuple(f"<{ID}{kind}/" for kind in ("article", "rating"))
_EVIDENCE = f"<{ID}evidence/"


@dataclass(frozen=True)
class Part:
    """An article's triples as Turtle text, but for its evidence (cached on its own, it is most
    of the text, and a build that merely copies it into the file need not hold it in memory)."""

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


def render(
    assembler: Assembler, terms: TurtleTerms, article: ArticleClaims, sign: str
) -> tuple[Part, str]:
    """The part of one article and its evidence blocks, written by the build's Turtle writer."""
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
    part = Part(
        article=str(article_iri(article.meta.id)),
        signature=sign,
        nodes=nodes.blocks(),
        shared=tuple(sorted(shared)),
        facts=_facts(evidence),
        types=tuple(types),
        triples=len(nodes) + len(evidence),
    )
    return part, evidence.blocks()


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
    if payload is None or entries.read(key, "evidence", signature=sign) is None:
        return None
    try:
        return Part.from_json(payload)
    except (ValueError, TypeError, KeyError):
        return None


def store(entries: cache.Cache, key: str, part: Part, evidence: str) -> None:
    entries.write(key, "part", part.to_json(), signature=part.signature)
    entries.write(key, "evidence", evidence.encode("utf-8"), signature=part.signature)


@dataclass(frozen=True)
class Section:
    """What the build keeps in memory of an article's part: its own nodes, not its evidence."""

    key: str
    article: str
    signature: str
    nodes: str


@dataclass
class PartedGraph:
    """A build's graph as parts: the shared section, then each article's own section.

    The evidence blocks stay in the cache and are read as the file is written;
    the parts rendered in this build are in the cache's open transaction, which
    the build commits only once the graph is validated.
    """

    head: str
    shared: Statements
    #: every article's section, in article id order
    sections: list[Section]
    #: the per-article shapes' reports on the parts rendered in this build
    checks: list[ValidationReport]
    #: the IRIs those parts state something about: what the other shapes need to look at
    focus: set[str]
    entries: cache.Cache
    triples: int
    facts: int
    types: Counter[str]

    @functools.cached_property
    def shared_text(self) -> str:
        """The shared section's blocks (sorted once: the file is written more than once)."""
        return self.shared.blocks()

    def evidence(self, section: Section) -> str:
        text = self.entries.read(section.key, "evidence", signature=section.signature)
        if text is None:
            raise BoschKGError(f"{self.entries.path}: an entry vanished during the build")
        return text.decode("utf-8")

    def texts(self, evidence: bool = True) -> Iterator[str]:
        """The Turtle text, piece by piece (without the evidence nodes if asked)."""
        yield self.head
        yield self.shared_text
        for section in self.sections:
            yield section.nodes
            if evidence:
                yield self.evidence(section)

    def chunks(self, evidence: bool = True) -> Iterator[bytes]:
        """The Turtle file, piece by piece: it need not be held whole in memory."""
        separator = b""
        for text in self.texts(evidence):
            if text:
                yield separator + text.encode("utf-8")
                separator = b"\n"

    def turtle(self, evidence: bool = True) -> bytes:
        return b"".join(self.chunks(evidence))

    def digest(self) -> str:
        """The SHA-256 of the Turtle file."""
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def contents(self) -> Contents:
        """What the query store needs to update itself from the last build's graph to this."""
        by_article = {section.article: section for section in self.sections}

        def own(article: str) -> bytes:
            section = by_article[article]
            return "\n".join((self.head, section.nodes, self.evidence(section))).encode("utf-8")

        return Contents(
            shared="\n".join((self.head, self.shared_text)).encode("utf-8"),
            articles={s.article: f"{s.key} {s.signature}" for s in self.sections},
            own=own,
        )

    def __len__(self) -> int:
        return len(self.shared) + self.triples

    def count(self, types: Iterable[str]) -> dict[str, int]:
        """How many nodes of each class (local names of bkg: classes)."""
        found = Counter(self.types)
        for pairs in self.shared.subjects.values():
            found.update(o for p, o in pairs if p == "a")
        return {t: found[f"bkg:{t}"] for t in types}


def parted_graph(
    articles: list[ArticleClaims],
    keys: list[str],
    entries: cache.Cache,
    workers: int | None = None,
) -> PartedGraph:
    """The graph of the articles (whose cache keys are `keys`): cached parts, the rest rendered.

    New parts are rendered and checked against the per-article shapes in
    worker processes, a batch of articles at a time; they go into the cache's
    open transaction, for the caller to commit once the whole graph is valid.
    """
    global _RENDERING
    resolver = resolver_for(articles)
    terms = TurtleTerms({p: str(ns) for p, ns in PREFIXES.items()})
    signed = sorted(
        ((article.meta.id, key, signature(resolver, article), article))
        for key, article in zip(keys, articles, strict=True)
    )
    found = {key: load(entries, key, sign) for _, key, sign, _ in signed}
    missing = [(key, sign, article) for _, key, sign, article in signed if found[key] is None]
    _RENDERING = Assembler(resolver), terms  # the forked workers inherit it
    batches = [missing[i : i + RENDER_BATCH] for i in range(0, len(missing), RENDER_BATCH)]
    checks, focus = [], set()
    for rendered, check in in_workers(_render_batch, batches, workers, chunk=1):
        for key, part, evidence in rendered:
            store(entries, key, part, evidence)
            found[key] = part
            focus |= _named(part)
        checks.append(check)
    _RENDERING = None
    shared = Statements({}, terms)
    sections, facts, types, triples = [], set(), Counter[str](), 0
    for _, key, sign, _ in signed:
        part = found[key]
        assert part is not None
        for triple in part.shared:
            shared.add(*triple)
        facts.update(map(hash, part.facts))  # distinct facts are counted, not kept
        types.update(part.types)
        triples += part.triples
        sections.append(Section(key, part.article, sign, part.nodes))
    return PartedGraph(
        terms_head(terms), shared, sections, checks, focus, entries, triples, len(facts), types
    )


def _named(part: Part) -> set[str]:
    """The IRIs of the nodes a part states something about (prefixed terms are vocabulary)."""
    terms = {t for triple in part.shared for t in (triple[0], triple[2])}
    return {part.article} | {t[1:-1] for t in terms if t.startswith("<")}


#: Articles rendered and checked together in a worker.
RENDER_BATCH = 50
#: The build's assembler and Turtle writer, for `_render_batch` in forked workers.
_RENDERING: tuple[Assembler, TurtleTerms] | None = None


def _render_batch(
    batch: list[tuple[str, str, ArticleClaims]],
) -> tuple[list[tuple[str, Part, str]], ValidationReport]:
    """Render a batch of parts and check them against the per-article shapes."""
    assert _RENDERING is not None, "set by parted_graph before the workers start"
    assembler, terms = _RENDERING
    rendered = [(key, *render(assembler, terms, article, sign)) for key, sign, article in batch]
    text = [terms_head(terms)]
    for _, part, evidence in rendered:
        text += [part.nodes, evidence, *(f"{s} {p} {o} ." for s, p, o in part.shared)]
    check = validate_turtle(
        "\n".join(t for t in text if t).encode("utf-8"), only=PER_ARTICLE.__contains__
    )
    return rendered, check


def terms_head(terms: TurtleTerms) -> str:
    """The PREFIX lines of every prefix the Turtle writer knows."""
    return turtle_head({p: ns for ns, p in terms.namespaces.items()})
