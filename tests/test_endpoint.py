"""The graph on a real SPARQL server: `serve`, `push`, and `query --endpoint` answer as locally.

Everything runs on the loopback address: a real Oxigraph server started by
`bosch-kg serve`, and a tiny `http.server` that answers every request with 500.
"""

from __future__ import annotations

import http.server
import json
import select
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BOSCH_KG, ROOT, run_cli
from test_results import HOSTILE

from bosch_kg.queries.runner import open_store, saved_queries

QUERIES = sorted(saved_queries())
PARAMS = [(name, p.name) for name, q in sorted(saved_queries().items()) for p in q.params]


def free_port() -> int:
    """A loopback port nobody listens on (the system picks it; we let it go at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"bosch-kg serve printed nothing within {timeout} s"
    assert process.stdout is not None
    return process.stdout.readline()


@pytest.fixture(scope="module")
def server(seed_graph: Path) -> Iterator[str]:
    """`bosch-kg serve` on a free loopback port with the seed graph: its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    triples = len(open_store(seed_graph))
    with subprocess.Popen(
        [BOSCH_KG, "serve", "--graph", str(seed_graph), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as process:
        try:
            assert (
                _first_line(process, 20) == f"Serving {triples} triples at {url}/ (query page).\n"
            )
            yield url
        finally:
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                _, errors = process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                _, errors = process.communicate()
    assert process.returncode == 0, errors


def _rows(json_text: str) -> list[tuple[tuple[str, str], ...]]:
    doc = json.loads(json_text)
    return [
        tuple(sorted((k, v["value"]) for k, v in b.items())) for b in doc["results"]["bindings"]
    ]


def _query(*args: str, endpoint: str | None = None, graph: Path | None = None) -> str:
    where = ["--endpoint", endpoint] if endpoint else ["--graph", str(graph)]
    return run_cli("query", *args, *where).stdout


def test_push_replaces_a_graph_on_the_server_and_reports_what_it_holds(
    server: str, seed_graph: Path
) -> None:
    triples = len(open_store(seed_graph))  # the graph plus the ontology
    iri = "https://example.org/bosch-kg/seed"
    for _ in range(2):  # a second push replaces, never adds
        result = run_cli(
            "push", "--endpoint", server, "--graph", str(seed_graph), "--graph-iri", iri
        )
        assert result.stdout == (
            f"Pushed {triples} triples (graph and ontology) to "
            f"{server}/store?graph=https%3A%2F%2Fexample.org%2Fbosch-kg%2Fseed.\n"
            f"The server holds {triples} triples in that graph.\n"
        )
    local = _query("cast", "-p", "series", "Ballard", graph=seed_graph)
    assert (
        run_cli(
            "query", "cast", "-p", "series", "Ballard", "--endpoint", server, "--graph-iri", iri
        ).stdout
        == local
    )


@pytest.mark.parametrize("name", QUERIES)
def test_every_saved_query_answers_the_same_on_the_server(
    server: str, seed_graph: Path, name: str
) -> None:
    local = _query(name, graph=seed_graph)
    assert local.splitlines()[-1] != "(0 rows)"
    assert _query(name, endpoint=server) == local


@pytest.mark.parametrize(("name", "param"), PARAMS)
def test_a_bound_parameter_narrows_the_server_query_as_it_does_locally(
    server: str, seed_graph: Path, name: str, param: str
) -> None:
    value = dict(_rows(_query(name, "--format", "json", graph=seed_graph))[0])[param]
    args = (name, "-p", param, value, "--format", "json")
    local = _rows(_query(*args, graph=seed_graph))
    remote = _rows(_query(*args, endpoint=server))
    assert local and all(dict(row)[param] == value for row in local)
    assert sorted(remote) == sorted(local)
    assert remote == local


@pytest.mark.parametrize(
    "value",
    [*HOSTILE, "Ballard\\u0022 } UNION { ?s ?p ?o } #", "Ballard } VALUES ?x { 1 }", "\\"],
)
def test_a_hostile_value_is_only_a_value_on_the_server_too(server: str, value: str) -> None:
    result = run_cli("query", "cast", "--endpoint", server, "-p", "series", value)
    assert result.stdout.splitlines()[-1] == "(0 rows)"


def test_an_iri_with_a_closing_bracket_is_refused_before_anything_is_sent(server: str) -> None:
    result = run_cli(
        "query", "cast", "--endpoint", server, "-p", "series", "<http://x.org/a> } {>", check=False
    )
    assert (result.returncode, result.stderr) == (
        1,
        "Error: not a valid IRI: <http://x.org/a> } {>\n",
    )


class _Failing(http.server.BaseHTTPRequestHandler):
    """A server that answers every request with 500."""

    def _fail(self) -> None:
        self.send_response(500, "Internal Server Error")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"store is broken\n")

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads the client's output, not the server's log."""


@pytest.fixture
def failing_server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _fails_in_one_line(args: list[str], graph: Path, expected: str) -> None:
    before = graph.read_bytes()
    result = run_cli(*args, check=False)
    assert result.returncode == 1
    assert result.stderr == f"Error: {expected}\n"
    assert result.stdout == ""
    assert graph.read_bytes() == before


def test_an_unreachable_server_is_one_clear_line_and_the_graph_stays(seed_graph: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    refused = "cannot reach the server ([Errno 111] Connection refused)"
    _fails_in_one_line(
        ["push", "--endpoint", url, "--graph", str(seed_graph)],
        seed_graph,
        f"{url}/store?default: {refused}",
    )
    _fails_in_one_line(["query", "cast", "--endpoint", url], seed_graph, f"{url}/query: {refused}")


def test_a_server_error_is_one_clear_line_and_the_graph_stays(
    failing_server: str, seed_graph: Path
) -> None:
    answered = "the server answered 500 Internal Server Error: store is broken"
    _fails_in_one_line(
        ["push", "--endpoint", failing_server, "--graph", str(seed_graph)],
        seed_graph,
        f"{failing_server}/store?default: {answered}",
    )
    _fails_in_one_line(
        ["query", "cast", "--endpoint", failing_server],
        seed_graph,
        f"{failing_server}/query: {answered}",
    )


def test_pushing_to_a_wrong_path_is_the_servers_answer_in_one_line(
    server: str, seed_graph: Path
) -> None:
    _fails_in_one_line(
        ["push", "--endpoint", server, "--store", f"{server}/nope", "--graph", str(seed_graph)],
        seed_graph,
        f"{server}/nope?default: the server answered 404 Not Found: "
        "PUT /nope is not supported by this server",
    )


def test_serve_on_a_taken_port_is_refused_and_leaves_that_server_alone(
    server: str, seed_graph: Path
) -> None:
    port = server.rsplit(":", 1)[1]
    result = run_cli("serve", "--graph", str(seed_graph), "--port", port, check=False)
    assert result.returncode == 1
    assert result.stderr == f"Error: port {port} on 127.0.0.1 is in use (Address already in use)\n"
    assert _query("series", endpoint=server) == _query("series", graph=seed_graph)
