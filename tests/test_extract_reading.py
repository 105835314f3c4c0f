"""Reading articles: front matter, titles, bylines, and bad input reported with file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bosch_kg.errors import InputError
from bosch_kg.extract.pipeline import extract_article, extract_text

ROOT = Path(__file__).resolve().parent.parent


def test_a_file_that_is_not_utf8_is_an_input_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Bosch review\nTitus Welliver stars.\nCaf\xe9 scene\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        extract_article(bad)
    assert caught.value.path == str(bad)
    assert caught.value.line == 3
    assert "not UTF-8" in str(caught.value)


def test_an_unterminated_front_matter_block_is_an_input_error_at_line_1() -> None:
    with pytest.raises(InputError) as caught:
        extract_text("---\ntitle: Bosch\nBosch is a series.\n", "a", "a.txt")
    assert (caught.value.path, caught.value.line) == ("a.txt", 1)
    assert "never closed" in str(caught.value)


def test_a_malformed_front_matter_line_is_reported_with_its_line_number() -> None:
    with pytest.raises(InputError) as caught:
        extract_text("---\nurl: https://x\nthis line has no key\n---\nBody.\n", "a", "a.txt")
    assert caught.value.line == 3


@pytest.mark.parametrize("text", ["", "   \n\n", "---\ntitle: x\n---\n\n"])
def test_an_empty_file_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        extract_text(text, "empty", "empty.txt")


def test_front_matter_gives_url_title_author_and_iso_date() -> None:
    meta = extract_article(ROOT / "tests/articles/dev/02_bosch-season-6-review-robmcminn.txt").meta
    assert meta.url == "https://robmcminn.uk/2020/04/22/bosch-season-6-review/"
    assert meta.title == "Bosch – Season 6 review"
    assert meta.published == "2020-04-22"
    assert meta.id == "02_bosch-season-6-review-robmcminn"


def test_without_front_matter_the_title_is_the_first_non_empty_line() -> None:
    meta = extract_article(ROOT / "seeds/000_6dc341c97e5e199c.txt").meta
    assert meta.title == "Ballard: L.A.’s Cold-Case Crime Drama Owns Its Streets"


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("A Title Here\n\nEvelyn Taylor\n2 Min Read\n\nBallard is a series.\n", "Evelyn Taylor"),
        (
            "Some Review\nReview by Dan Skip Allen\nBosch is in its seventh season.\n",
            "Dan Skip Allen",
        ),
        ("A Review\nTravis Leamons // Film Critic\nThe show is good.\n", "Travis Leamons"),
        (
            "Headline\nBallard is back.\nJohnny Loftus (@johnnyloftus.bsky.social) is a "
            "Chicago-based writer.\n",
            "Johnny Loftus",
        ),
    ],
)
def test_the_author_comes_from_the_byline_when_the_front_matter_has_none(
    text: str, author: str
) -> None:
    assert extract_text(text, "a").meta.author == author


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)),
        max_size=400,
    )
)
def test_any_text_yields_claims_or_an_input_error_never_a_traceback(text: str) -> None:
    try:
        result = extract_text(text, "fuzz")
    except InputError:
        return
    for claim in result.claims:
        assert text[claim.evidence.start : claim.evidence.end] == claim.evidence.sentence


def test_odd_text_smart_quotes_control_characters_and_long_lines_do_not_break_extraction() -> None:
    text = (
        "\u201cBallard\u201d \x00\x07review\n"
        + "word " * 20000
        + "\nMaggie Q stars as Detective Ren\u00e9e Ballard.\u200b\n"
    )
    claims = extract_text(text, "odd").claims
    assert any(c.kind == "plays" and c.subject.name == "Maggie Q" for c in claims)


@pytest.mark.parametrize(
    "line",
    [
        "Alpha Beta " * 10000,
        "Alpha Beta (Gamma Delta, Eps Zeta) " * 3000,
        "Alpha Beta as Gamma Delta " * 3000,
        "word " * 50000,
    ],
    ids=["capitalised run", "parentheses", "as chain", "long line"],
)
def test_hostile_lines_are_read_in_reasonable_time(line: str) -> None:
    started = time.perf_counter()
    extract_text(f"Title\n{line}\n", "hostile")
    assert time.perf_counter() - started < 10
