"""Golden files: everything the extractors and the graph make of a few inputs, exactly.

Other tests check that a fact is there; these compare the whole output with a file kept in
tests/__snapshots__/test_golden/, so a change that gains one fact and loses another shows
both, as a diff. Three kinds:

- for each article of every scored set (seeds, dev, own, corpus-bosch, corpus-neighbours),
  the facts its claims state, one `kind<TAB>values...` line per fact, sorted, in the gold
  files' format (evaluation/facts.py `stated_rows`);
- the Turtle `bosch-kg build` writes of two seed articles;
- what three saved queries print on that graph.

When a change to the extractors or the graph is meant, regenerate the files, read the diff
(`git diff tests/__snapshots__`) and commit it with the change:

    python -m pytest tests/test_golden.py --snapshot-update
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from bosch_kg.extract.pipeline import extract_article
from evaluation.facts import stated_rows
from evaluation.score import RELATION_SETS, SETS

FOLDERS = SETS | {name: folder for name, (folder, _gold) in RELATION_SETS.items()}
ARTICLES = [
    pytest.param(path, id=f"{name}-{path.stem}")
    for name, folder in FOLDERS.items()
    for path in sorted(folder.glob("*.txt"))
]
#: Two seed articles with casts, a franchise, a spin-off and character relations between them.
GRAPH_SEEDS = ("000_6dc341c97e5e199c", "003_93528b796557dc0e")
QUERIES = {
    "cast": ("cast",),
    "series": ("series",),
    "relationships-renee-ballard": ("relationships", "-p", "character", "Renée Ballard"),
}


class GoldenText(SingleFileSnapshotExtension):
    """One plain text file per snapshot, so the golden file is what a person reads and diffs."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class GoldenTurtle(GoldenText):
    file_extension = "ttl"


@pytest.fixture
def golden(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(GoldenText)


@pytest.fixture(scope="module")
def two_seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph `bosch-kg build` makes of GRAPH_SEEDS alone."""
    articles = tmp_path_factory.mktemp("two-seeds")
    for stem in GRAPH_SEEDS:
        shutil.copy(SEEDS / f"{stem}.txt", articles)
    graph = articles.parent / "two-seeds.ttl"
    run_cli("build", "--articles", str(articles), "--output", str(graph), "--quiet")
    return graph


@pytest.mark.parametrize("article", ARTICLES)
def test_each_article_states_exactly_the_recorded_facts(
    article: Path, golden: SnapshotAssertion
) -> None:
    facts = sorted(stated_rows(extract_article(article)))
    assert "".join("\t".join(fact) + "\n" for fact in facts) == golden


def test_the_graph_of_two_seed_articles_is_exactly_the_recorded_turtle(
    two_seed_graph: Path, snapshot: SnapshotAssertion
) -> None:
    assert two_seed_graph.read_text(encoding="utf-8") == snapshot.use_extension(GoldenTurtle)


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_a_saved_query_on_that_graph_prints_exactly_the_recorded_table(
    query: tuple[str, ...], two_seed_graph: Path, golden: SnapshotAssertion
) -> None:
    assert run_cli("query", *query, "--graph", str(two_seed_graph)).stdout == golden
