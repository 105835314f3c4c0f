"""Article in, claims out: read, clean, split, find, resolve, emit.

`extract_article(path)` is the library entry point the graph builder calls;
`extract_text(text, article_id)` does the same for a string (tests, tools).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bosch_kg.extract import article as whole
from bosch_kg.extract.byline import find_author
from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity
from bosch_kg.extract.clean import fold, key
from bosch_kg.extract.config import Lexicon, load_lexicon, load_rules
from bosch_kg.extract.context import (
    SERIES_ROLES,
    Names,
    colon_titles,
    known_series_pattern,
    section_topics,
    title_series,
)
from bosch_kg.extract.emit import Article, claims_from, franchise_name
from bosch_kg.extract.matcher import Hit, find_hits
from bosch_kg.extract.names import clean_title, name_patterns
from bosch_kg.extract.read import Document, iso_date, parse_document, read_document
from bosch_kg.extract.sentences import Sentence, split


def extract_article(path: Path) -> ArticleClaims:
    """Claims of one article file (InputError for unreadable or malformed files)."""
    return _extract(read_document(Path(path)))


def extract_text(text: str, article_id: str, path: str = "") -> ArticleClaims:
    """Claims of an article given as a string."""
    return _extract(parse_document(text, article_id, path))


def _series_in(hits: list[Hit], names: Names, lexicon: Lexicon) -> Counter[str]:
    """Titles the hits put in series roles, minus anything known to be a person."""
    title = re.compile(name_patterns(lexicon).title)
    found: Counter[str] = Counter()
    people = {key(p) for p in names.persons}
    for hit in hits:
        for role in SERIES_ROLES:
            for match in title.finditer(re.sub(r"\([^)]*\)", "", hit.groups.get(role, ""))):
                name = clean_title(match[0], lexicon)
                if (
                    name
                    and name not in lexicon.networks
                    and name not in lexicon.not_names
                    and key(name) not in people
                ):
                    found[name] += 1
    return found


def _names(hits: list[Hit], seeds: set[str], lexicon: Lexicon, sentences: list[Sentence]) -> Names:
    names = Names(lexicon)
    names.add_hits(hits)
    names.add_mentions(sentences)
    names.series.update(seeds)
    names.series.update(_series_in(hits, names, lexicon))
    return names


def _main_series(title: str | None, names: Names, sentences: list[Sentence]) -> str | None:
    """The headline's series, else the series the article names most often."""
    if title:
        return names.canonical_series(title)
    pattern = known_series_pattern(sorted(names.series))
    if not pattern:
        return None
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for match in pattern.finditer(sentence.text):
            if not re.search(r"[A-Z][\w.]* $", sentence.text[: match.start()]):
                counts[names.canonical_series(match[0]) or ""] += 1
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else None


def _subjects(sentences: list[Sentence], names: Names) -> dict[int, str]:
    """Sentences that open with a series ("Bosch is ...", "Season 2 of Bosch: Legacy ...")."""
    series = sorted(names.series, key=len, reverse=True)
    if not series:
        return {}
    alternation = "|".join(re.escape(s) for s in series)
    opening = re.compile(rf"^(?:[Ss]eason \w+ of )?(?i:({alternation}))(?![\w'])(?! \()")
    subjects = {}
    for sentence in sentences:
        match = opening.match(sentence.text)
        if match and (found := names.canonical_series(match[1])):
            subjects[sentence.start] = found
    return subjects


def _lead(main: str | None, names: Names, sentences: list[Sentence]) -> str | None:
    """The lead: the character the series is named after, else the one named most often.

    A character counts in each sentence that names them in full, by first name, or by
    a surname no other character shares; the lead must be named twice and more than
    any rival.
    """
    candidates = [c for c in names.characters if len(c.split()) > 1]
    if main:
        candidates = [c for c in candidates if key(main) in key(c).split()] or candidates
    surnames = Counter(c.split()[-1] for c in candidates)

    def score(character: str) -> int:
        words = [character, character.split()[0]]
        if surnames[character.split()[-1]] == 1:
            words.append(character.split()[-1])
        pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words))
        return sum(1 for s in sentences if pattern.search(s.text))

    ranked = sorted(((score(c), c) for c in candidates), reverse=True)
    if not ranked or ranked[0][0] < 2 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen, out = set(), []
    for claim in claims:
        identity = (claim.kind, claim.subject, claim.object, claim.series, claim.value)
        if identity not in seen:
            seen.add(identity)
            out.append(claim)
    return out


def _extract(document: Document) -> ArticleClaims:
    lexicon, rules = load_lexicon(), load_rules()
    lines = document.body.splitlines()
    title = document.front.get("title") or next((ln.strip() for ln in lines if ln.strip()), "")
    sentences, skipped = split(document, lexicon, document.front.get("title", ""))
    author = document.front.get("author") or find_author(lines, lexicon)
    meta = ArticleMeta(
        id=document.id,
        path=document.path,
        title=title,
        url=document.front.get("url") or None,
        author=author or None,
        published=iso_date(document.front.get("published", "")) or None,
    )
    if not sentences:
        return ArticleClaims(meta=meta, skipped=skipped)

    colon = colon_titles(sentences, lexicon)
    headline = title_series(fold(title), lexicon, colon)
    topics = section_topics(sentences, lexicon)
    seeds = {headline, *colon, *topics.values()} - {None}
    # Patterns without `known` slots run once; their series tell the others what is known.
    first_hits = find_hits(rules, sentences, lexicon, None)
    first = _names(first_hits, seeds, lexicon, sentences)
    later = find_hits(rules, sentences, lexicon, tuple(sorted(first.series)))
    order = {rule.id: i for i, rule in enumerate(rules)}
    hits = sorted(first_hits + later, key=lambda h: (order[h.rule.id], h.sentence.start, h.start))
    names = _names(hits, set(first.series), lexicon, sentences)

    main = _main_series(headline, names, sentences)
    title_role = any(h.rule.title_role for h in hits)
    names.lead = main if title_role else _lead(main, names, sentences)
    art = Article(
        id=document.id,
        lexicon=lexicon,
        names=names,
        sentences=sentences,
        main=main,
        lead=names.lead,
        topics={line: names.canonical_series(t) or t for line, t in topics.items()},
        subjects=_subjects(sentences, names),
    )
    universes = {
        franchise_name(h.groups["franchise"], lexicon) for h in hits if "franchise" in h.groups
    } - {None}
    art.franchise = universes.pop() if len(universes) == 1 else None
    art.not_in_franchise = {
        s
        for h in hits
        if "not_in_franchise" in h.rule.emit
        if (s := names.canonical_series(h.groups["series"]))
    }

    claims = [claim for hit in hits for claim in claims_from(hit, art)]
    claims += [
        Claim("character", c.object, c.evidence, series=c.series)
        for c in claims
        if c.kind == "plays" and c.object
    ]
    claims += list(whole.team_claims(hits, art))
    claims += [  # the people in a relation are characters of the article's series
        Claim("character", char, c.evidence, series=Entity("Series", main))
        for c in claims
        if c.kind == "relation" and main
        for char in (c.subject, c.object)
        if char
    ]
    claims += list(whole.similar_section_claims(art))
    claims = [c for c in claims if c.kind not in ("rating", "verdict")] + list(
        whole.review_claims(title, author, claims, art)
    )
    claims = whole.drop_film_claims(claims, sentences, whole.film_sections(art))
    return ArticleClaims(meta=meta, claims=_dedupe(claims), skipped=skipped)
