"""The OWL ontology (bosch.ttl) and a namespace class that mirrors it.

The Turtle file is the single source of the vocabulary; `BKG` lets code name
its terms with a typo caught at once, and a test keeps the two in step.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_FILE = Path(__file__).with_name("bosch.ttl")
ONTOLOGY_IRI = "https://w3id.org/bosch-kg/ontology"

#: Where the graph's own things (series, people, roles, evidence) get their IRIs.
ID = Namespace("https://w3id.org/bosch-kg/id/")


class BKG(DefinedNamespace):
    """Terms of the Bosch universe ontology (see bosch.ttl for their meaning)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Series: URIRef
    Person: URIRef
    Character: URIRef
    Role: URIRef
    Franchise: URIRef
    Network: URIRef
    Article: URIRef
    Review: URIRef
    Rating: URIRef
    Evidence: URIRef
    Sentence: URIRef
    # casting
    hasRole: URIRef
    roleIn: URIRef
    actor: URIRef
    character: URIRef
    castMember: URIRef
    appearsIn: URIRef
    characterOf: URIRef
    hasCharacter: URIRef
    # credits
    credit: URIRef
    creator: URIRef
    showrunner: URIRef
    executiveProducer: URIRef
    sourceAuthor: URIRef
    composer: URIRef
    cinematographer: URIRef
    writer: URIRef
    director: URIRef
    # series facts
    network: URIRef
    carries: URIRef
    premiered: URIRef
    episodes: URIRef
    spinoffOf: URIRef
    hasSpinoff: URIRef
    inFranchise: URIRef
    franchiseSeries: URIRef
    similarTo: URIRef
    # relations between characters
    relatedTo: URIRef
    grandmotherOf: URIRef
    grandchildOf: URIRef
    parentOf: URIRef
    childOf: URIRef
    siblingOf: URIRef
    sisterOf: URIRef
    brotherOf: URIRef
    halfBrotherOf: URIRef
    spouseOf: URIRef
    formerSpouseOf: URIRef
    partnerOf: URIRef
    formerPartnerOf: URIRef
    teamMemberOf: URIRef
    leadsTeamOf: URIRef
    mentorOf: URIRef
    # articles and reviews
    articleId: URIRef
    author: URIRef
    reviews: URIRef
    reviewedIn: URIRef
    rating: URIRef
    ratingValue: URIRef
    bestRating: URIRef
    verdict: URIRef
    # evidence
    text: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef


@cache
def ontology_graph() -> Graph:
    """The ontology, parsed once per process."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def property_by_label(parent: URIRef) -> dict[str, URIRef]:
    """Sub-properties of `parent` keyed by their label ("grandmother of" -> bkg:grandmotherOf)."""
    from rdflib.namespace import RDFS

    graph = ontology_graph()
    found: dict[str, URIRef] = {}
    for prop in graph.transitive_subjects(RDFS.subPropertyOf, parent):
        if prop != parent and isinstance(prop, URIRef):
            found[str(graph.value(prop, RDFS.label))] = prop
    return found
