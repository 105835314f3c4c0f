"""Reviews: which articles review a series, by whom, with what rating and verdict."""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV = ROOT / "tests/articles/dev"


def review(article: ArticleClaims) -> dict[str, str]:
    return {
        c.kind: (c.object.name if c.object else c.value or "")
        for c in article.claims
        if c.subject.kind == "Review"
    }


def test_a_review_with_a_star_rating_out_of_five() -> None:
    found = review(extract_article(next(SEEDS.glob("002_*.txt"))))
    assert found["reviews"] == "Ballard"
    assert found["rating"] == "4.5/5"


def test_our_call_is_the_verdict_and_the_closing_bio_the_author() -> None:
    found = review(extract_article(next(SEEDS.glob("003_*.txt"))))
    assert found == {
        "reviews": "Ballard",
        "author": "Johnny Loftus",
        "verdict": "Stream It!",
    }


def test_stream_it_or_skip_it_is_answered_by_the_next_sentence() -> None:
    assert review(extract_article(next(SEEDS.glob("004_*.txt"))))["verdict"] == "Stream it"


def test_symbols_without_a_stated_scale_give_no_rating() -> None:
    found = review(extract_article(DEV / "11_lincoln-lawyer-season-3-review-genelovestostream.txt"))
    assert found["reviews"] == "Lincoln Lawyer"
    assert "rating" not in found


def test_casting_news_is_not_a_review() -> None:
    for name in (
        "08_ballard-season-2-casting-linklater-auditioncentre.txt",
        "10_lincoln-lawyer-neve-campbell-casting-tvfanatic.txt",
        "13_dept-q-season-2-renewal-joblo.txt",
    ):
        assert review(extract_article(DEV / name)) == {}


def test_a_tv_rating_label_is_not_a_review_score() -> None:
    found = review(extract_article(DEV / "04_bosch-legacy-season-1-review-freshfiction.txt"))
    assert "rating" not in found
    assert found["author"] == "Travis Leamons"


def test_filled_and_empty_stars_give_the_rating_and_its_scale() -> None:
    text = "Harbor Lights Review\nHarbor Lights is a new Netflix series.\n★★★½☆\n"
    assert review(extract_text(text, "stars"))["rating"] == "3.5/5"


def test_a_quoted_title_in_the_headline_is_the_reviewed_series() -> None:
    found = review(
        extract_article(ROOT / "tests/articles/own/own_08_lincoln-lawyer-stream-it-or-skip-it.txt")
    )
    assert found == {
        "reviews": "The Lincoln Lawyer",
        "author": "Jordan Price",
        "verdict": "Stream It",
    }
