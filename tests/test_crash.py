"""A build killed at any moment leaves the last good graph as it was, and the next build works."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BOSCH_KG, ROOT, SEEDS, run_cli

from bosch_kg.graph import query_store
from bosch_kg.graph.cache import cache_path
from bosch_kg.queries.runner import open_store

KILLS = 50
FIRST = "Ada Stone stars as Detective Mia Hale."
SECOND = "Ben Crane stars as Detective Lou Park."


def _corpus(folder: Path, copies: int, note: str) -> Path:
    """Copies of the seed articles under new names, each ending with the sentence `note`."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\n{note}\n"
            (folder / f"{seed.stem}-{n}.txt").write_text(text, encoding="utf-8")
    return folder


def _start_build(articles: Path, output: Path) -> subprocess.Popen[bytes]:
    command = [BOSCH_KG, "build", "--quiet", "--articles", str(articles), "--output", str(output)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_build_killed_at_random_points_leaves_the_last_good_graph_whole(tmp_path: Path) -> None:
    articles = _corpus(tmp_path / "articles", copies=6, note=FIRST)
    output = tmp_path / "out" / "graph.ttl"
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(output))
    good = output.read_bytes()
    shutil.rmtree(articles)
    _corpus(articles, copies=6, note=SECOND)
    expected = tmp_path / "expected" / "graph.ttl"
    started = time.monotonic()
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(expected))
    duration = time.monotonic() - started
    new = expected.read_bytes()
    assert new != good

    rng = random.Random(6)
    for _ in range(KILLS):
        for entries in output.parent.glob(cache_path(output).name + "*"):  # a full build each time
            entries.unlink()
        process = _start_build(articles, output)
        time.sleep(rng.uniform(0, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        assert output.read_bytes() in (good, new)
        output.write_bytes(good)  # the next kill hits a build that has work to do
        os.utime(output)

    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(output))
    assert output.read_bytes() == new
    assert not list(output.parent.glob(".*.tmp"))


def test_a_second_build_on_the_same_output_refuses_with_a_clear_line(tmp_path: Path) -> None:
    import fcntl

    output = tmp_path / "graph.ttl"
    with open(tmp_path / "graph.ttl.lock", "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)  # as a running build holds it
        result = run_cli("build", "--articles", str(SEEDS), "--output", str(output), check=False)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {output}: another build is writing this graph (it holds {output}.lock); "
        "run again when it has finished\n"
    )
    assert not output.exists()
    run_cli("build", "--quiet", "--articles", str(SEEDS), "--output", str(output))
    assert output.is_file()


def test_two_builds_started_together_never_interleave_the_graph(tmp_path: Path) -> None:
    articles = _corpus(tmp_path / "articles", copies=4, note=FIRST)
    output = tmp_path / "graph.ttl"
    expected = tmp_path / "expected.ttl"
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(expected))
    first, second = _start_build(articles, output), _start_build(articles, output)
    results = [(p.wait(), p.communicate()[1].decode()) for p in (first, second)]
    assert sorted(code for code, _ in results) in ([0, 0], [0, 1])
    for code, stderr in results:
        assert code == 0 or "another build is writing this graph" in stderr
    assert output.read_bytes() == expected.read_bytes()


def test_a_rebuild_killed_while_it_updates_the_query_store_never_leaves_a_stale_store_in_use(
    tmp_path: Path,
) -> None:
    articles = _corpus(tmp_path / "articles", copies=2, note=FIRST)
    output = tmp_path / "out" / "graph.ttl"
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(output))
    rng = random.Random(7)
    for n in range(10):  # each round edits one article, so the store is updated in place
        edited = sorted(articles.iterdir())[n]
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n{SECOND}\n", encoding="utf-8")
        process = _start_build(articles, output)
        time.sleep(rng.uniform(0.5, 3.0))
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        if query_store.is_current(output):  # a stamped store holds exactly the graph file
            fresh = tmp_path / f"fresh{n}.ttl"
            shutil.copy(output, fresh)
            query_store.write_store(fresh)
            assert len(open_store(output)) == len(open_store(fresh))
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(output))
    assert query_store.is_current(output)


