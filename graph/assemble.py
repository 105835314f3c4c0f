"""Claims -> one RDF graph under the ontology, every fact with its evidence.

Each fact is a plain triple; beside it an Evidence node (a reified
rdf:Statement) records the rule that found it and is prov:wasDerivedFrom a
Sentence node, which quotes the sentence with its offsets and is
dcterms:isPartOf the article.  A sentence states several facts: quoted once,
the graph is a quarter smaller.  IRIs are minted from canonical names, so the same
input always gives the same graph.

The mapping is written once, in plain terms (an IRI is a `str`, a literal a
`(value, datatype)` pair: both hash and compare in C, where rdflib terms
compare in Python), and a writer makes each distinct one into an output term
once: rdflib terms for a `Graph` (`article_triples`), or the Turtle text the
build writes (`article_terms`).  Evidence nodes, most of the triples, are
written straight in output terms.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS, DefinedNamespace
from rdflib.term import Node

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity, Evidence
from bosch_kg.graph.names import Resolver, slug
from bosch_kg.graph.serialize import TurtleTerms
from bosch_kg.ontology import BKG, ID, property_by_label

#: A term as the mapping makes it: an IRI as a plain str, a literal as (value, datatype or None).
Term = str | tuple[object, str | None]
#: A triple of plain terms (subjects and predicates are IRIs).
TermTriple = tuple[str, str, Term]
Triple = tuple[Node, Node, Node]
K = TypeVar("K")
T = TypeVar("T")


class _Plain:
    """A namespace's IRIs as plain str, each looked up once (namespace attribute access is slow)."""

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        iri = str(getattr(self._namespace, name))
        setattr(self, name, iri)  # found in the instance from now on
        return iri


bkg, rdf, rdfs, xsd = _Plain(BKG), _Plain(RDF), _Plain(RDFS), _Plain(XSD)
prov, sdo, skos, dcterms = _Plain(PROV), _Plain(SDO), _Plain(SKOS), _Plain(DCTERMS)
_ID = str(ID)

_CLASS = {
    "Series": bkg.Series,
    "Person": bkg.Person,
    "Character": bkg.Character,
    "Franchise": bkg.Franchise,
    "Network": bkg.Network,
    "Review": bkg.Article,
}

