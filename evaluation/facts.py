"""Fact rows, one per gold line: what the saved queries return, in one shape.

Both the gold files and the CLI's query output are turned into
`(kind, values...)` rows; `rows_from_claims` does the same for claims
directly, for debugging an article without building a graph, and
`stated_rows` lists the rows the claims state themselves (the golden files
of tests/test_golden.py).
"""

from __future__ import annotations

from bosch_kg.extract.claims import ArticleClaims

#: Each fact kind and its columns (the gold file's `query<TAB>col...` lines).
FACT_KINDS: dict[str, tuple[str, ...]] = {
    "cast": ("series", "actor", "character"),
    "characters": ("character", "series"),
    "appearances": ("person", "series"),
    "credits": ("series", "person", "role"),
    "series_network": ("series", "network"),
    "series_premiered": ("series", "date"),
    "series_episodes": ("series", "count"),
    "spinoffs": ("series", "parent"),
    "franchise": ("franchise", "series"),
    "similar": ("series", "similar"),
    "relationships": ("character", "relation", "other"),
    "reviews_series": ("article", "series"),
    "reviews_author": ("article", "author"),
    "reviews_rating": ("article", "rating", "best_rating"),
    "reviews_verdict": ("article", "verdict"),
}


def implied(rows: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Add what a cast row implies: the character is in the series, the actor appears in it."""
    out = set(rows)
    for row in rows:
        if row[0] == "cast":
            _, series, actor, character = row
            out.add(("characters", character, series))
            out.add(("appearances", actor, series))
    return out


def rows_from_claims(article: ArticleClaims) -> set[tuple[str, ...]]:
    """The fact rows an article's claims amount to, with what they imply."""
    return implied(stated_rows(article))


def stated_rows(article: ArticleClaims) -> set[tuple[str, ...]]:
    """The fact rows an article's claims state, one per distinct fact, nothing implied."""
    rows: set[tuple[str, ...]] = set()
    aid = article.meta.id
    for c in article.claims:
        s = c.series.name if c.series else ""
        o = c.object.name if c.object else ""
        if c.kind == "plays":
            rows.add(("cast", s, c.subject.name, o) if o else ("appearances", c.subject.name, s))
        elif c.kind == "character":
            rows.add(("characters", c.subject.name, s))
        elif c.kind == "credit":
            rows.add(("credits", s, c.subject.name, c.value or ""))
        elif c.kind == "network":
            rows.add(("series_network", c.subject.name, o))
        elif c.kind == "premiered":
            rows.add(("series_premiered", c.subject.name, c.value or ""))
        elif c.kind == "episodes":
            rows.add(("series_episodes", c.subject.name, c.value or ""))
        elif c.kind == "spinoff":
            rows.add(("spinoffs", c.subject.name, o))
        elif c.kind == "franchise":
            rows.add(("franchise", o, c.subject.name))
        elif c.kind == "similar":
            rows.add(("similar", c.subject.name, o))
        elif c.kind == "relation":
            rows.add(("relationships", c.subject.name, c.value or "", o))
        elif c.kind == "reviews":
            rows.add(("reviews_series", aid, o))
        elif c.kind == "author":
            rows.add(("reviews_author", aid, o))
        elif c.kind == "rating":
            value, _, best = (c.value or "").partition("/")
            rows.add(("reviews_rating", aid, value, best))
        elif c.kind == "verdict":
            rows.add(("reviews_verdict", aid, c.value or ""))
    return rows
