"""Series facts: the series itself, its network, premiere, episodes, spin-offs, universe, peers."""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed(prefix: str) -> ArticleClaims:
    return extract_article(next(SEEDS.glob(f"{prefix}_*.txt")))


def facts(article: ArticleClaims, kind: str) -> set[tuple[str, str]]:
    return {
        (c.subject.name, c.object.name if c.object else c.value or "")
        for c in article.claims
        if c.kind == kind
    }


def test_network_aliases_map_to_one_canonical_network() -> None:
    assert facts(seed("000"), "network") == {("Ballard", "Prime Video")}
    assert ("Ballard", "Prime Video") in facts(seed("001"), "network")


def test_premiere_dates_are_iso_8601() -> None:
    assert facts(seed("000"), "premiered") == {("Ballard", "2025-07-09")}
    assert facts(seed("002"), "premiered") == {("Ballard", "2025-07-09")}
    cold_case = extract_article(
        ROOT / "tests/articles/dev/14_cold-case-cancelled-tvseriesfinale.txt"
    )
    assert facts(cold_case, "premiered") == {("Cold Case", "2003-09")}


def test_a_later_seasons_release_date_is_not_the_series_premiere() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/06_bosch-legacy-season-2-guide-sportskeeda.txt"
    )
    assert facts(article, "premiered") == {("Bosch: Legacy", "2022-05-06")}


def test_episode_counts_written_as_words_or_digits() -> None:
    assert facts(seed("004"), "episodes") == {("Ballard", "10")}
    bosch = extract_article(
        ROOT / "tests/articles/dev/03_bosch-season-7-review-disappointmentmedia.txt"
    )
    assert facts(bosch, "episodes") == {("Bosch", "8")}


def test_this_x_spinoff_and_spin_off_from_x_and_y_name_the_parents() -> None:
    assert facts(seed("000"), "spinoff") == {("Ballard", "Bosch")}
    assert facts(seed("002"), "spinoff") == {("Ballard", "Bosch"), ("Ballard", "Bosch: Legacy")}


def test_ballard_is_a_series_or_a_character_by_context() -> None:
    article = seed("002")
    assert ("Ballard", "Prime Video") in facts(article, "network")
    relations = {
        (c.subject.name, c.value, c.object.name) for c in article.claims if c.kind == "relation"
    }
    assert ("Thomas Laffont", "former partner of", "Renée Ballard") in relations
    assert ("Tutu", "grandmother of", "Renée Ballard") in relations


def test_the_universe_the_series_continues_takes_in_the_shows_that_established_it() -> None:
    assert facts(seed("003"), "franchise") == {
        ("Ballard", "Bosch universe"),
        ("Bosch", "Bosch universe"),
        ("Bosch: Legacy", "Bosch universe"),
    }


def test_not_part_of_the_universe_is_not_put_in() -> None:
    assert not any(s == "The Lincoln Lawyer" for s, _ in facts(seed("003"), "franchise"))
    text = (
        "Bosch: Legacy Returns\n"
        "The final season of Bosch: Legacy arrives in March. "
        "The show is part of the Bosch universe. The Lincoln Lawyer, although adapted from "
        "the same books, is not part of the Bosch universe.\n"
    )
    assert facts(extract_text(text, "neg"), "franchise") == {("Bosch: Legacy", "Bosch universe")}


def test_shows_like_and_if_you_loved_name_similar_shows() -> None:
    assert facts(seed("004"), "similar") == {
        ("Ballard", "Dept. Q"),
        ("Ballard", "Cold Case"),
        ("Ballard", "Bosch: Legacy"),
        ("Ballard", "Mindhunter"),
    }
    assert facts(seed("002"), "similar") == {
        ("Ballard", "We Own This City"),
        ("Ballard", "Line of Duty"),
    }


def test_a_remind_you_of_section_compares_every_show_it_names() -> None:
    similar = {other for _, other in facts(seed("003"), "similar")}
    assert {"Dept. Q", "Cold Case", "Graveyard", "The Lincoln Lawyer"} <= similar
