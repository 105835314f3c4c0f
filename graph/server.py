"""A local SPARQL server for the graph: Oxigraph's own server, on the loopback address only.

`bosch-kg serve` starts the `oxigraph` binary (the `oxigraph` package on
PyPI installs it beside Python) on 127.0.0.1 — never on every interface: the
server accepts writes — with its store in a folder the caller owns, waits
until it answers, and pushes the graph plus the ontology into its default
graph through the same Graph Store protocol as `bosch-kg push`.  The page at
its base URL is a query editor; `/query` and `/store` are the SPARQL 1.1
Protocol and Graph Store endpoints.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bosch_kg.errors import BoschKGError
from bosch_kg.queries.remote import Endpoint, PushReport, push

HOST = "127.0.0.1"
#: Seconds the server has to start answering.
START_TIMEOUT = 15.0


class ServerError(BoschKGError):
    """The Oxigraph server is missing or could not start."""


@dataclass
class Server:
    """A running Oxigraph server and what was loaded into it."""

    url: str
    process: subprocess.Popen[bytes]
    loaded: PushReport

    def wait(self) -> int:
        """Block until the server stops; its exit code."""
        return self.process.wait()


def oxigraph_binary() -> Path:
    """The `oxigraph` server binary: beside this Python (pip's scripts folder), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = beside if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise ServerError("the oxigraph server is not installed; run `pip install oxigraph`")
    return Path(found)


def _require_free(port: int) -> None:
    """Refuse a taken port: another server there would answer in our place and take our graph."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        try:
            probe.bind((HOST, port))
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
            log.seek(0)
            lines = log.read().decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit code {process.returncode}"
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
def running_server(graph: Path, port: int, location: Path) -> Iterator[Server]:
    """Start Oxigraph on 127.0.0.1:`port` with its store in `location`, load the graph; stop it
    when the block ends, however it ends."""
    url = f"http://{HOST}:{port}"
    command = [str(oxigraph_binary()), "serve", "--location", str(location)]
    _require_free(port)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*command, "--bind", f"{HOST}:{port}"], stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            _wait_until_up(url, process, log)
            yield Server(url=url, process=process, loaded=push(graph, Endpoint.parse(url)))
        finally:
            _stop(process)
