"""Claims -> one RDF graph under the ontology, every fact with its evidence.

Each fact is a plain triple; beside it an Evidence node (a reified
rdf:Statement, prov:wasDerivedFrom the article) records the sentence, its
offsets and the rule.  IRIs are minted from canonical names, so the same
input always gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS
from rdflib.term import Node

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity, Evidence
from bosch_kg.graph.names import Resolver, slug
from bosch_kg.ontology import BKG, ID, property_by_label

Triple = tuple[URIRef, URIRef, Node]

_CLASS = {
    "Series": BKG.Series,
    "Person": BKG.Person,
    "Character": BKG.Character,
    "Franchise": BKG.Franchise,
    "Network": BKG.Network,
    "Review": BKG.Article,
}

_SIMPLE = {  # claim kind -> property from subject to object
    "network": BKG.network,
    "spinoff": BKG.spinoffOf,
    "franchise": BKG.inFranchise,
    "similar": BKG.similarTo,
    "reviews": BKG.reviews,
    "author": BKG.author,
}

PREFIXES = {
    "bkg": BKG._NS,
    "id": ID,
    "schema": SDO,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
}


def new_graph() -> Graph:
    """An empty graph with the prefixes our files use."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def article_iri(article_id: str) -> URIRef:
    return ID["article/" + quote(article_id, safe="")]


#: Terms of the evidence nodes, looked up once (namespace attribute access is slow).
_EVIDENCE_TERMS = (
    RDF.type,
    BKG.Evidence,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    PROV.wasDerivedFrom,
    BKG.sentence,
    BKG.charStart,
    BKG.charEnd,
    BKG.rule,
)


class Assembler:
    """Turns claims into triples, naming entities as one resolver over all the articles says."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.credit = property_by_label(BKG.credit)
        self.relation = property_by_label(BKG.relatedTo)
        # names, sentences and offsets repeat across claims: make each term once
        self._iris: dict[Entity, URIRef] = {}
        self._literals: dict[tuple[object, URIRef | None], Literal] = {}
        self._n3: dict[Node, str] = {}

    def iri(self, entity: Entity) -> URIRef:
        iri = self._iris.get(entity)
        if iri is None:
            iri = self._iris[entity] = self._mint(entity)
        return iri

    def _mint(self, entity: Entity) -> URIRef:
        if entity.kind == "Review":
            return article_iri(entity.name)
        return ID[f"{entity.kind.lower()}/{slug(self.resolver.key(entity))}"]

    def literal(self, value: object, datatype: URIRef | None = None) -> Literal:
        """A literal, made once per value."""
        literal = self._literals.get((value, datatype))
        if literal is None:
            literal = self._literals[(value, datatype)] = Literal(value, datatype=datatype)
        return literal

    def n3(self, node: Node) -> str:
        text = self._n3.get(node)
        if text is None:
            text = self._n3[node] = node.n3()
        return text

    def evidence(self, fact: Triple, evidence: Evidence) -> Iterator[Triple]:
        """Reify one fact as a bkg:Evidence node that quotes its sentence."""
        a, evidence_class, subject, predicate, obj, source, sentence, start, end, rule = (
            _EVIDENCE_TERMS
        )
        key = [*(self.n3(n) for n in fact), evidence.article, str(evidence.start), evidence.rule]
        node = ID["evidence/" + hashlib.sha1("\x1f".join(key).encode()).hexdigest()[:20]]
        yield node, a, evidence_class
        yield node, subject, fact[0]
        yield node, predicate, fact[1]
        yield node, obj, fact[2]
        yield node, source, self.iri(Entity("Review", evidence.article))
        yield node, sentence, self.literal(evidence.sentence)
        yield node, start, self.literal(evidence.start, XSD.nonNegativeInteger)
        yield node, end, self.literal(evidence.end, XSD.nonNegativeInteger)
        yield node, rule, self.literal(evidence.rule)

    def role_iri(self, claim: Claim) -> URIRef:
        assert claim.series is not None
        parts = [self.resolver.key(claim.series), self.resolver.key(claim.subject)]
        if claim.object is not None:
            parts.append(self.resolver.key(claim.object))
        return ID["role/" + "/".join(slug(p) for p in parts)]

    def facts(self, claim: Claim) -> Iterator[Triple]:
        """The triples a claim states (the ones that get evidence)."""
        s = self.iri(claim.subject)
        if claim.kind == "plays":
            assert claim.series is not None
            role, series = self.role_iri(claim), self.iri(claim.series)
            yield series, BKG.hasRole, role
            yield role, BKG.actor, s
            if claim.object is not None:
                yield role, BKG.character, self.iri(claim.object)
                yield self.iri(claim.object), BKG.characterOf, series
        elif claim.kind == "character":
            assert claim.series is not None
            yield s, BKG.characterOf, self.iri(claim.series)
        elif claim.kind == "credit":
            assert claim.series is not None and claim.value is not None
            yield self.iri(claim.series), self.credit[claim.value], s
        elif claim.kind == "relation":
            assert claim.object is not None and claim.value is not None
            yield s, self.relation[claim.value], self.iri(claim.object)
        elif claim.kind == "premiered":
            yield s, BKG.premiered, _date(claim.value or "")
        elif claim.kind == "episodes":
            yield s, BKG.episodes, Literal(int(claim.value or 0), datatype=XSD.positiveInteger)
        elif claim.kind == "verdict":
            yield s, BKG.verdict, Literal(claim.value)
        elif claim.kind == "rating":
            yield s, BKG.rating, ID["rating/" + quote(claim.subject.name, safe="")]
        else:
            assert claim.object is not None
            yield s, _SIMPLE[claim.kind], self.iri(claim.object)

    def describe(self, claim: Claim) -> Iterator[Triple]:
        """Types, labels and value nodes the facts need (no evidence of their own)."""
        for entity in (claim.subject, claim.object, claim.series):
            if entity is not None:
                yield self.iri(entity), RDF.type, _CLASS[entity.kind]
        if claim.kind == "plays":
            role = self.role_iri(claim)
            assert claim.series is not None
            yield role, RDF.type, BKG.Role
            yield role, BKG.roleIn, self.iri(claim.series)
            yield role, RDFS.label, Literal(self._role_label(claim))
        elif claim.kind == "reviews":
            yield self.iri(claim.subject), RDF.type, BKG.Review
        elif claim.kind == "rating":
            yield from _rating(ID["rating/" + quote(claim.subject.name, safe="")], claim.value)

    def _role_label(self, claim: Claim) -> str:
        assert claim.series is not None
        who = self.resolver.label(claim.subject)
        part = f" as {self.resolver.label(claim.object)}" if claim.object else ""
        return f"{who}{part} in {self.resolver.label(claim.series)}"

    def labels(self, claims: list[Claim]) -> Iterator[tuple[Triple, Evidence]]:
        """rdfs:label / skos:altLabel of every named entity, with one evidence per article."""
        seen: set[tuple[URIRef, str, str]] = set()
        for claim in claims:
            for entity in (claim.subject, claim.object, claim.series):
                if entity is None or entity.kind == "Review":
                    continue
                node, spelled = self.iri(entity), self.resolver.spelling(entity)
                if (node, spelled, claim.evidence.article) in seen:
                    continue
                seen.add((node, spelled, claim.evidence.article))
                labels = self.resolver.labels[(entity.kind, self.resolver.key(entity))]
                prop = RDFS.label if spelled == labels[0] else SKOS.altLabel
                yield (node, prop, Literal(spelled)), claim.evidence


def _date(value: str) -> Literal:
    """ISO date text -> xsd:date, xsd:gYearMonth or xsd:gYear by its precision."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.string)
    return Literal(value, datatype=datatype)


