"""Articles are extracted again only when their text changes; cache entries are checked first."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS

from bosch_kg.graph import query_store
from bosch_kg.graph.build import build
from bosch_kg.graph.cache import cache_path
from bosch_kg.queries.runner import open_store


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


def test_an_article_edited_to_the_same_size_with_its_old_mtime_put_back_is_read_again(
    articles: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    first = sorted(articles.iterdir())[0]
    before = first.stat()
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("Ballard", "Bollard", 1), encoding="utf-8")
    os.utime(first, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (first.stat().st_size, first.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert build(articles, output, workers=1).extracted == 1
    fresh = build(articles, tmp_path / "fresh" / "graph.ttl", workers=1)
    assert output.read_bytes() == fresh.output.read_bytes()


def _many_articles(folder: Path, copies: int = 4) -> Path:
    """Copies of the seed articles under new names, each with a line of its own."""
    folder.mkdir()
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\nCopy {n} of the review.\n"
            (folder / f"{seed.stem}-{n}.txt").write_text(text, encoding="utf-8")
    return folder


#: Ways the record of the last build can go wrong, as SQL run on the cache.
SPOILT_RECORDS = [
    pytest.param("DELETE FROM built WHERE rowid % 2 = 0", id="half-of-built-lost"),
    pytest.param("UPDATE built SET length = 0", id="lengths-zeroed"),
    pytest.param("UPDATE built SET start = start + 1 WHERE rowid = 3", id="a-start-moved"),
    pytest.param("DELETE FROM shared WHERE p IN ('rdf:type', 'rdfs:label')", id="shared-lost"),
    pytest.param("UPDATE shared SET n = n + 5", id="shared-counts-edited"),
    pytest.param("DELETE FROM mentions WHERE rowid % 3 = 0", id="mentions-lost"),
    pytest.param("UPDATE spellings SET n = 1", id="spellings-edited"),
    pytest.param("DELETE FROM blocks WHERE s LIKE '%/series/%'", id="blocks-lost"),
    pytest.param("UPDATE files SET key = 'x' || key", id="file-keys-edited"),
    pytest.param("DELETE FROM facts", id="facts-lost"),
    pytest.param("UPDATE totals SET n = n * 2", id="totals-edited"),
    pytest.param("DELETE FROM checks", id="header-lost"),
]


@pytest.mark.parametrize("spoil", SPOILT_RECORDS)
def test_a_record_that_does_not_check_out_is_dropped_and_the_graph_built_from_the_articles(
    tmp_path: Path, spoil: str, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = _many_articles(tmp_path / "articles")
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    with sqlite3.connect(cache_path(output)) as db:
        assert db.execute(spoil).rowcount > 0
    edited = sorted(articles.iterdir())[7]  # and one article changes, so the build has work
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    capsys.readouterr()
    rebuilt = build(articles, output, workers=1)
    said = capsys.readouterr().err
    assert said.startswith(f"Cache {cache_path(output)} is inconsistent (")
    assert said.endswith("): rebuilt from the articles.\n") and said.count("\n") == 1
    fresh = build(articles, tmp_path / "fresh" / "graph.ttl", workers=1)
    assert output.read_bytes() == fresh.output.read_bytes()
    assert (rebuilt.triples, rebuilt.facts) == (fresh.triples, fresh.facts)
    capsys.readouterr()
    again = build(articles, output, workers=1)  # the cache made anew is trusted again
    assert (again.changed, again.extracted, capsys.readouterr().err) == (False, 0, "")
    assert output.read_bytes() == fresh.output.read_bytes()


def test_a_record_naming_a_part_the_cache_lost_is_dropped_and_said_so(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)
    with sqlite3.connect(cache_path(output)) as db:
        db.execute("DELETE FROM entries WHERE kind = 'part'")
    first = sorted(articles.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    capsys.readouterr()
    build(articles, output, workers=1)
    assert "is missing): rebuilt from the articles.\n" in capsys.readouterr().err
    fresh = build(articles, tmp_path / "fresh" / "graph.ttl", workers=1)
    assert output.read_bytes() == fresh.output.read_bytes()


def test_a_query_store_that_fails_to_update_in_place_is_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = _many_articles(tmp_path / "articles")  # one changed of 20: updated in place
    output = tmp_path / "out" / "graph.ttl"
    build(articles, output, workers=1)

    def damaged(graph: Path, change: object) -> None:
        raise RuntimeError("Corruption: block checksum mismatch\nmore lines")

    monkeypatch.setattr(query_store, "update_store", damaged)
    first = sorted(articles.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    capsys.readouterr()
    build(articles, output, workers=1)
    assert capsys.readouterr().err == (
        f"Query store {query_store.store_path(output)} is damaged "
        "(Corruption: block checksum mismatch): made anew.\n"
    )
    assert query_store.is_current(output)
    assert len(open_store(output)) == len(open_store(_copy(output, tmp_path / "copy.ttl")))


def _copy(graph: Path, to: Path) -> Path:
    shutil.copy(graph, to)
    return to
