"""Rules and lexicon are data: checked at load, with errors naming file and line; no answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bosch_kg.errors import InputError
from bosch_kg.extract.config import LEXICON_PATH, RULES_PATH, load_lexicon, load_rules
from bosch_kg.extract.matcher import required_text

ROOT = Path(__file__).resolve().parent.parent


def test_a_toml_syntax_error_in_the_rules_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rule]]\nid = "x"\nemit = ["plays"\npattern = "y"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(bad)
    assert caught.value.path == str(bad)
    assert caught.value.line == 4


def test_an_unknown_claim_kind_in_a_rule_is_reported_at_the_rules_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('\n[[rule]]\nid = "cast.x"\nemit = ["acts"]\npattern = "y"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(bad)
    assert caught.value.line == 3
    assert "cast.x" in str(caught.value)


def test_a_relation_word_must_map_to_a_known_relation(tmp_path: Path) -> None:
    text = LEXICON_PATH.read_text(encoding="utf-8").replace('"sister of" =', '"aunt of" =')
    bad = tmp_path / "lexicon.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_lexicon(bad)
    assert "aunt of" in str(caught.value)
    assert (
        caught.value.line
        == text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith('"aunt of"'))
        )
        + 1
    )


def test_the_shipped_rules_and_lexicon_load() -> None:
    assert len(load_rules()) > 30
    assert load_lexicon().networks["Amazon Prime Video"] == "Prime Video"


def test_rules_and_lexicon_name_no_person_character_or_series_of_the_corpus() -> None:
    gold = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "evaluation/gold").glob("*.tsv"))
    names = set()
    for line in gold.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, *cells = line.split("\t")
        if kind in ("series_network", "reviews_rating", "reviews_verdict", "franchise"):
            cells = cells[:1]
        for cell in cells:
            names.update(a for a in cell.split("|") if re.search(r"[A-Z]", a) and "_" not in a)
    data = LEXICON_PATH.read_text(encoding="utf-8") + RULES_PATH.read_text(encoding="utf-8")
    assert not [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", data)]


def test_rules_and_lexicon_name_nothing_the_scored_corpus_states() -> None:
    """Rank and agency words ("Deputy", "FBI") are language even where a show is so titled."""
    names = set()
    golds = [
        *(ROOT / "evaluation/corpus_gold").glob("*/*.tsv"),
        *(ROOT / "evaluation/blind/gold").glob("*.tsv"),
    ]
    for path in golds:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            subject, relation, obj, *_ = line.split("\t")
            named = [subject] if relation in ("network", "partOfFranchise") else [subject, obj]
            for cell in named:
                names.update(a for a in cell.split("|") if re.search(r"[A-Z]", a))
    lexicon = load_lexicon()
    names -= {"ARTICLE", *lexicon.not_names, *lexicon.honorifics}
    data = LEXICON_PATH.read_text(encoding="utf-8") + RULES_PATH.read_text(encoding="utf-8")
    assert not [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", data)]


@pytest.mark.parametrize("template", ["({actor:person} as", "{actor:actress} as"])
def test_a_bad_template_is_an_input_error_before_it_is_compiled(template: str) -> None:
    with pytest.raises(InputError, match="rule x: (bad pattern|unknown slot type)"):
        required_text(template, "x", load_lexicon())