_SIMPLE = {  # claim kind -> property from subject to object
    "network": bkg.network,
    "spinoff": bkg.spinoffOf,
    "franchise": bkg.inFranchise,
    "similar": bkg.similarTo,
    "reviews": bkg.reviews,
    "author": bkg.author,
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
    return URIRef(_article_iri(article_id))


@functools.cache  # every sentence node names its article
def _article_iri(article_id: str) -> str:
    return f"{_ID}article/{quote(article_id, safe='')}"


def _sentence_iri(evidence: Evidence) -> str:
    return f"{_ID}sentence/{quote(evidence.article, safe='')}/{evidence.start}"


def _node(term: Term) -> Node:
    """The rdflib term of a plain term."""
    if isinstance(term, str):
        return URIRef(term)
    value, datatype = term
    return Literal(value, datatype=datatype)


class _Made(dict[K, T]):
    """Values made on the first lookup of their key (then a lookup is a plain dict's, in C)."""

    def __init__(self, make: Callable[[K], T]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: K) -> T:
        made = self[key] = self.make(key)
        return made


#: An entity as a cache key: a tuple hashes and compares in C, an `Entity` in Python.
_EntityKey = tuple[str, str]

#: The terms of an evidence node, in the order `Assembler.stated` unpacks them.
_EVIDENCE_TERMS = (
    rdf.type,
    bkg.Evidence,
    rdf.subject,
    rdf.predicate,
    rdf.object,
    prov.wasDerivedFrom,
    bkg.rule,
)
#: The terms of a sentence node, in the order `Assembler.quoted` unpacks them.
_SENTENCE_TERMS = (rdf.type, bkg.Sentence, bkg.text, bkg.charStart, bkg.charEnd, dcterms.isPartOf)


class _Writer(Generic[T]):
    """Makes output terms (rdflib terms, Turtle text) of plain terms, each distinct one once."""

    def __init__(self, make: Callable[[Term], T], iri: Callable[[str], T]) -> None:
        self.terms: _Made[Term, T] = _Made(make)
        #: makes IRIs used once only (evidence nodes), not worth remembering
        self.iri = iri

    @functools.cached_property
    def evidence(self) -> tuple[T, ...]:
        """`_EVIDENCE_TERMS`, written (when first needed: Turtle notes the prefixes it uses)."""
        return tuple(self.terms[term] for term in _EVIDENCE_TERMS)

    @functools.cached_property
    def sentence(self) -> tuple[T, ...]:
        """`_SENTENCE_TERMS`, written."""
        return tuple(self.terms[term] for term in _SENTENCE_TERMS)

    def triples(self, triples: Iterable[TermTriple]) -> list[tuple[T, T, T]]:
        made = self.terms
        return [(made[s], made[p], made[o]) for s, p, o in triples]


class Assembler:
    """Turns claims into triples, naming entities as one resolver over all the articles says."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.credit = {label: str(p) for label, p in property_by_label(BKG.credit).items()}
        self.relation = {label: str(p) for label, p in property_by_label(BKG.relatedTo).items()}
        # names repeat across claims and articles: name each entity, make each term once
        self._iris: _Made[_EntityKey, str] = _Made(lambda key: self._mint(Entity(*key)))
        self._slugs: _Made[_EntityKey, str] = _Made(lambda key: slug(resolver.key(Entity(*key))))
        self._labels: _Made[_EntityKey, tuple[str, str]] = _Made(
            lambda key: self._label(Entity(*key))
        )
        self._n3: _Made[Term, str] = _Made(lambda term: _node(term).n3())
        #: the writer of rdflib terms
        self.rdflib = _Writer(_node, URIRef)
        self._turtle: tuple[TurtleTerms, _Writer[str]] | None = None

    def turtle(self, terms: TurtleTerms) -> _Writer[str]:
        """The writer of Turtle text as `terms` writes it."""
        if self._turtle is None or self._turtle[0] is not terms:
            self._turtle = terms, _Writer(functools.partial(_text, terms), terms.abbreviate)
        return self._turtle[1]

    def iri(self, entity: Entity) -> str:
        return self._iris[entity.kind, entity.name]

    def _mint(self, entity: Entity) -> str:
        if entity.kind == "Review":
            return _article_iri(entity.name)
        return f"{_ID}{entity.kind.lower()}/{self._slugs[entity.kind, entity.name]}"

    def _label(self, entity: Entity) -> tuple[str, str]:
        """The entity's spelling, and whether it is its cluster's label or an alternative one."""
        spelled = self.resolver.spelling(entity)
        labels = self.resolver.labels[(entity.kind, self.resolver.key(entity))]
        return spelled, rdfs.label if spelled == labels[0] else skos.altLabel

    def triples(self, article: ArticleClaims, writer: _Writer[T]) -> list[tuple[T, T, T]]:
        """Every triple one article contributes (repeats included): the one claim -> RDF mapping."""
        claims = sorted(article.claims, key=_claim_order)
        found = writer.triples(_article(article.meta))
        quoted: dict[tuple[str, int], Evidence] = {}
        for claim in claims:
            found += writer.triples(self.describe(claim))
            for fact in self.facts(claim):
                found += self.stated(fact, claim.evidence, writer)
                quoted.setdefault((claim.evidence.article, claim.evidence.start), claim.evidence)
        for fact, evidence in self.labels(claims):
            found += self.stated(fact, evidence, writer)
            quoted.setdefault((evidence.article, evidence.start), evidence)
        for evidence in quoted.values():
            found += self.quoted(evidence, writer)
        return found

    def stated(
        self, fact: TermTriple, evidence: Evidence, writer: _Writer[T]
    ) -> list[tuple[T, T, T]]:
        """A fact and the bkg:Evidence node that reifies it, derived from its sentence."""
        n3 = self._n3
        key = (
            f"{n3[fact[0]]}\x1f{n3[fact[1]]}\x1f{n3[fact[2]]}"
            f"\x1f{evidence.article}\x1f{evidence.start}\x1f{evidence.rule}"
        )
        digest = hashlib.sha1(key.encode()).hexdigest()
        node = writer.iri(f"{_ID}evidence/{digest[:20]}")
        made = writer.terms
        s, p, o = made[fact[0]], made[fact[1]], made[fact[2]]
        a, evidence_class, subject, predicate, obj, source, rule = writer.evidence
        return [
            (s, p, o),
            (node, a, evidence_class),
            (node, subject, s),
            (node, predicate, p),
            (node, obj, o),
            (node, source, writer.iri(_sentence_iri(evidence))),
            (node, rule, made[(evidence.rule, None)]),
        ]

    def quoted(self, evidence: Evidence, writer: _Writer[T]) -> list[tuple[T, T, T]]:
        """The bkg:Sentence node of an evidence: the sentence, its offsets and its article."""
        node = writer.iri(_sentence_iri(evidence))
        made = writer.terms
        a, sentence_class, text, start, end, part_of = writer.sentence
        return [
            (node, a, sentence_class),
            (node, text, made.make((evidence.sentence, None))),
            (node, start, made[(evidence.start, xsd.nonNegativeInteger)]),
            (node, end, made[(evidence.end, xsd.nonNegativeInteger)]),
            (node, part_of, made[_article_iri(evidence.article)]),
        ]

    def role_iri(self, claim: Claim) -> str:
        assert claim.series is not None
        entities = (claim.series, claim.subject, claim.object)
        slugs = [self._slugs[e.kind, e.name] for e in entities if e is not None]
        return f"{_ID}role/" + "/".join(slugs)

    def facts(self, claim: Claim) -> Iterator[TermTriple]:
        """The triples a claim states (the ones that get evidence)."""
        s = self.iri(claim.subject)
        if claim.kind == "plays":
            assert claim.series is not None
            role, series = self.role_iri(claim), self.iri(claim.series)
            yield series, bkg.hasRole, role
            yield role, bkg.actor, s
            if claim.object is not None:
                yield role, bkg.character, self.iri(claim.object)
                yield self.iri(claim.object), bkg.characterOf, series
        elif claim.kind == "character":
            assert claim.series is not None
            yield s, bkg.characterOf, self.iri(claim.series)
        elif claim.kind == "credit":
            assert claim.series is not None and claim.value is not None
            yield self.iri(claim.series), self.credit[claim.value], s
        elif claim.kind == "relation":
            assert claim.object is not None and claim.value is not None
            yield s, self.relation[claim.value], self.iri(claim.object)
        elif claim.kind == "premiered":
            yield s, bkg.premiered, _date(claim.value or "")
        elif claim.kind == "episodes":
            yield s, bkg.episodes, (int(claim.value or 0), xsd.positiveInteger)
        elif claim.kind == "verdict":
            yield s, bkg.verdict, (claim.value, None)
        elif claim.kind == "rating":
            yield s, bkg.rating, _rating_iri(claim)
        else:
            assert claim.object is not None
            yield s, _SIMPLE[claim.kind], self.iri(claim.object)

    def describe(self, claim: Claim) -> Iterator[TermTriple]:
        """Types, labels and value nodes the facts need (no evidence of their own)."""
        for entity in (claim.subject, claim.object, claim.series):
            if entity is not None:
                yield self.iri(entity), rdf.type, _CLASS[entity.kind]
        if claim.kind == "plays":
            role = self.role_iri(claim)
            assert claim.series is not None
            yield role, rdf.type, bkg.Role
            yield role, bkg.roleIn, self.iri(claim.series)
            yield role, rdfs.label, (self._role_label(claim), None)
        elif claim.kind == "reviews":
            yield self.iri(claim.subject), rdf.type, bkg.Review
        elif claim.kind == "rating":
            yield from _rating(_rating_iri(claim), claim.value)

    def _role_label(self, claim: Claim) -> str:
        assert claim.series is not None
        who = self.resolver.label(claim.subject)
        part = f" as {self.resolver.label(claim.object)}" if claim.object else ""
        return f"{who}{part} in {self.resolver.label(claim.series)}"

    def labels(self, claims: list[Claim]) -> Iterator[tuple[TermTriple, Evidence]]:
        """rdfs:label / skos:altLabel of every named entity, with one evidence per article."""
        seen: set[tuple[str, str, str]] = set()
        for claim in claims:
            for entity in (claim.subject, claim.object, claim.series):
                if entity is None or entity.kind == "Review":
                    continue
                node, (spelled, prop) = self.iri(entity), self._labels[entity.kind, entity.name]
                if (node, spelled, claim.evidence.article) in seen:
                    continue
                seen.add((node, spelled, claim.evidence.article))
                yield (node, prop, (spelled, None)), claim.evidence


def _text(terms: TurtleTerms, term: Term) -> str:
    """The Turtle text of a plain term (not remembered by `terms`: the caller remembers it)."""
    if isinstance(term, str):
        return terms.abbreviate(term)
    value, datatype = term
    if datatype is None and isinstance(value, str):
        return terms.literal(value)  # its own lexical form: no rdflib term needed
    return terms.term(_node(term))


def _rating_iri(claim: Claim) -> str:
    return f"{_ID}rating/{quote(claim.subject.name, safe='')}"


def _date(value: str) -> Term:
    """ISO date text -> xsd:date, xsd:gYearMonth or xsd:gYear by its precision."""
    return value, {10: xsd.date, 7: xsd.gYearMonth, 4: xsd.gYear}.get(len(value), xsd.string)


def _rating(node: str, value: str | None) -> Iterator[TermTriple]:
    rating, _, best = (value or "").partition("/")
    try:
        numbers = (Decimal(rating), Decimal(best))
    except InvalidOperation:
        return
    yield node, rdf.type, bkg.Rating
    yield node, rdfs.label, (f"{rating} out of {best}", None)
    yield node, bkg.ratingValue, _decimal(numbers[0])
    yield node, bkg.bestRating, _decimal(numbers[1])


def _claim_order(claim: Claim) -> tuple[str, ...]:
    """A total order on claims (dataclass order fails where one has no object)."""
    entities = (claim.subject, claim.object, claim.series)
    names = [f"{e.kind}\x1f{e.name}" if e else "" for e in entities]
    ev = claim.evidence
    return (claim.kind, *names, claim.value or "", ev.article, f"{ev.start:012d}", ev.rule)


def _decimal(number: Decimal) -> Term:
    """An xsd:decimal in its canonical form ("5.0", "4.5"), which every syntax writes alike."""
    text = f"{number.normalize():f}"
    return text if "." in text else text + ".0", xsd.decimal


def _article(meta: ArticleMeta) -> Iterator[TermTriple]:
    node = _article_iri(meta.id)
    yield node, rdf.type, bkg.Article
    yield node, bkg.articleId, (meta.id, None)
    yield node, rdfs.label, (meta.title or meta.id, None)
    if meta.url:
        yield node, sdo.url, meta.url
    if meta.published:
        yield node, dcterms.issued, _date(meta.published)


def resolver_for(articles: Iterable[ArticleClaims]) -> Resolver:
    """The one resolver of a build: names are merged across all its articles."""
    return Resolver.of(a.claims for a in articles)


def article_triples(assembler: Assembler, article: ArticleClaims) -> Iterator[Triple]:
    """Every triple one article contributes (repeats included), as rdflib terms."""
    return iter(assembler.triples(article, assembler.rdflib))


def article_terms(
    assembler: Assembler, terms: TurtleTerms, article: ArticleClaims
) -> list[tuple[str, str, str]]:
    """`article_triples` as `terms` writes them, made without rdflib terms (far cheaper)."""
    return assembler.triples(article, assembler.turtle(terms))


def triples(articles: Iterable[ArticleClaims]) -> Iterator[Triple]:
    """Every triple of the articles' claims (repeats included), article by article.

    Both the rdflib graph (`assemble`) and the build's Turtle writer consume
    `Assembler.triples`, so they cannot drift apart.
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
