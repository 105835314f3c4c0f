"""Bad input of every kind is one line on stderr through the real command, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BOSCH_KG, ROOT, SEEDS, run_cli

#: Root reads any file; without these two capabilities it obeys the file's mode like any user.
_AS_A_USER = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def run_bytes(*args: str, input: bytes = b"", as_user: bool = False) -> subprocess.CompletedProcess:
    """The real command with bytes on stdin (and, for root, without its right to read all)."""
    prefix = _AS_A_USER if as_user and os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, BOSCH_KG, *args], input=input, capture_output=True, cwd=ROOT, check=False
    )


def one_line(result: subprocess.CompletedProcess, code: int = 1) -> str:
    """The one stderr line of a failed run, checked to be one line with the exit code."""
    stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    return stderr.strip()


def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def unreadable(path: Path) -> Path:
    """Make a file unreadable, or skip when even that cannot stop this process reading it."""
    path.chmod(0)
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root reads any file, and setpriv is missing to run as a plain user")
    return path


def test_an_unreadable_article_is_one_line(tmp_path: Path) -> None:
    folder = articles(tmp_path)
    bad = unreadable(folder / "001_5eacc6337d475d7d.txt")
    result = run_bytes(
        "build", "--articles", str(folder), "--output", str(tmp_path / "g.ttl"), as_user=True
    )
    assert one_line(result) == f"Error: {bad}: Permission denied"


def test_an_unreadable_graph_stops_validate_with_exit_2(seed_graph: Path, tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    shutil.copy(seed_graph, graph)
    unreadable(graph)
    result = run_bytes("validate", "--graph", str(graph), as_user=True)
    assert str(graph) in one_line(result, code=2)


def test_an_article_name_that_is_not_utf8_is_refused_escaped(tmp_path: Path) -> None:
    folder = articles(tmp_path)
    name = os.fsdecode(b"bad\xff\nname\x1b.txt")
    shutil.copy(folder / "000_6dc341c97e5e199c.txt", folder / name)
    result = run_cli(
        "build", "--articles", str(folder), "--output", str(tmp_path / "g.ttl"), check=False
    )
    assert one_line(result) == (
        f"Error: {folder}/bad\\xff\\nname\\x1b.txt: the file name is not UTF-8 text; "
        "rename the file"
    )


def test_an_error_about_a_file_named_with_a_newline_stays_one_line(tmp_path: Path) -> None:
    folder = articles(tmp_path)
    (folder / "two\nlines\x1b[31m.txt").write_bytes(b"Caf\xe9 society\n")
    result = run_cli(
        "build", "--articles", str(folder), "--output", str(tmp_path / "g.ttl"), check=False
    )
    assert one_line(result) == f"Error: {folder}/two\\nlines\\x1b[31m.txt:1: not UTF-8 text"


def test_two_files_of_one_article_id_are_one_line_naming_both(tmp_path: Path) -> None:
    folder = articles(tmp_path)
    shutil.copy(folder / "000_6dc341c97e5e199c.txt", folder / "000_6dc341c97e5e199c.md")
    output = tmp_path / "g.ttl"
    result = run_cli("build", "--articles", str(folder), "--output", str(output), check=False)
    line = one_line(result)
    assert f"{folder}/000_6dc341c97e5e199c.md and 000_6dc341c97e5e199c.txt" in line
    assert "two files of one article '000_6dc341c97e5e199c'" in line
    assert not output.exists()


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.symlink_to("gone.txt"), "a link to gone.txt, which is no file"),
        (lambda p: p.mkdir(), "a folder, not an article file"),
        (lambda p: os.mkfifo(p), "not a regular file (a device, FIFO or socket)"),
    ],
    ids=["broken link", "folder", "fifo"],
)
def test_an_article_name_that_is_no_readable_file_is_one_line_not_skipped(
    tmp_path: Path, make: Callable[[Path], None], why: str
) -> None:
    folder = articles(tmp_path)
    make(folder / "new article.txt")
    output = tmp_path / "g.ttl"
    result = run_cli("build", "--articles", str(folder), "--output", str(output), check=False)
    assert one_line(result) == f"Error: {folder}/new article.txt: {why}; rename or move it"
    assert not output.exists()


def test_an_article_whose_name_gives_no_id_is_one_line(tmp_path: Path) -> None:
    folder = articles(tmp_path)
    shutil.copy(folder / "000_6dc341c97e5e199c.txt", folder / "\n.md")
    result = run_cli(
        "build", "--articles", str(folder), "--output", str(tmp_path / "g.ttl"), check=False
    )
    assert one_line(result) == (
        f"Error: {folder}/\\n.md: the file name gives no article id; rename the file"
    )


def test_a_parameter_value_that_is_not_utf8_is_refused(seed_graph: Path) -> None:
    result = run_cli(
        "query",
        "cast",
        "-p",
        "series",
        os.fsdecode(b"Ball\xffard"),
        "--graph",
        str(seed_graph),
        check=False,
    )
    assert one_line(result) == "Error: -p series: the value is not UTF-8 text: Ball\\xffard"


def test_a_query_file_or_stdin_that_is_not_utf8_is_refused(
    seed_graph: Path, tmp_path: Path
) -> None:
    text = b'SELECT * WHERE {\n ?s ?p "caf\xe9" }\n'
    path = tmp_path / "latin1.rq"
    path.write_bytes(text)
    from_file = run_bytes("query", str(path), "--graph", str(seed_graph))
    assert one_line(from_file) == f"Error: {path}:2: not UTF-8 text"
    from_stdin = run_bytes("query", "-", "--graph", str(seed_graph), input=text)
    assert one_line(from_stdin) == "Error: standard input:2: not UTF-8 text"


def test_an_endpoint_url_that_does_not_parse_is_refused() -> None:
    result = run_cli("query", "cast", "--endpoint", "http://[::1", check=False)
    assert one_line(result).startswith("Error: not a URL: http://[::1 (")


def test_a_declared_parameter_the_select_does_not_return_is_refused(
    seed_graph: Path, tmp_path: Path
) -> None:
    path = tmp_path / "own.rq"
    path.write_text("# param: who  a name\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n")
    result = run_cli("query", str(path), "-p", "who", "x", "--graph", str(seed_graph), check=False)
    assert one_line(result) == (
        "Error: query 'own' does not return ?who, so -p who cannot bind it "
        "(bind only a variable its SELECT lists)"
    )


@pytest.mark.parametrize("command", ["query cast", "export", "view"])
def test_an_unreadable_graph_is_one_line_naming_it(
    command: str, seed_graph: Path, tmp_path: Path
) -> None:
    graph = tmp_path / "graph.ttl"
    shutil.copy(seed_graph, graph)
    unreadable(graph)
    result = run_bytes(*command.split(), "--graph", str(graph), as_user=True)
    assert one_line(result).startswith(f"Error: {graph}: ")
