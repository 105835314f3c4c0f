"""`build` writes an on-disk query store beside the graph; queries use it only while it matches."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli

from bosch_kg.graph import build as build_module
from bosch_kg.graph import query_store
from bosch_kg.queries.runner import open_store

BALLARD_LEAD = {"series": "Ballard", "actor": "Maggie Q", "character": "Renée Ballard"}
INVENTED = (
    "\n<https://w3id.org/bosch-kg/id/series/ballard>"
    ' <http://www.w3.org/2000/01/rdf-schema#label> "Ballard (edited by hand)" .\n'
)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    graph = tmp_path / "graph.ttl"
    run_cli("build", "--articles", str(SEEDS), "--output", str(graph), "--quiet")
    return graph


def cast_of(graph: Path, series: str) -> list[dict[str, str]]:
    out = run_cli("query", "cast", "-p", "series", series, "--graph", str(graph), "--format", "csv")
    return list(csv.DictReader(io.StringIO(out.stdout)))


def test_build_writes_a_store_stamped_with_the_graph_file_it_was_made_from(built: Path) -> None:
    store = built.with_name("graph.ttl.oxigraph")
    stamp = json.loads((store / query_store.STAMP_FILE).read_text())
    assert stamp["size"] == built.stat().st_size
    assert stamp["mtime_ns"] == built.stat().st_mtime_ns
    assert query_store.is_current(built)


def test_queries_answer_from_the_store_the_same_as_from_the_turtle(built: Path) -> None:
    copy = built.with_name("copy.ttl")  # no store beside it: loaded from the Turtle
    shutil.copy(built, copy)
    assert len(open_store(built)) == len(open_store(copy))
    assert BALLARD_LEAD in cast_of(built, "Ballard")
    assert cast_of(built, "Ballard") == cast_of(copy, "Ballard")


def test_a_graph_edited_after_the_build_is_read_from_the_turtle_not_the_stale_store(
    built: Path,
) -> None:
    with built.open("a", encoding="utf-8") as graph:
        graph.write(INVENTED)
    assert not query_store.is_current(built)
    rows = cast_of(built, "Ballard (edited by hand)")
    assert {row["actor"] for row in rows} >= {"Maggie Q"}


def test_a_rebuild_with_nothing_changed_remakes_a_missing_store(built: Path) -> None:
    shutil.rmtree(built.with_name("graph.ttl.oxigraph"))
    run_cli("build", "--articles", str(SEEDS), "--output", str(built), "--quiet")
    assert query_store.is_current(built)
    assert not list(built.parent.glob(f".*{query_store.TEMP_SUFFIX}"))


def _ground_triples(store: object) -> set[str]:
    """The store's triples without blank nodes (the ontology's lists get new labels each load)."""
    return {str(q.triple) for q in store if "_:" not in str(q.triple)}  # type: ignore[attr-defined]


def test_a_first_build_loads_its_store_as_articles_are_rendered_with_every_triple_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(5):  # 25 articles, rendered in worker processes
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, articles / f"{seed.stem}-{n}.txt")
    # small batches: some sections reach the store as they are rendered, some from the file
    monkeypatch.setattr(query_store, "LOAD_BATCH", 20_000)
    added = []
    real_add = query_store.FreshStore.add

    def add(fresh: query_store.FreshStore, key: str, section: bytes) -> None:
        added.append(key)
        real_add(fresh, key, section)

    monkeypatch.setattr(query_store.FreshStore, "add", add)
    graph = tmp_path / "out" / "graph.ttl"
    build_module.build(articles, graph, workers=2)
    assert len(added) == 25
    fresh = tmp_path / "fresh.ttl"
    shutil.copy(graph, fresh)
    query_store.write_store(fresh)
    assert _ground_triples(open_store(graph)) == _ground_triples(open_store(fresh))
    assert len(open_store(graph)) == len(open_store(fresh))


def test_a_rebuild_updates_the_store_in_place_to_what_a_fresh_store_would_hold(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(5):  # 25 articles: two changed ones are few enough to update the store
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, articles / f"{seed.stem}-{n}.txt")
    graph = tmp_path / "out" / "graph.ttl"
    run_cli("build", "--articles", str(articles), "--output", str(graph), "--quiet")
    first, second = sorted(articles.iterdir())[:2]
    first.unlink()  # an article removed, another changed
    with second.open("a", encoding="utf-8") as text:
        text.write("\nMaggie Q stars as Detective Renée Ballard in Ballard.\n")
    marker = graph.with_name("graph.ttl.oxigraph") / "marker"
    marker.touch()
    run_cli("build", "--articles", str(articles), "--output", str(graph), "--quiet")
    assert marker.exists()  # the store was updated, not made anew
    fresh = tmp_path / "fresh.ttl"
    shutil.copy(graph, fresh)
    query_store.write_store(fresh)
    assert _ground_triples(open_store(graph)) == _ground_triples(open_store(fresh))
    assert len(open_store(graph)) == len(open_store(fresh))


def test_a_rebuild_that_changes_most_articles_loads_the_store_anew(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    graph = tmp_path / "out" / "graph.ttl"
    run_cli("build", "--articles", str(articles), "--output", str(graph), "--quiet")
    for path in sorted(articles.iterdir())[:3]:
        with path.open("a", encoding="utf-8") as text:
            text.write("\nMaggie Q stars as Detective Renée Ballard in Ballard.\n")
    marker = graph.with_name("graph.ttl.oxigraph") / "marker"
    marker.touch()
    run_cli("build", "--articles", str(articles), "--output", str(graph), "--quiet")
    assert not marker.exists()  # a new store took the old one's place
    assert query_store.is_current(graph)
