"""Facts that only the article as a whole states.

Whether an article is a review, who is on the lead's team, which shows a
"What shows will it remind you of?" section compares, and which sections are
about a film rather than a series: none of these fits in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from urllib.parse import urlsplit

from bosch_kg.extract.claims import ArticleMeta, Claim, Entity, Evidence
from bosch_kg.extract.clean import key
from bosch_kg.extract.emit import Article
from bosch_kg.extract.focus import heading_note
from bosch_kg.extract.matcher import Hit
from bosch_kg.extract.names import inside_name
from bosch_kg.extract.sentences import Sentence

_LABEL = re.compile(r"^[A-Z][\w' -]{1,40}[:?](?: |$)")
_QUOTED = re.compile(r'"[^"]{12,}"')  # quoted speech, not a quoted title
_SUBJECT_POSITION = ("while ", "And ", ", and ", "and ", "; ")


@cache
def _cue(cue: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(cue)}(?![\w])")


def _has(text: str, cues: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(c in lowered and _cue(c).search(lowered) for c in cues)


def is_review(title: str, article: Article, url: str | None = None) -> bool:
    """A review says so (in its text or its address), or judges the show in several sentences.

    Judgements count in the writer's own voice only: what an interview quotes is not one.
    """
    path = urlsplit(url).path.replace("-", " ").replace("/", " ") if url else ""
    texts = [title, *(s.text for s in article.sentences)]
    lex = article.lexicon
    if _has(path, ("review", "reviews")) or _has(" ".join(texts), lex.review_strong):
        return True
    judging = sum(_has(_QUOTED.sub(" ", text), lex.review_weak) for text in texts)
    return judging >= lex.review_weak_needed


def review_claims(meta: ArticleMeta, claims: list[Claim], article: Article) -> Iterator[Claim]:
    """The review, its author, rating and verdict (the last two only for reviews)."""
    review = Entity("Review", article.id)
    if not article.main or not is_review(meta.title, article, meta.url):
        return
    first = article.sentences[0]
    ev = Evidence(article.id, first.raw, first.start, first.end, "review.article_reviews_series")
    yield Claim("reviews", review, ev, object=Entity("Series", article.main))
    if meta.author:
        yield Claim(
            "author",
            review,
            replace(ev, rule="review.byline"),
            object=Entity("Person", meta.author),
        )
    yield from (c for c in claims if c.kind in ("rating", "verdict"))


def derived_characters(claims: list[Claim], article: Article) -> Iterator[Claim]:
    """A part someone plays is a character of that series; so is each side of a relation."""
    for claim in claims:
        if claim.kind == "plays" and claim.object:
            yield Claim("character", claim.object, claim.evidence, series=claim.series)
        elif claim.kind == "relation" and article.main and claim.object:
            for side in (claim.subject, claim.object):
                yield Claim(
                    "character", side, claim.evidence, series=Entity("Series", article.main)
                )


def team_claims(hits: list[Hit], article: Article) -> Iterator[Claim]:
    """Characters introduced as subjects in a paragraph about a team are on the lead's team."""
    lead = article.lead
    if not lead:
        return
    team_lines = {s.line for s in article.sentences if _leads_team(s.text, article, lead)}
    for hit in hits:
        sentence = hit.sentence
        if sentence.line not in team_lines or "plays" not in hit.rule.emit:
            continue
        before = sentence.text[: hit.start]
        if before.strip() and not before.endswith(_SUBJECT_POSITION):
            continue
        member = article.names.character(hit.groups.get("char", ""))
        cast = article.persons(hit.groups.get("actor"), actor=True)  # a part, not "a Paris version"
        if member and cast and key(member) != key(lead) and article.series_of(hit) == article.main:
            ev = Evidence(
                article.id, sentence.raw, sentence.start, sentence.end, "relation.team_paragraph"
            )
            yield Claim(
                "relation",
                Entity("Character", member),
                ev,
                object=Entity("Character", lead),
                value="team member of",
            )


def _leads_team(text: str, article: Article, lead: str) -> bool:
    """Whether a sentence speaks of the lead's team: "her team", "the team", not a team
    someone else owns ("Captain Reyes cares about his team")."""
    lowered = text.lower()
    for cue in (c for c in article.lexicon.team_cues if c in lowered):
        for found in _cue(cue).finditer(lowered):
            owner = _OWNER_BEFORE.search(text[: found.start()])
            named = owner and article.owner_named(text[: owner.start()], owner[1])
            if not named or key(named) == key(lead):
                return True
    return False


#: A possessive right before a team word: "her (new) team", "Reyes's team".
_OWNER_BEFORE = re.compile(
    r"([Hh]er|[Hh]is|[Tt]heir|[A-Z][\w.-]*(?: [A-Z][\w.-]*)*'s) (?:[\w-]+ ){0,2}$"
)


def similar_section_claims(article: Article) -> Iterator[Claim]:
    """Series named in a 'What shows will it remind you of?' section are similar to the main."""
    pattern = article.known
    if not pattern or not article.main:
        return
    inside = False
    for sentence in article.sentences:
        if sentence.first and (sentence.heading or _LABEL.match(sentence.text)):
            inside = _has(sentence.text, article.lexicon.similar_headings)
        if not inside:
            continue
        for match in pattern.finditer(sentence.text):
            if inside_name(sentence.text, match.start()):
                continue  # part of a longer name ("Renée Ballard")
            other = article.names.canonical_series(match[0])
            if other and key(other) != key(article.main):
                yield Claim(
                    "similar",
                    Entity("Series", article.main),
                    Evidence(
                        article.id,
                        sentence.raw,
                        sentence.start,
                        sentence.end,
                        "similar.remind_you_of_section",
                    ),
                    object=Entity("Series", other),
                )


def topic_claims(meta: ArticleMeta, article: Article) -> Iterator[Claim]:
    """What a section heading about a series states: its first year and network ("Harbour
    Watch (2009-2013)", "Dock Nine (Hulu, 2021- )"), and, in a list of "shows like X",
    that it is like X."""
    address = urlsplit(meta.url).path.replace("-", " ") if meta.url else ""
    listing = _has(f"{meta.title} {address}", article.lexicon.similar_headings)
    for sentence in (s for s in article.sentences if s.line in article.topics):
        topic = article.topics[sentence.line]
        ev = Evidence(article.id, sentence.raw, sentence.start, sentence.end, "topic.heading")
        network, year = heading_note(sentence.text)
        if year:
            yield Claim("premiered", Entity("Series", topic), ev, value=year)
        if network in article.lexicon.networks:
            name = Entity("Network", article.lexicon.networks[network])
            yield Claim("network", Entity("Series", topic), ev, object=name)
        if listing and article.main and key(topic) != key(article.main):
            yield Claim(
                "similar",
                Entity("Series", article.main),
                replace(ev, rule="similar.listed_under_shows_like"),
                object=Entity("Series", topic),
            )


def film_sections(article: Article) -> set[int]:
    """Sections about a film (they speak of 'the film', never of a series or show)."""
    lex = article.lexicon
    films = set()
    for line in article.topics:
        text = " ".join(s.text for s in article.sentences if s.section == line)
        if _has(text, lex.film_cues) and not _has(text, lex.tv_cues):
            films.add(line)
    return films


def drop_film_claims(
    claims: list[Claim], sentences: list[Sentence], films: set[int]
) -> list[Claim]:
    """Claims stated inside a film's section are about the film, not a series."""
    in_film = {s.start for s in sentences if s.section in films}
    return [c for c in claims if c.evidence.start not in in_film]
