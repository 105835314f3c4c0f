"""Article in, claims out: read, clean, split, find, resolve, emit.

`extract_article(path)` is the library entry point the graph builder calls;
`extract_text(text, article_id)` does the same for a string (tests, tools).
"""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract import article as whole
from bosch_kg.extract import focus
from bosch_kg.extract.byline import find_author
from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim
from bosch_kg.extract.clean import fold
from bosch_kg.extract.config import Lexicon, Rule, load_lexicon, load_rules
from bosch_kg.extract.emit import Article, claims_from, franchise_name
from bosch_kg.extract.matcher import Hit, SentenceIndex, find_hits
from bosch_kg.extract.read import Document, iso_date, parse_document, read_document
from bosch_kg.extract.resolve import Names, full_names, orient, spellings
from bosch_kg.extract.sentences import Sentence, split


def extract_article(path: Path) -> ArticleClaims:
    """Claims of one article file (InputError for unreadable or malformed files)."""
    return _extract(read_document(Path(path)))


def extract_text(text: str, article_id: str, path: str = "") -> ArticleClaims:
    """Claims of an article given as a string."""
    return _extract(parse_document(text, article_id, path))


def _meta(document: Document, lexicon: Lexicon) -> ArticleMeta:
    """Front matter first; else the first line is the title and the byline the author."""
    lines = document.body.splitlines()
    return ArticleMeta(
        id=document.id,
        path=document.path,
        title=document.front.get("title") or next((ln.strip() for ln in lines if ln.strip()), ""),
        url=document.front.get("url") or None,
        author=document.front.get("author") or find_author(lines, lexicon),
        published=iso_date(document.front.get("published", "")) or None,
    )


def _find(
    rules: tuple[Rule, ...], index: SentenceIndex, lexicon: Lexicon, seeds: set[str]
) -> tuple[list[Hit], Names]:
    """All hits, in rule order, and the names they type.

    Patterns without `known` slots run first; the series they find are what the
    others may match.
    """
    mentions = full_names(index.sentences, lexicon)
    first = find_hits(rules, index, lexicon, None)
    known = Names.build(orient(first, lexicon, mentions), seeds, lexicon, mentions).series
    later = find_hits(rules, index, lexicon, tuple(spellings(known)))
    order = {rule.id: i for i, rule in enumerate(rules)}
    hits = sorted(
        orient(first + later, lexicon, mentions),
        key=lambda h: (order[h.rule.id], h.sentence.start, h.start),
    )
    return hits, Names.build(hits, set(known), lexicon, mentions)


def _article(
    document: Document, meta: ArticleMeta, sentences: list[Sentence], lexicon: Lexicon
) -> tuple[list[Hit], Article]:
    """Run the rules and settle what the article is about."""
    colon = focus.colon_titles(sentences, lexicon)
    headline = focus.title_series(fold(meta.title), lexicon, colon)
    if headline and " " not in headline and not focus.named_in_body(headline, sentences):
        headline = None
    topics = focus.section_topics(sentences, lexicon)
    index = SentenceIndex(sentences)
    hits, names = _find(load_rules(), index, lexicon, {headline, *colon, *topics.values()} - {None})
    main = focus.main_series(headline, names, sentences, meta.url)
    title_role = any(h.rule.title_role for h in hits)
    names.lead = main if title_role else focus.lead(main, names, index)
    universes = {
        franchise_name(h.groups["franchise"], lexicon) for h in hits if "franchise" in h.groups
    }
    universes.discard(None)
    art = Article(
        id=document.id,
        lexicon=lexicon,
        names=names,
        sentences=sentences,
        main=main,
        lead=names.lead,
        topics={line: names.canonical_series(t) or t for line, t in topics.items()},
        subjects=focus.subjects(sentences, names),
        franchise=universes.pop() if len(universes) == 1 else None,
        not_in_franchise={
            s
            for h in hits
            if "not_in_franchise" in h.rule.emit
            if (s := names.canonical_series(h.groups["series"]))
        },
    )
    return hits, art


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact: the first sentence that states it is its evidence.

    Claims of one kind, subject and evidence either all have an object or none do
    (claims sort as tuples; None and an entity do not compare), so a bare casting is
    dropped where the same sentence and rule name the actor's part.
    """
    with_part = {(c.kind, c.subject, c.evidence) for c in claims if c.object is not None}
    seen, out = set(), []
    for claim in claims:
        if claim.object is None and (claim.kind, claim.subject, claim.evidence) in with_part:
            continue
        identity = (claim.kind, claim.subject, claim.object, claim.series, claim.value)
        if identity not in seen:
            seen.add(identity)
            out.append(claim)
    return out


def _extract(document: Document) -> ArticleClaims:
    lexicon = load_lexicon()
    meta = _meta(document, lexicon)
    sentences, skipped = split(document, lexicon, document.front.get("title", ""))
    if not sentences:
        return ArticleClaims(meta=meta, skipped=skipped)
    hits, art = _article(document, meta, sentences, lexicon)
    claims = [claim for hit in hits for claim in claims_from(hit, art)]
    claims += list(whole.team_claims(hits, art))
    claims += list(whole.derived_characters(claims, art))
    claims += list(whole.similar_section_claims(art))
    claims += list(whole.topic_claims(meta, art))
    claims = [c for c in claims if c.kind not in ("rating", "verdict")] + list(
        whole.review_claims(meta, claims, art)
    )
    claims = whole.drop_film_claims(claims, sentences, whole.film_sections(art))
    return ArticleClaims(meta=meta, claims=_dedupe(claims), skipped=skipped)