def _rating(node: URIRef, value: str | None) -> Iterator[Triple]:
    rating, _, best = (value or "").partition("/")
    try:
        numbers = (Decimal(rating), Decimal(best))
    except InvalidOperation:
        return
    yield node, RDF.type, BKG.Rating
    yield node, RDFS.label, Literal(f"{rating} out of {best}")
    yield node, BKG.ratingValue, _decimal(numbers[0])
    yield node, BKG.bestRating, _decimal(numbers[1])


def _claim_order(claim: Claim) -> tuple[str, ...]:
    """A total order on claims (dataclass order fails where one has no object)."""
    entities = (claim.subject, claim.object, claim.series)
    names = [f"{e.kind}\x1f{e.name}" if e else "" for e in entities]
    ev = claim.evidence
    return (claim.kind, *names, claim.value or "", ev.article, f"{ev.start:012d}", ev.rule)


def _decimal(number: Decimal) -> Literal:
    """An xsd:decimal in its canonical form ("5.0", "4.5"), which every syntax writes alike."""
    text = f"{number.normalize():f}"
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _article(meta: ArticleMeta) -> Iterator[Triple]:
    node = article_iri(meta.id)
    yield node, RDF.type, BKG.Article
    yield node, BKG.articleId, Literal(meta.id)
    yield node, RDFS.label, Literal(meta.title or meta.id)
    if meta.url:
        yield node, SDO.url, URIRef(meta.url)
    if meta.published:
        yield node, DCTERMS.issued, _date(meta.published)


def resolver_for(articles: Iterable[ArticleClaims]) -> Resolver:
    """The one resolver of a build: names are merged across all its articles."""
    return Resolver.of(a.claims for a in articles)


def article_triples(assembler: Assembler, article: ArticleClaims) -> Iterator[Triple]:
    """Every triple one article contributes (repeats included): the one claim -> RDF mapping."""
    claims = sorted(article.claims, key=_claim_order)
    yield from _article(article.meta)
    for claim in claims:
        yield from assembler.describe(claim)
        for fact in assembler.facts(claim):
            yield fact
            yield from assembler.evidence(fact, claim.evidence)
    for fact, evidence in assembler.labels(claims):
        yield fact
        yield from assembler.evidence(fact, evidence)


def triples(articles: Iterable[ArticleClaims]) -> Iterator[Triple]:
    """Every triple of the articles' claims (repeats included), article by article.

    Both the rdflib graph (`assemble`) and the build's Turtle writer consume
    `article_triples`, so they cannot drift apart.
    """
    articles = sorted(articles, key=lambda a: a.meta.id)
    assembler = Assembler(resolver_for(articles))
    for article in articles:
        yield from article_triples(assembler, article)


def assemble(articles: Iterable[ArticleClaims]) -> Graph:
    """One graph for all the articles' claims; the same claims give the same graph."""
    graph = new_graph()
    for triple in triples(articles):
        graph.add(triple)
    return graph
