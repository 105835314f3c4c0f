"""A local SPARQL server for the graph: Oxigraph's own server, read-only, behind a guard.

`bosch-kg serve` loads the graph plus the ontology into a store folder the
caller owns (`oxigraph load`), then starts the `oxigraph` binary (the
`oxigraph` package on PyPI installs it beside Python) on a loopback port in
read-only mode (`serve-read-only`): no SPARQL UPDATE, no Graph Store write,
no `LOAD` of a URL.  With `writable` it runs `oxigraph serve` instead.

Oxigraph checks neither the Host nor the Origin of a request, so it is
reached only through `queries/proxy.py`, listening on 127.0.0.1:PORT (never on
every interface): it refuses other Host names (DNS rebinding), writes sent
from other web pages, and, read-only, `SERVICE` calls.  The page at the base
URL is a query editor; `/query` and `/store` are the SPARQL 1.1 Protocol and
Graph Store endpoints.  Oxigraph itself answers anyone who reaches it, so it
listens where no web page can guess: a random address of 127.0.0.0/8 (Linux
answers on all of them) and a free port, never printed (`_backend_address`).

The Oxigraph process dies with the one that started it, even by `kill -9`
(on Linux, by PR_SET_PDEATHSIG), so it never keeps holding a port.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from bosch_kg.errors import BoschKGError
from bosch_kg.queries.proxy import HOST, Policy, ProxyServer
from bosch_kg.queries.remote import Endpoint, count_triples
from bosch_kg.queries.runner import open_store

#: Seconds the server has to start answering.
START_TIMEOUT = 15.0
PR_SET_PDEATHSIG = 1


class ServerError(BoschKGError):
    """The Oxigraph server is missing or could not start."""


@dataclass
class Server:
    """A running server: its URL, the Oxigraph process, the triples it holds, whether it writes."""

    url: str
    process: subprocess.Popen[bytes]
    triples: int
    writable: bool

    def wait(self) -> int:
        """Block until Oxigraph stops; its exit code."""
        return self.process.wait()


def oxigraph_binary() -> Path:
    """The `oxigraph` server binary: beside this Python (pip's scripts folder), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = beside if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise ServerError("the oxigraph server is not installed; run `pip install oxigraph`")
    return Path(found)


def _dies_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` asking Linux to SIGKILL the child when this process dies, however it dies.

    Without it a `kill -9` of `serve` leaves Oxigraph running and holding its port.
    The kernel counts the thread that starts the child as its parent.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not in the child
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def _last_line(log: IO[bytes], default: str) -> str:
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else default


def load(graph: Path, location: Path) -> None:
    """Load the graph and the ontology into the store folder, before a read-only server opens it."""
    with (
        tempfile.TemporaryDirectory(prefix="bosch-kg-load-") as folder,
        tempfile.TemporaryFile() as log,
    ):
        dump = Path(folder) / "graph.nt"
        open_store(graph).dump(
            str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
        )
        command = [str(oxigraph_binary()), "load", "--location", str(location), "--file", str(dump)]
        code = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_dies_with_parent()
        ).returncode
        if code != 0:
            raise ServerError(
                f"oxigraph could not load the graph: {_last_line(log, f'exit code {code}')}"
            )


def _backend_address() -> tuple[str, int]:
    """Where Oxigraph listens behind the proxy: a random loopback address and a free port.

    Oxigraph takes any request, so its address is the secret that keeps browsers away
    from it (a page's forged POST, a DNS-rebound name): a page must guess one of 2**24
    addresses times some 28,000 ports, which no scan from a browser covers.  Programs
    on this machine can find it, as they can reach the proxy: it keeps out web pages,
    not local users.  127.0.0.1 only where the system answers on no other (macOS).
    """
    host = f"127.{1 + secrets.randbelow(255)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"
    try:
        return host, _free_port(host)
    except OSError:
        return HOST, _free_port(HOST)


def _free_port(host: str) -> int:
    """A port on `host` nobody uses (the system picks it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _bind_proxy(port: int, writable: bool) -> ProxyServer:
    """Take the port first: another server there would answer in our place."""
    try:
        return ProxyServer(Policy(port, writable))
    except OSError as error:
        raise ServerError(f"port {port} on {HOST} is in use ({error.strerror})") from error


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:
        return False


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not _answers(url):
        if process.poll() is not None:
            why = _last_line(log, f"exit code {process.returncode}")
            raise ServerError(f"oxigraph could not start on {url}: {why}")
        if time.monotonic() > deadline:
            raise ServerError(f"oxigraph did not answer on {url} within {START_TIMEOUT:.0f} s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _oxigraph(
    location: Path, address: tuple[str, int], writable: bool
) -> Iterator[subprocess.Popen[bytes]]:
    """Oxigraph on the loopback `address`, answering; stopped when the block ends."""
    mode = "serve" if writable else "serve-read-only"
    host, port = address
    command = [
        str(oxigraph_binary()),
        mode,
        "--location",
        str(location),
        "--bind",
        f"{host}:{port}",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_dies_with_parent()
        )
        try:
            _wait_until_up(f"http://{host}:{port}", process, log)
            yield process
        finally:
            _stop(process)


@contextmanager
def _serving(proxy: ProxyServer) -> Iterator[None]:
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        proxy.shutdown()
        thread.join(timeout=10)


@contextmanager
def running_server(
    graph: Path, port: int, location: Path, writable: bool = False
) -> Iterator[Server]:
    """Serve the graph on 127.0.0.1:`port` with its store in `location`, read-only unless
    `writable`; stop when the block ends, however it ends."""
    url = f"http://{HOST}:{port}"
    with _bind_proxy(port, writable) as proxy:
        load(graph, location)
        proxy.backend = _backend_address()
        with _oxigraph(location, proxy.backend, writable) as process, _serving(proxy):
            triples = count_triples(Endpoint.parse(url))
            yield Server(url=url, process=process, triples=triples, writable=writable)
