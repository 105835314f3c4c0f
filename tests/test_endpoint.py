"""The graph on a real SPARQL server: `serve`, `push`, and `query --endpoint` answer as locally.

Everything runs on the loopback address: a real Oxigraph server started by
`bosch-kg serve`, and a tiny `http.server` that answers every request with 500.
"""

from __future__ import annotations

import http.client
import http.server
import json
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import BOSCH_KG, ROOT, run_cli
from test_results import HOSTILE

from bosch_kg.queries.remote import Endpoint, count_triples
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


@contextmanager
def _serving(graph: Path, *flags: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`bosch-kg serve` on a free loopback port with the graph: its base URL and process.

    Stopped by SIGINT (what Ctrl-C sends) when the block ends, unless the test killed it.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    triples = len(open_store(graph))
    with subprocess.Popen(
        [BOSCH_KG, "serve", "--graph", str(graph), "--port", str(port), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as process:
        try:
            assert (
                _first_line(process, 20) == f"Serving {triples} triples at {url}/ (query page).\n"
            )
            yield url, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            try:
                _, errors = process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                _, errors = process.communicate()
    assert process.returncode in (0, -signal.SIGKILL), errors


@pytest.fixture(scope="module")
def server(seed_graph: Path) -> Iterator[str]:
    """`bosch-kg serve` with the seed graph, read-only as by default: its base URL."""
    with _serving(seed_graph) as (url, _):
        yield url


@pytest.fixture(scope="module")
def writable_server(seed_graph: Path) -> Iterator[str]:
    """`bosch-kg serve --allow-writes` with the seed graph: its base URL."""
    with _serving(seed_graph, "--allow-writes") as (url, _):
        yield url


def _rows(json_text: str) -> list[tuple[tuple[str, str], ...]]:
    doc = json.loads(json_text)
    return [
        tuple(sorted((k, v["value"]) for k, v in b.items())) for b in doc["results"]["bindings"]
    ]


def _query(*args: str, endpoint: str | None = None, graph: Path | None = None) -> str:
    where = ["--endpoint", endpoint] if endpoint else ["--graph", str(graph)]
    return run_cli("query", *args, *where).stdout


def test_push_replaces_a_graph_on_the_server_and_reports_what_it_holds(
    writable_server: str, seed_graph: Path
) -> None:
    server = writable_server
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
    [
        *HOSTILE,
        "Ballard\\u0022 } UNION { ?s ?p ?o } #",
        "Ballard } VALUES ?x { 1 }",
        "\\",
        'Ballard" } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #',
    ],
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
    """A server that answers every request with 500, and notes each one."""

    server: _Noting

    def _fail(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        self.send_response(500, "Internal Server Error")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"store is broken\n")

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads the client's output, not the server's log."""


class _Noting(http.server.ThreadingHTTPServer):
    """A loopback server that keeps the requests it was sent in `seen`."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), _Failing)


@contextmanager
def _failing() -> Iterator[_Noting]:
    httpd = _Noting()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def failing_server() -> Iterator[str]:
    with _failing() as httpd:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"


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


FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
TEST_GRAPH = "https://example.org/bosch-kg/test-writes"


def _status(
    url: str,
    method: str,
    path: str,
    body: str = "",
    content_type: str = FORM,
    headers: dict[str, str] | None = None,
) -> int:
    """The HTTP status of one request, sent with exactly these headers (http.client adds Host
    unless one is given): what a browser, curl or a script could send."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body.encode(),
            headers={"Content-Type": content_type, **(headers or {})},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _update(url: str, text: str, headers: dict[str, str] | None = None) -> int:
    return _status(url, "POST", "/update", urllib.parse.urlencode({"update": text}), FORM, headers)


def _triples(url: str, graph_iri: str | None = None) -> int:
    return count_triples(Endpoint.parse(url), graph_iri)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
    ],
)
def test_an_update_is_refused_by_default_and_the_graph_stays(
    server: str, seed_graph: Path, update: str
) -> None:
    assert _update(server, update) == 403
    assert _triples(server) == len(open_store(seed_graph))


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_a_graph_store_write_is_refused_by_default_and_the_graph_stays(
    server: str, seed_graph: Path, method: str
) -> None:
    triple = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    assert _status(server, method, "/store?default", triple, "application/n-triples") == 403
    assert _triples(server) == len(open_store(seed_graph))


def test_push_to_a_read_only_server_is_refused_in_one_line(server: str, seed_graph: Path) -> None:
    _fails_in_one_line(
        ["push", "--endpoint", server, "--graph", str(seed_graph)],
        seed_graph,
        f"{server}/store?default: the server answered 403 Forbidden: The server is read-only",
    )


def test_a_read_only_server_fetches_no_url(server: str) -> None:
    with _failing() as watched:
        elsewhere = f"http://127.0.0.1:{watched.server_address[1]}/data"
        service = f"SELECT * WHERE {{ SERVICE <{elsewhere}> {{ ?s ?p ?o }} }}"
        assert _update(server, f"LOAD <{elsewhere}>") == 403
        assert _status(server, "POST", "/query", service, SPARQL_QUERY) == 403
        assert _status(server, "GET", "/query?" + urllib.parse.urlencode({"query": service})) == 403
        assert _status(server, "POST", "/query", f"query={service.lower()}") == 403
        assert watched.seen == []
    named = 'SELECT ?x WHERE { VALUES ?x { "SERVICE <http://x.org/>" } } # SERVICE'
    assert _status(server, "POST", "/query", named, SPARQL_QUERY) == 200  # only a word


@pytest.mark.parametrize("which", ["server", "writable_server"])
def test_a_host_header_naming_another_server_is_refused(
    request: pytest.FixtureRequest, which: str
) -> None:
    url = request.getfixturevalue(which)
    port = int(url.rsplit(":", 1)[1])
    ask = "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "localhost"):
        assert _status(url, "GET", ask, headers={"Host": host}) == 403, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert _status(url, "GET", ask, headers={"Host": host}) == 200, host


def test_with_allow_writes_only_the_servers_own_pages_and_non_browsers_write(
    writable_server: str,
) -> None:
    url = writable_server
    port = url.rsplit(":", 1)[1]
    insert = (
        f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <http://example.org/a> <http://example.org/b> "
    )
    for foreign in ("http://evil.example", "null", f"http://127.0.0.1:{int(port) + 1}"):
        assert _update(url, insert + "1 } }", {"Origin": foreign}) == 403, foreign
        assert _triples(url, TEST_GRAPH) == 0
    assert _update(url, insert + "1 } }") == 204  # curl, bosch-kg: no Origin
    assert _update(url, insert + "2 } }", {"Origin": f"http://localhost:{port}"}) == 204
    assert _triples(url, TEST_GRAPH) == 2
    store = "/store?" + urllib.parse.urlencode({"graph": TEST_GRAPH})
    assert _status(url, "DELETE", store, headers={"Origin": "http://evil.example"}) == 403
    assert _triples(url, TEST_GRAPH) == 2
    assert _status(url, "DELETE", store, headers={"Origin": url}) == 204
    assert _triples(url, TEST_GRAPH) == 0


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, ...); None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether the process still runs (a zombie nobody has reaped yet has stopped)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _nobody_listens(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) != 0


def _oxigraph_behind(serve: subprocess.Popen[str]) -> tuple[list[bytes], str, int]:
    """The command line of the Oxigraph that `serve` runs, and the host and port it binds."""
    [child] = _children(serve.pid)
    command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
    host, port = command[command.index(b"--bind") + 1].decode().rsplit(":", 1)
    return command, host, int(port)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_with_allow_writes_oxigraph_behind_the_proxy_is_at_no_address_a_page_can_guess(
    seed_graph: Path,
) -> None:
    triple = "<http://example.org/a> <http://example.org/b> 1"
    insert = f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ {triple} }} }}"
    with (
        _serving(seed_graph, "--allow-writes") as (url, serve),
        _serving(seed_graph, "--allow-writes") as (_, other),
    ):
        _, host, port = _oxigraph_behind(serve)
        assert host.startswith("127.") and not host.startswith("127.0.")
        assert host != _oxigraph_behind(other)[1]  # a new address every run
        for guess in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            with pytest.raises(ConnectionRefusedError):
                _update(guess, insert)
        assert _update(url, insert) == 204  # through the proxy, as before
        assert _triples(url, TEST_GRAPH) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_of_serve_leaves_no_oxigraph_and_frees_the_port(seed_graph: Path) -> None:
    with _serving(seed_graph) as (url, process):
        [child] = _children(process.pid)
        command, host, behind = _oxigraph_behind(process)
        assert Path(command[0].decode()).name == "oxigraph" and b"serve-read-only" in command
        process.kill()
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
        assert _nobody_listens(int(url.rsplit(":", 1)[1])) and _nobody_listens(behind, host)
