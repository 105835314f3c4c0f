"""`build`, `export` and `view` refuse an output that would destroy an input or is not a file.

Each refusal is one line and exit code 1; nothing is written, the last good
graph stays byte-identical, and no lock, cache or temporary file appears.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli

from bosch_kg.ontology import ONTOLOGY_FILE
from bosch_kg.outputs import OutputError, check_output

COMMANDS = ("build", "export", "view")


@pytest.fixture
def project(tmp_path: Path, seed_graph: Path) -> Path:
    """A folder with a copy of the seed articles and the graph built from them."""
    shutil.copytree(SEEDS, tmp_path / "articles")
    shutil.copy(seed_graph, tmp_path / "graph.ttl")
    return tmp_path


def write(command: str, project: Path, output: str) -> tuple[int, str]:
    """Run a command that writes `output`, reading the project's articles or graph."""
    reads = (
        ["--articles", str(project / "articles"), "--quiet"]
        if command == "build"
        else ["--graph", str(project / "graph.ttl")]
    )
    result = run_cli(command, *reads, "--output", output, check=False)
    return result.returncode, result.stderr


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every path under a folder with the bytes of its regular files."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() and not p.is_symlink() else None
        for p in sorted(folder.rglob("*"))
    }


def assert_refused_in_one_line(code: int, stderr: str, *words: str) -> None:
    assert code == 1, stderr
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
    for word in words:
        assert word in stderr


def test_build_refuses_to_write_the_graph_over_an_article(project: Path) -> None:
    before = listing(project)
    article = sorted((project / "articles").glob("*.txt"))[0]
    code, stderr = write("build", project, str(article))
    assert_refused_in_one_line(code, stderr, str(article), "articles folder")
    assert listing(project) == before
    again = run_cli("build", "--articles", str(project / "articles"), "--output",
                    str(project / "new.ttl"))  # fmt: skip
    assert again.stdout.startswith("Read 5 articles: ")


def test_build_refuses_an_output_inside_its_articles_folder(project: Path) -> None:
    before = listing(project)
    code, stderr = write("build", project, str(project / "articles" / "graph.ttl"))
    assert_refused_in_one_line(code, stderr, "the build reads every file there")
    assert listing(project) == before


def test_export_view_and_query_refuse_an_article_file_in_the_folder_the_graph_was_built_from(
    tmp_path: Path,
) -> None:
    folder, graph = tmp_path / "articles", tmp_path / "out" / "graph.ttl"
    shutil.copytree(SEEDS, folder)
    run_cli("build", "--articles", str(folder), "--output", str(graph), "--quiet")
    before = listing(tmp_path)
    cases = [("export", "notes.txt"), ("view", "notes.md"), ("export", "a.md"), ("query", "b.txt")]
    for command, name in cases:
        # no export format has those endings; a query's output takes any name
        fmt = {"export": ["--format", "nt"], "query": ["cast"]}.get(command, [])
        result = run_cli(
            command, *fmt, "--graph", str(graph), "-o", str(folder / name), check=False
        )
        assert result.returncode == 1 and result.stderr == (
            f"Error: {folder / name}: is inside the articles folder {folder} "
            "(the build reads every file there)\n"
        )
    assert listing(tmp_path) == before
    for command, name in [("export", "graph.nt"), ("view", "graph.html")]:  # read as no article
        run_cli(command, "--graph", str(graph), "-o", str(folder / name))
    again = run_cli("build", "--articles", str(folder), "--output", str(graph))
    assert again.stdout.startswith("Read 5 articles: ")


@pytest.mark.parametrize("command", ["export", "view"])
def test_export_and_view_refuse_to_write_over_the_graph_they_read(
    command: str, project: Path
) -> None:
    before = listing(project)
    code, stderr = write(command, project, str(project / "graph.ttl"))
    assert_refused_in_one_line(code, stderr, "would overwrite an input")
    assert listing(project) == before


def test_view_refuses_a_default_page_that_is_the_graph_itself(project: Path) -> None:
    graph = project / "graph.html"
    shutil.copy(project / "graph.ttl", graph)
    before = listing(project)
    result = run_cli("view", "--graph", str(graph), check=False)
    assert_refused_in_one_line(result.returncode, result.stderr, "would overwrite an input")
    assert listing(project) == before


@pytest.mark.parametrize("path", sorted(ONTOLOGY_FILE.parent.glob("*.ttl")), ids=lambda p: p.name)
def test_no_command_may_write_over_an_ontology_file(path: Path) -> None:
    with pytest.raises(OutputError, match="would overwrite an input"):
        check_output(path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _device(path: Path) -> None:
    path.symlink_to("/dev/null")  # a device node, reached without being root


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


SPECIAL_FILES: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo,
    "folder": _folder,
    "device": _device,
    "socket": _socket,
}


@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_that_exists_and_is_not_a_regular_file_is_refused(
    command: str, kind: str, project: Path
) -> None:
    special = project / "out"
    SPECIAL_FILES[kind](special)
    mode = special.stat().st_mode
    before = listing(project)
    code, stderr = write(command, project, str(special))
    assert_refused_in_one_line(code, stderr, "not a regular file")
    assert listing(project) == before
    assert special.stat().st_mode == mode


@pytest.mark.parametrize("command", ["export", "view"])
def test_an_output_in_a_missing_folder_is_refused_and_no_folder_is_made(
    command: str, project: Path
) -> None:
    before = listing(project)
    code, stderr = write(command, project, str(project / "new" / "deeper" / "out.ttl"))
    assert_refused_in_one_line(code, stderr, f"no folder {project / 'new' / 'deeper'}")
    assert listing(project) == before


def test_build_makes_the_folder_of_its_output(project: Path) -> None:
    output = project / "new" / "graph.ttl"
    code, stderr = write("build", project, str(output))
    assert code == 0, stderr
    assert output.read_bytes() == (project / "graph.ttl").read_bytes()


FAULTS = {
    "unwritable folder": lambda project: "/proc/nope.ttl",
    "parent is a file": lambda project: str(project / "graph.ttl" / "out.ttl"),
    "empty name": lambda project: "",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_the_system_cannot_write_is_one_line_and_leaves_nothing(
    command: str, fault: str, project: Path
) -> None:
    before = listing(project)
    code, stderr = write(command, project, FAULTS[fault](project))
    assert_refused_in_one_line(code, stderr)
    assert "Traceback" not in stderr and ".tmp" not in stderr  # names the output, not a temp
    assert listing(project) == before
