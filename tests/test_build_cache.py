"""Articles are extracted again only when their text changes; cache entries are checked first."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS

from bosch_kg.graph.build import build
from bosch_kg.graph.cache import cache_path


def cached_articles(output: Path) -> int:
    with sqlite3.connect(cache_path(output)) as db:
        return db.execute("SELECT COUNT(DISTINCT key) FROM entries").fetchone()[0]


def spoil_first(
    output: Path, kinds: tuple[str, ...], spoil: Callable[[bytes, bytes], bytes]
) -> None:
    """Replace the payload of the first article's entries of these kinds by
    `spoil(payload, the second article's payload)`."""
    with sqlite3.connect(cache_path(output)) as db:
        keys = db.execute("SELECT DISTINCT key FROM entries ORDER BY key LIMIT 2")
        first, second = (key for (key,) in keys)
        for kind in kinds:
            query = "SELECT payload FROM entries WHERE key = ? AND kind = ?"
            (payload,), (other,) = (
                db.execute(query, (k, kind)).fetchone() for k in (first, second)
            )
            db.execute(
                "UPDATE entries SET payload = ? WHERE key = ? AND kind = ?",
                (spoil(payload, other), first, kind),
            )


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def test_a_rebuild_reads_only_the_changed_article(articles: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "graph.ttl"
    assert build(articles, output, workers=1).extracted == 5
    assert build(articles, output, workers=1).extracted == 0
    first = sorted(articles.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    assert build(articles, output, workers=1).extracted == 1
    assert cached_articles(output) == 5


def test_after_a_first_build_unchanged_article_files_are_not_read_again(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    first = sorted(articles.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    read = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.parent == articles:
            read.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    build(articles, output, workers=1)
    assert set(read) == {first.name}  # hashed, then extracted; the other four keep their keys


def test_a_removed_article_takes_its_facts_with_it(articles: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    gone = sorted(articles.iterdir())[4]
    assert f"id/article/{gone.stem}>" in output.read_text(encoding="utf-8")
    gone.unlink()
    report = build(articles, output, workers=1)
    assert report.articles == 4
    assert f"id/article/{gone.stem}>" not in output.read_text(encoding="utf-8")
    assert cached_articles(output) == 4


SPOILS = [
    pytest.param(lambda entry, other: b"\x00garbage", id="garbage"),
    pytest.param(lambda entry, other: entry[:-40], id="cut"),
    pytest.param(lambda entry, other: other, id="foreign"),
    pytest.param(lambda entry, other: entry.replace(b"e", b"a", 3), id="edited"),
]


@pytest.mark.parametrize("spoil", SPOILS)
def test_a_spoilt_cache_entry_is_never_used_the_article_is_extracted_again(
    articles: Path, tmp_path: Path, spoil
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    good = output.read_bytes()
    spoil_first(output, ("claims", "part"), spoil)
    output.unlink()  # every article must now be rendered again from its cached claims
    report = build(articles, output, workers=1)
    assert report.extracted == 1
    assert output.read_bytes() == good
    assert build(articles, output, workers=1).extracted == 0


def test_a_spoilt_part_is_rendered_again_from_the_claims(articles: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    good = output.read_bytes()
    spoil_first(output, ("part",), lambda entry, other: other)
    output.unlink()
    assert build(articles, output, workers=1).extracted == 0
    assert output.read_bytes() == good


def test_a_cache_file_that_is_not_a_database_is_replaced(articles: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    good = output.read_bytes()
    for path in output.parent.glob(cache_path(output).name + "*"):
        path.unlink()
    cache_path(output).write_bytes(b"not a database, just some bytes " * 100)
    assert build(articles, output, workers=1).extracted == 5
    assert output.read_bytes() == good
    assert build(articles, output, workers=1).extracted == 0


def test_parallel_and_single_process_builds_write_the_same_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(4):
        for seed in SEEDS.glob("*.txt"):
            (folder / f"{seed.stem}-{n}.txt").write_bytes(seed.read_bytes())
    parallel = build(folder, tmp_path / "p" / "graph.ttl", workers=2)
    single = build(folder, tmp_path / "s" / "graph.ttl", workers=1)
    assert parallel.extracted == single.extracted == 20
    assert parallel.output.read_bytes() == single.output.read_bytes()


def test_a_rebuild_writes_what_a_fresh_build_of_the_same_articles_writes(
    articles: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    first, second, third, *_ = sorted(articles.iterdir())
    edits = {
        "changed": lambda: first.write_text(second.read_text(encoding="utf-8"), encoding="utf-8"),
        "removed": third.unlink,
        # a new spelling of Renée Ballard in most articles renames her in the others' sections
        "renamed": lambda: [
            (articles / f"copy-{n}.txt").write_text(
                second.read_text(encoding="utf-8").replace("Renée", "Renee"), encoding="utf-8"
            )
            for n in range(6)
        ],
    }
    for name, edit in edits.items():
        edit()
        rebuilt = build(articles, output, workers=1)
        fresh = build(articles, tmp_path / name / "graph.ttl", workers=1)
        assert output.read_bytes() == fresh.output.read_bytes(), name
        if name == "renamed":
            assert 'rdfs:label "Renee Ballard"' in output.read_text(encoding="utf-8")
        assert (rebuilt.triples, rebuilt.facts, rebuilt.entities) == (
            fresh.triples,
            fresh.facts,
            fresh.entities,
        )
