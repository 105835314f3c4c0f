"""The build's Turtle terms are `article_triples` written by `TurtleTerms`, made without rdflib."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity, Evidence
from bosch_kg.extract.pipeline import extract_article
from bosch_kg.graph.assemble import (
    PREFIXES,
    Assembler,
    article_terms,
    article_triples,
    resolver_for,
)
from bosch_kg.graph.build import article_files
from bosch_kg.graph.serialize import TurtleTerms

DEV_ARTICLES = ROOT.parent / "shared" / "articles"


def turtle_terms() -> TurtleTerms:
    return TurtleTerms({p: str(ns) for p, ns in PREFIXES.items()})


def assert_terms_are_triples_written(articles: list[ArticleClaims]) -> None:
    """Each article's `article_terms` equal its `article_triples` through `TurtleTerms`."""
    assembler = Assembler(resolver_for(articles))
    expected_terms, terms = turtle_terms(), turtle_terms()
    iri, term = expected_terms.iri, expected_terms.term
    for article in articles:
        expected = [(iri(s), iri(p), term(o)) for s, p, o in article_triples(assembler, article)]
        assert article_terms(assembler, terms, article) == expected


@pytest.mark.parametrize("folder", [SEEDS, DEV_ARTICLES], ids=["seeds", "dev"])
def test_article_terms_are_article_triples_in_turtle(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"no {folder} in this checkout")
    assert_terms_are_triples_written([extract_article(path) for path in article_files(folder)])


def test_odd_values_are_written_alike() -> None:
    """Escapes, an xsd:string date beside a plain literal of the same text, an IRI to escape."""
    series = Entity("Series", 'Ballard "1-2"')
    said = Evidence("x 1", 'He said "hi"\\\n\x01\tthere.', 3, 30, "r")
    claims = [
        Claim("premiered", series, said, value="1-2"),
        Claim("verdict", Entity("Review", "x 1"), said, value="1-2"),
        Claim("rating", Entity("Review", "x 1"), said, value="4.50/5"),
        Claim("episodes", series, said, value="10"),
        Claim("reviews", Entity("Review", "x 1"), said, object=series),
    ]
    meta = ArticleMeta("x 1", "x 1.txt", 'Tit"le', url="https://a.example/x y", published="2024")
    assert_terms_are_triples_written([ArticleClaims(meta, claims)])
