"""Cleaning: spam and promo lines are dropped, look-alike letters folded, evidence verbatim."""

from __future__ import annotations

from pathlib import Path

from bosch_kg.extract.clean import fold
from bosch_kg.extract.config import load_rules
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = ROOT / "seeds/003_93528b796557dc0e.txt"


def test_spam_lines_yield_no_claims_and_are_reported_as_skipped() -> None:
    result = extract_article(SEED_003)
    assert "🎬 Get Free Netflix Logins" in result.skipped
    assert any("viral video" in line for line in result.skipped)
    assert not any("Netflix Logins" in c.evidence.sentence for c in result.claims)


def test_comment_forms_share_buttons_ads_and_bollywood_promos_are_skipped() -> None:
    skipped = extract_article(ROOT / "seeds/000_6dc341c97e5e199c.txt").skipped
    assert {"Share This Article", "Leave a Reply", "2 Min Read"} <= set(skipped)
    assert any(s.startswith("Your email address") for s in skipped)
    promo = extract_article(ROOT / "seeds/004_f5855e267d0f7ef4.txt").skipped
    assert any(s.startswith("Latest Bollywood buzz") for s in promo)
    ad = extract_article(ROOT / "tests/articles/dev/05_bosch-legacy-where-to-watch-denofgeek.txt")
    assert "Ad – content continues below" in ad.skipped


def test_cyrillic_look_alike_letters_are_folded_to_latin_in_names() -> None:
    assert fold("\u04e6nem \u04e6z\u00fck\u00fc") == "Önem Özükü"
    claims = extract_article(SEED_003).claims
    cast = {(c.subject.name, c.object.name) for c in claims if c.kind == "plays" and c.object}
    assert ("Birce Akalay", "Önem Özükü") in cast


def test_smart_quotes_and_dashes_are_folded_for_matching() -> None:
    assert (
        fold("Prime Video\u2019s \u201cBallard\u201d\u2014a hit")
        == 'Prime Video\'s "Ballard" - a hit'
    )


def test_evidence_offsets_quote_the_article_verbatim() -> None:
    for path in [*sorted((ROOT / "seeds").glob("*.txt")), SEED_003]:
        text = path.read_text(encoding="utf-8")
        for claim in extract_article(path).claims:
            ev = claim.evidence
            assert text[ev.start : ev.end] == ev.sentence
            assert ev.article == path.stem


def test_every_claim_records_the_rule_that_made_it() -> None:
    rule_ids = {rule.id for rule in load_rules()}
    whole_article = {
        "review.article_reviews_series",
        "review.byline",
        "relation.team_paragraph",
        "similar.remind_you_of_section",
    }
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for claim in extract_article(path).claims:
            assert claim.evidence.rule in rule_ids | whole_article
    text = "Ballard: A Review\nMaggie Q stars as Detective Renée Ballard.\n"
    plays = [c for c in extract_text(text, "x").claims if c.kind == "plays"]
    assert [c.evidence.rule for c in plays] == ["cast.subject_as_character"]


def test_the_claims_of_every_article_sort_as_the_graph_sorts_them() -> None:
    folders = [ROOT / "seeds", ROOT / "tests/articles/dev", ROOT / "tests/articles/own"]
    for path in sorted(p for folder in folders for p in folder.glob("*.txt")):
        claims = extract_article(path).claims
        assert len(sorted(claims)) == len(claims)  # TypeError if two claims do not compare
