"""Cast: who plays whom in which series, found by patterns and resolved within the article."""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def cast(article: ArticleClaims) -> set[tuple[str, str | None, str]]:
    """(actor, character or None, series) for every plays claim."""
    return {
        (c.subject.name, c.object.name if c.object else None, c.series.name if c.series else "")
        for c in article.claims
        if c.kind == "plays"
    }


def seed(prefix: str) -> ArticleClaims:
    return extract_article(next(SEEDS.glob(f"{prefix}_*.txt")))


def test_parenthesised_surname_resolves_to_the_actor_named_in_full() -> None:
    found = cast(seed("003"))
    assert ("John Carroll Lynch", "Thomas Laffont", "Ballard") in found
    assert ("Courtney Taylor", "Zamira Parker", "Ballard") in found


def test_a_single_letter_stands_for_the_actor_whose_name_ends_with_it() -> None:
    assert ("Maggie Q", "Renée Ballard", "Ballard") in cast(seed("003"))


def test_two_people_sharing_a_surname_are_told_apart_by_context() -> None:
    text = (
        "Ballard: A Review\n\nEvelyn Taylor\n\n"
        "Ballard is a new TV series on Prime Video. Courtney Taylor co-stars. "
        "Zamira Parker (Taylor) is a former officer.\n"
    )
    article = extract_text(text, "taylors")
    assert article.meta.author == "Evelyn Taylor"
    assert ("Courtney Taylor", "Zamira Parker", "Ballard") in cast(article)
    assert not any(actor == "Evelyn Taylor" for actor, _, _ in cast(article))


def test_possessive_actor_names_the_character_they_play() -> None:
    found = cast(seed("002"))
    assert ("Michael Mosley", "Ted Rawls", "Ballard") in found
    assert ("Rebecca Field", "Colleen Hatteras", "Ballard") in found
    assert ("Titus Welliver", "Harry Bosch", "Ballard") in found


def test_stars_as_shines_as_brings_to_and_played_by_all_name_a_part() -> None:
    found = cast(seed("002"))
    assert ("Maggie Q", "Renée Ballard", "Ballard") in found
    assert ("Courtney Taylor", "Samira Parker", "Ballard") in found
    assert ("John Carroll Lynch", "Thomas Laffont", "Ballard") in found
    assert ("Amy Hill", "Tutu", "Ballard") in found
    assert ("Maggie Q", "Renée Ballard", "Ballard") in cast(seed("004"))


def test_earlier_shows_in_parentheses_after_an_actor_are_appearances() -> None:
    found = cast(seed("001"))
    assert ("Maggie Q", None, "Nikita") in found
    assert ("Maggie Q", None, "Designated Survivor") in found


def test_producers_earlier_shows_in_parentheses_are_not_appearances() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/10_lincoln-lawyer-neve-campbell-casting-tvfanatic.txt"
    )
    assert not any(actor == "David E. Kelley" for actor, _, _ in cast(article))


def test_an_actor_is_cast_in_a_show_named_for_their_earlier_roles() -> None:
    assert ("Amy Hill", None, "Seinfeld") in cast(seed("003"))


def test_guest_stars_and_co_stars_without_a_part_are_cast_in_the_series() -> None:
    found = cast(seed("002"))
    assert ("Titus Welliver", None, "Ballard") in found
    assert ("Courtney Taylor", None, "Ballard") in cast(seed("003"))


def test_a_character_of_another_show_is_cast_in_that_show() -> None:
    found = cast(seed("003"))
    assert ("Birce Akalay", "Önem Özükü", "Graveyard") in found
    assert ("Matthew Goode", "Morck", "Dept. Q") in found


def test_ranks_and_quoted_nicknames_are_not_part_of_a_characters_name() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/06_bosch-legacy-season-2-guide-sportskeeda.txt"
    )
    found = cast(article)
    assert ("Mimi Rogers", "Honey Chandler", "Bosch: Legacy") in found
    assert ("Titus Welliver", "Hieronymus Bosch", "Bosch: Legacy") in found


def test_a_film_section_states_no_series_cast() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/15_connelly-adaptations-guide-novelsuspects.txt"
    )
    assert not any(actor == "Clint Eastwood" for actor, _, _ in cast(article))


def test_a_sentence_opening_pronoun_stands_for_the_actor_just_named() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/08_ballard-season-2-casting-linklater-auditioncentre.txt"
    )
    found = cast(article)
    assert ("Hamish Linklater", None, "The Whisper Man") in found
    assert ("Robert De Niro", None, "The Whisper Man") in found


def test_the_title_role_is_the_series_name_and_the_lead() -> None:
    article = extract_article(ROOT / "tests/articles/dev/01_bosch-pilot-review-pressdemocrat.txt")
    assert ("Titus Welliver", "Bosch", "Bosch") in cast(article)


def test_a_who_is_who_list_of_actor_dash_character_lines() -> None:
    text = (
        "---\ntitle: Harbor Lights: Who's Who\n---\n"
        "Netflix has renewed Harbor Lights for a second season.\n"
        "Lena Okafor \u2013 Iris Vance\n"
        "Okafor returns as the harbor detective.\n"
    )
    assert ("Lena Okafor", "Iris Vance", "Harbor Lights") in cast(extract_text(text, "who"))
