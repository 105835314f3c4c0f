"""The ontology is the single source of the vocabulary, aligned with schema.org."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SDO

from bosch_kg.extract.claims import CHARACTER_RELATIONS, JOBS
from bosch_kg.ontology import BKG, ontology_graph, property_by_label

ONTOLOGY = ontology_graph()
TERMS = {
    s
    for s in ONTOLOGY.subjects(RDF.type, None)
    if isinstance(s, URIRef) and s.startswith(str(BKG._NS))
}


def test_namespace_class_names_exactly_the_terms_of_the_ontology_file() -> None:
    declared = {BKG._NS[name] for name in BKG.__annotations__}
    assert declared == TERMS


def test_every_term_has_a_label_and_a_one_line_comment() -> None:
    for term in TERMS:
        assert ONTOLOGY.value(term, RDFS.label), term
        comment = ONTOLOGY.value(term, RDFS.comment)
        assert comment and "\n" not in comment, term


def test_the_card_classes_are_declared() -> None:
    for name in ("Series", "Person", "Character", "Role", "Review", "Franchise"):
        assert (BKG._NS[name], RDF.type, OWL.Class) in ONTOLOGY


def test_object_properties_have_domains_and_ranges_or_inherit_them() -> None:
    for prop in ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty):
        chain = [prop, *ONTOLOGY.transitive_objects(prop, RDFS.subPropertyOf)]
        assert any(ONTOLOGY.value(p, RDFS.domain) for p in chain), prop
        assert any(ONTOLOGY.value(p, RDFS.range) for p in chain), prop


def test_spinoff_and_franchise_can_be_queried_both_ways() -> None:
    assert (BKG.spinoffOf, OWL.inverseOf, BKG.hasSpinoff) in ONTOLOGY
    assert (BKG.inFranchise, OWL.inverseOf, BKG.franchiseSeries) in ONTOLOGY


def test_classes_and_properties_are_aligned_with_schema_org() -> None:
    assert (BKG.Series, RDFS.subClassOf, SDO.TVSeries) in ONTOLOGY
    assert (BKG.Person, OWL.equivalentClass, SDO.Person) in ONTOLOGY
    assert (BKG.Role, RDFS.subClassOf, SDO.PerformanceRole) in ONTOLOGY
    assert (BKG.Review, RDFS.subClassOf, SDO.Review) in ONTOLOGY
    assert (BKG.Rating, RDFS.subClassOf, SDO.Rating) in ONTOLOGY
    assert (BKG.actor, RDFS.subPropertyOf, SDO.actor) in ONTOLOGY
    assert (BKG.composer, RDFS.subPropertyOf, SDO.musicBy) in ONTOLOGY
    assert (BKG.reviews, RDFS.subPropertyOf, SDO.itemReviewed) in ONTOLOGY
    assert (BKG.author, RDFS.subPropertyOf, SDO.author) in ONTOLOGY
    assert (BKG.spinoffOf, RDFS.subPropertyOf, SDO.isBasedOn) in ONTOLOGY


def test_extractor_jobs_and_relations_are_the_ontology_labels() -> None:
    assert set(JOBS) == set(property_by_label(BKG.credit))
    assert set(CHARACTER_RELATIONS) == set(property_by_label(BKG.relatedTo))