def _largest_sst(graph: Path) -> Path:
    return max(query_store.store_path(graph).glob("*.sst"), key=lambda p: p.stat().st_size)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _flip], ids=["truncated", "bytes-flipped"])
def test_a_damaged_query_store_is_read_around_and_the_next_build_makes_it_anew(
    tmp_path: Path, damage
) -> None:
    output = tmp_path / "out" / "graph.ttl"
    build = ("build", "--quiet", "--articles", str(SEEDS), "--output", str(output))
    query = ("query", "cast", "-p", "series", "Ballard", "--graph", str(output))
    run_cli(*build)
    answer = run_cli(*query).stdout
    damage(_largest_sst(output))
    store = query_store.store_path(output)
    for _ in range(2):  # every query answers, from the Turtle, until a build
        read = run_cli(*query, check=False)
        assert (read.returncode, read.stdout) == (0, answer)
        assert read.stderr.startswith(f"Query store {store} is damaged (")
        assert read.stderr.endswith(
            f"): answered from {output}; the next build makes the store anew.\n"
        )
        assert read.stderr.count("\n") == 1
    rebuilt = run_cli(*build, check=False)
    assert rebuilt.returncode == 0
    assert rebuilt.stderr.startswith(f"Query store {store} is damaged (")
    assert rebuilt.stderr.endswith("): made anew.\n") and rebuilt.stderr.count("\n") == 1
    assert query_store.is_current(output)
    assert run_cli(*query).stderr == ""
    assert run_cli(*query).stdout == answer


@pytest.mark.parametrize(
    "name", ["graph.ttl.cache.sqlite", "graph.ttl.cache.sqlite-wal", "graph.ttl.lock"]
)
def test_a_cache_or_lock_path_that_is_a_folder_is_refused_in_one_line(
    tmp_path: Path, name: str
) -> None:
    output = tmp_path / "graph.ttl"
    build = ("build", "--quiet", "--articles", str(SEEDS), "--output", str(output))
    run_cli(*build)
    good = output.read_bytes()
    folder = tmp_path / name
    if folder.exists():
        folder.unlink()
    folder.mkdir()
    (folder / "kept.txt").write_text("the user's own\n")
    for _ in range(2):
        refused = run_cli(*build, check=False)
        assert refused.returncode == 1
        assert refused.stderr == (
            f"Error: {folder}: the build keeps a file of its own here, but this is not a "
            "regular file (a folder, device, FIFO or socket); move it away and build again\n"
        )
    assert output.read_bytes() == good
    assert (folder / "kept.txt").read_text() == "the user's own\n"
    shutil.rmtree(folder)
    run_cli(*build)
    assert output.read_bytes() == good


def test_an_inconsistent_cache_is_said_in_one_line_and_the_build_goes_on(tmp_path: Path) -> None:
    articles = _corpus(tmp_path / "articles", copies=2, note=FIRST)
    output = tmp_path / "out" / "graph.ttl"
    build = ("build", "--quiet", "--articles", str(articles), "--output", str(output))
    run_cli(*build)
    with sqlite3.connect(cache_path(output)) as db:
        db.execute("UPDATE built SET length = 0")
    edited = sorted(articles.iterdir())[3]
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n{SECOND}\n", encoding="utf-8")
    result = run_cli(*build)
    assert result.stderr == (
        f"Cache {cache_path(output)} is inconsistent (a row of table built does not match its "
        "checksum): rebuilt from the articles.\n"
    )
    fresh = tmp_path / "fresh" / "graph.ttl"
    run_cli("build", "--quiet", "--articles", str(articles), "--output", str(fresh))
    assert output.read_bytes() == fresh.read_bytes()
    assert run_cli("validate", "--graph", str(output)).stdout.endswith("conforms.\n")
    assert run_cli(*build).stderr == ""
