"""The benchmark's real-text corpus is the real articles' prose with other names, nothing else."""

from __future__ import annotations

import pytest
from conftest import SEEDS
from realtext import RealTextCorpus

from bosch_kg.extract.pipeline import extract_article, extract_text
from evaluation.facts import stated_rows

PATHS = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus() -> RealTextCorpus:
    return RealTextCorpus(PATHS)


def test_a_renamed_article_states_its_sources_facts_under_the_new_names(
    corpus: RealTextCorpus,
) -> None:
    universe = 3
    for number, path in enumerate(PATHS, start=universe * len(PATHS)):
        renamed = extract_text(corpus.article(number), corpus.rename(path.stem, universe))
        facts = stated_rows(extract_article(path))
        assert stated_rows(renamed) == {
            tuple(corpus.rename(cell, universe) for cell in fact) for fact in facts
        }


def test_a_renamed_article_keeps_every_other_word_and_the_length_of_each_name(
    corpus: RealTextCorpus,
) -> None:
    source = PATHS[0].read_text(encoding="utf-8")
    renamed = corpus.article(len(PATHS))
    assert len(renamed) == len(source)
    assert "Ballard" in source and "Ballard" not in renamed
    assert "Prime Video" in renamed and "cold-case unit" in renamed


def test_a_name_is_spelt_alike_across_a_universe_and_anew_in_the_next(
    corpus: RealTextCorpus,
) -> None:
    first, second = corpus.rename("Renée Ballard", 0), corpus.rename("Renée Ballard", 1)
    assert first != second
    assert all(first in corpus.article(n) for n in range(len(PATHS)))
    assert not any(first in corpus.article(n) for n in range(len(PATHS), 2 * len(PATHS)))
