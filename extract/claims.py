"""Claims: the facts an article states, each with the evidence that states it.

This is the contract between the extractors and the graph: extractors emit
`Claim`s, the graph turns them into triples.  Everything here is plain data
that round-trips through JSON, so claims can be cached per article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The classes an entity can have; they match the ontology's class names.
ENTITY_KINDS = frozenset({"Series", "Person", "Character", "Franchise", "Network", "Review"})

#: Off-screen jobs a `credit` claim can name: the labels of bkg:credit's sub-properties.
JOBS = (
    "creator",
    "showrunner",
    "executive producer",
    "source author",
    "composer",
    "cinematographer",
    "writer",
    "director",
)

#: Relations between two characters: the labels of bkg:relatedTo's sub-properties.
CHARACTER_RELATIONS = (
    "grandmother of",
    "grandchild of",
    "parent of",
    "child of",
    "sibling of",
    "sister of",
    "brother of",
    "half-brother of",
    "spouse of",
    "former spouse of",
    "partner of",
    "former partner of",
    "team member of",
    "leads team of",
    "mentor of",
)

#: What each claim kind means, and which fields it uses.
CLAIM_KINDS: dict[str, str] = {
    # subject: Person, series: Series, object: Character or None (cast without a named part)
    "plays": "an actor plays a character in a series, or is cast in it",
    # subject: Person, series: Series, value: one of JOBS
    "credit": "a person holds an off-screen job on a series",
    # subject: Character, series: Series
    "character": "a character belongs to a series",
    # subject: Series, object: Network
    "network": "a series airs or streams on a network",
    # subject: Series, value: ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)
    "premiered": "a series premiered on a date",
    # subject: Series, value: a positive integer, as text
    "episodes": "a series (or its season) has a number of episodes",
    # subject: Series, object: Series
    "spinoff": "a series is a spin-off of another",
    # subject: Series, object: Franchise
    "franchise": "a series belongs to a franchise or universe",
    # subject: Series, object: Series
    "similar": "a series is compared with or recommended alongside another",
    # subject: Character, object: Character, value: one of CHARACTER_RELATIONS
    "relation": "a relation between two characters",
    # subject: Review (name = article id), object: Series
    "reviews": "an article reviews a series",
    # subject: Review, object: Person
    "author": "the person who wrote a review",
    # subject: Review, value: "RATING/BEST", e.g. "4.5/5"
    "rating": "the rating a review gives, with its scale",
    # subject: Review, value: the verdict as written, e.g. "Stream It!"
    "verdict": "the verdict a review gives",
}


@dataclass(frozen=True, order=True)
class Entity:
    """A thing an article names: its class and its name as the article spells it.

    `name` is the fullest form the article uses (a surname standing for a
    person is resolved to the full name inside the article); spellings that
    differ between articles are merged later, by the graph.
    """

    kind: str
    name: str

    def __post_init__(self) -> None:
        if self.kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r}")
        if not self.name.strip():
            raise ValueError("an entity needs a name")


@dataclass(frozen=True, order=True)
class Evidence:
    """Where a claim is stated: article id, the sentence, its offsets, the rule."""

    article: str  # the article's file name without extension
    sentence: str  # the sentence exactly as it stands in the article file
    start: int  # character offset of the sentence in the article file's text
    end: int  # end offset (exclusive); text[start:end] == sentence
    rule: str  # id of the rule that found the claim


@dataclass(frozen=True, order=True)
class Claim:
    """One fact, as an article states it."""

    kind: str
    subject: Entity
    evidence: Evidence
    object: Entity | None = None
    series: Entity | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"unknown claim kind {self.kind!r}")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for the per-article cache); `asdict` is ten times slower."""

        def entity(e: Entity | None) -> dict[str, str] | None:
            return {"kind": e.kind, "name": e.name} if e else None

        ev = self.evidence
        return {
            "kind": self.kind,
            "subject": entity(self.subject),
            "evidence": {
                "article": ev.article,
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "rule": ev.rule,
            },
            "object": entity(self.object),
            "series": entity(self.series),
            "value": self.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Claim:
        def entity(d: dict[str, str] | None) -> Entity | None:
            return Entity(**d) if d else None

        return cls(
            kind=data["kind"],
            subject=Entity(**data["subject"]),
            evidence=Evidence(**data["evidence"]),
            object=entity(data.get("object")),
            series=entity(data.get("series")),
            value=data.get("value"),
        )


@dataclass(frozen=True)
class ArticleMeta:
    """What the graph records about an article itself."""

    id: str  # file name without extension
    path: str
    title: str
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date where known


@dataclass
class ArticleClaims:
    """Everything extracted from one article."""

    meta: ArticleMeta
    claims: list[Claim] = field(default_factory=list)
    #: lines dropped as ads, spam or boilerplate, for the build summary
    skipped: list[str] = field(default_factory=list)
