"""Off-screen credits and relations between characters."""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed(prefix: str) -> ArticleClaims:
    return extract_article(next(SEEDS.glob(f"{prefix}_*.txt")))


def credits(article: ArticleClaims) -> set[tuple[str, str, str]]:
    return {
        (c.series.name if c.series else "", c.subject.name, c.value or "")
        for c in article.claims
        if c.kind == "credit"
    }


def relations(article: ArticleClaims) -> set[tuple[str, str, str]]:
    return {
        (c.subject.name, c.value or "", c.object.name)
        for c in article.claims
        if c.kind == "relation"
    }


def test_creators_source_author_cinematographer_and_composer() -> None:
    assert credits(seed("002")) == {
        ("Ballard", "Michael Alaimo", "creator"),
        ("Ballard", "Kendall Sherwood", "creator"),
        ("Ballard", "Michael Connelly", "source author"),
        ("Ballard", "Barry Donlevy", "cinematographer"),
        ("Ballard", "Cliff Martinez", "composer"),
    }


def test_showrunners_and_a_co_executive_producer_in_one_list_keep_their_own_jobs() -> None:
    found = credits(seed("003"))
    assert ("Ballard", "Michael Alaimo", "showrunner") in found
    assert ("Ballard", "Michael Connelly", "executive producer") in found
    assert ("Ballard", "Michael Connelly", "showrunner") not in found


def test_whose_books_are_the_basis_credits_the_author_of_each_named_series() -> None:
    found = credits(seed("003"))
    for series in ("Bosch", "Ballard", "The Lincoln Lawyer"):
        assert (series, "Michael Connelly", "source author") in found


def test_a_casting_director_is_no_credit_of_ours() -> None:
    article = extract_article(
        ROOT / "tests/articles/dev/08_ballard-season-2-casting-linklater-auditioncentre.txt"
    )
    assert not any(person == "Richard Hicks" for _, person, _ in credits(article))
    assert ("Ballard", "Theresa Snider", "executive producer") in credits(article)


def test_her_grandmother_and_a_retired_former_partner_point_at_the_lead() -> None:
    found = relations(seed("002"))
    assert ("Tutu", "grandmother of", "Renée Ballard") in found
    assert ("Thomas Laffont", "former partner of", "Renée Ballard") in found


def test_sister_of_councilman_names_both_characters() -> None:
    assert ("Sarah Pearlman", "sister of", "Jake Pearlman") in relations(seed("002"))


def test_members_of_the_leads_team_are_each_team_member_of_the_lead() -> None:
    members = {s for s, rel, o in relations(seed("003")) if rel == "team member of"}
    assert members == {"Thomas Laffont", "Colleen Hatteras", "Martina Castro", "Ted Rawls"}


def test_a_character_merely_mentioned_in_a_team_paragraph_is_not_a_member() -> None:
    members = {s for s, rel, _ in relations(seed("003")) if rel == "team member of"}
    assert "Jake Pearlman" not in members


def test_previously_married_is_a_former_spouse() -> None:
    text = (
        "Lincoln Casting News\n"
        "Neve Campbell is set to play Maggie McPherson, a prosecutor who was previously "
        "married to Mickey Haller, played by Manuel Garcia-Rulfo.\n"
    )
    assert ("Maggie McPherson", "former spouse of", "Mickey Haller") in relations(
        extract_text(text, "x")
    )
