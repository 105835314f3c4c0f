"""Claims become one graph: stable IRIs, merged spellings, every fact traceable."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity, Evidence
from bosch_kg.graph.assemble import assemble
from bosch_kg.graph.serialize import to_turtle
from bosch_kg.ontology import BKG, ID

BALLARD = Entity("Series", "Ballard")
TAYLOR = Entity("Person", "Courtney Taylor")


def said(article: str, sentence: str, rule: str = "test-rule") -> Evidence:
    return Evidence(article, sentence, 10, 10 + len(sentence), rule)


def article(article_id: str, *claims: Claim) -> ArticleClaims:
    return ArticleClaims(
        ArticleMeta(article_id, f"{article_id}.txt", f"Title {article_id}"), list(claims)
    )


def plays(art: str, actor: Entity, character: str, series: Entity = BALLARD) -> Claim:
    sentence = f"{actor.name} shines as {character}."
    return Claim(
        "plays", actor, said(art, sentence), object=Entity("Character", character), series=series
    )


TWO_SPELLINGS = [
    article("002", plays("002", TAYLOR, "Samira Parker")),
    article("003", plays("003", TAYLOR, "Zamira Parker")),
    article("009", plays("009", TAYLOR, "Zamira Parker")),
]


def test_one_character_spelled_two_ways_is_one_node_labelled_as_most_articles_spell_it() -> None:
    graph = assemble(TWO_SPELLINGS)
    parker = ID["character/zamira-parker"]
    assert graph.value(parker, RDFS.label) == Literal("Zamira Parker")
    assert set(graph.objects(parker, SKOS.altLabel)) == {Literal("Samira Parker")}
    assert not list(graph.triples((ID["character/samira-parker"], None, None)))


def test_near_spellings_in_different_series_stay_apart() -> None:
    graph = assemble(
        [
            article("a", plays("a", TAYLOR, "Samira Parker")),
            article("b", plays("b", TAYLOR, "Zamira Parker", Entity("Series", "Graveyard"))),
        ]
    )
    assert graph.value(ID["character/samira-parker"], RDFS.label) == Literal("Samira Parker")
    assert graph.value(ID["character/zamira-parker"], RDFS.label) == Literal("Zamira Parker")


def test_look_alike_letters_from_other_scripts_are_folded_into_latin() -> None:
    graveyard = Entity("Series", "Graveyard")
    graph = assemble(
        [article("003", plays("003", Entity("Person", "Birce Akalay"), "Ӧnem Ӧzükü", graveyard))]
    )
    assert graph.value(ID["character/onem-ozuku"], RDFS.label) == Literal("Önem Özükü")


def test_a_role_joins_actor_character_and_series() -> None:
    graph = assemble([article("000", plays("000", Entity("Person", "Maggie Q"), "Renée Ballard"))])
    role = ID["role/ballard/maggie-q/renee-ballard"]
    assert (ID["series/ballard"], BKG.hasRole, role) in graph
    assert graph.value(role, BKG.actor) == ID["person/maggie-q"]
    assert graph.value(role, BKG.character) == ID["character/renee-ballard"]
    assert graph.value(role, RDFS.label) == Literal("Maggie Q as Renée Ballard in Ballard")
    assert (ID["character/renee-ballard"], RDF.type, BKG.Character) in graph
    assert (ID["series/ballard"], RDF.type, BKG.Series) in graph


def test_every_fact_is_traced_to_its_article_sentence_and_rule() -> None:
    claim = Claim(
        "credit",
        Entity("Person", "Cliff Martinez"),
        said(
            "002",
            "The score, composed by Cliff Martinez, further enhances the mood.",
            "composed-by",
        ),
        series=BALLARD,
        value="composer",
    )
    graph = assemble([article("002", claim)])
    fact = (ID["series/ballard"], BKG.composer, ID["person/cliff-martinez"])
    assert fact in graph
    [evidence] = [
        e
        for e in graph.subjects(RDF.predicate, BKG.composer)
        if graph.value(e, RDF.subject) == fact[0]
    ]
    assert graph.value(evidence, RDF.object) == fact[2]
    assert graph.value(evidence, BKG.rule) == Literal("composed-by")
    sentence = graph.value(evidence, PROV.wasDerivedFrom)
    assert (sentence, RDF.type, BKG.Sentence) in graph
    assert str(graph.value(sentence, BKG.text)).startswith("The score, composed by")
    assert graph.value(sentence, DCTERMS.isPartOf) == ID["article/002"]
    assert graph.value(ID["article/002"], BKG.articleId) == Literal("002")


def test_a_sentence_that_states_several_facts_is_quoted_once() -> None:
    claim = Claim(
        "credit",
        Entity("Person", "Cliff Martinez"),
        said("002", "The score, composed by Cliff Martinez, further enhances the mood.", "r"),
        series=BALLARD,
        value="composer",
    )
    graph = assemble([article("002", claim)])
    # the credit and the name of Cliff Martinez and of Ballard: three facts, one sentence
    sources = {graph.value(e, PROV.wasDerivedFrom) for e in graph.subjects(RDF.type, BKG.Evidence)}
    assert len(list(graph.subjects(RDF.type, BKG.Evidence))) == 3
    assert sources == set(graph.subjects(RDF.type, BKG.Sentence))
    [sentence] = sources
    assert len(list(graph.objects(sentence, BKG.text))) == 1


def test_the_same_claims_give_byte_identical_turtle_in_any_order() -> None:
    forward = to_turtle(assemble(TWO_SPELLINGS))
    backward = to_turtle(assemble(list(reversed(TWO_SPELLINGS))))
    assert forward == backward


def test_a_rating_keeps_its_scale() -> None:
    review = Entity("Review", "002")
    sentence = "Rating: ★★★★½ (4.5 out of 5)"
    graph = assemble(
        [
            article(
                "002",
                Claim("reviews", review, said("002", sentence), object=BALLARD),
                Claim("rating", review, said("002", sentence), value="4.5/5"),
            )
        ]
    )
    rating = graph.value(ID["article/002"], BKG.rating)
    assert str(graph.value(rating, BKG.ratingValue)) == "4.5"
    assert str(graph.value(rating, BKG.bestRating)) == "5.0"  # canonical xsd:decimal
    assert (ID["article/002"], RDF.type, BKG.Review) in graph


def test_a_series_and_a_character_with_one_name_are_two_nodes() -> None:
    graph = assemble([article("000", plays("000", Entity("Person", "Maggie Q"), "Ballard"))])
    assert (URIRef(ID["series/ballard"]), RDF.type, BKG.Series) in graph
    assert (URIRef(ID["character/ballard"]), RDF.type, BKG.Character) in graph


def test_a_bare_casting_and_a_named_part_from_one_sentence_assemble_together() -> None:
    actor, sentence = Entity("Person", "Amy Hill"), said("004", "Amy Hill as grandmother Tutu.")
    graph = assemble(
        [
            article(
                "004",
                Claim("plays", actor, sentence, series=BALLARD),
                Claim("plays", actor, sentence, object=Entity("Character", "Tutu"), series=BALLARD),
            )
        ]
    )
    assert (ID["series/ballard"], BKG.hasRole, ID["role/ballard/amy-hill"]) in graph
    assert (ID["series/ballard"], BKG.hasRole, ID["role/ballard/amy-hill/tutu"]) in graph
