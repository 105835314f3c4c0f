"""A loopback reverse proxy in front of Oxigraph: it refuses what Oxigraph does not check.

Oxigraph's server answers whatever Host a request names and whatever page a
browser sent it from: a web page can make a browser POST to 127.0.0.1
(cross-site request forgery), or reach the server under its own name (DNS
rebinding), and a query's `SERVICE` makes the server fetch any URL.  So
`bosch-kg serve` listens with this proxy, and Oxigraph answers behind it on a
loopback address no page can guess (queries/server.py).  The proxy answers 403 to:

- a Host header other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding);
- a request other than GET or HEAD whose Origin is not the server's own
  (browsers send Origin with every such request; curl and `bosch-kg` send none);
- on a read-only server, a request whose SPARQL calls `SERVICE`.

Everything else is forwarded as it came, and the answer sent back as it came.
"""

from __future__ import annotations

import http.client
import http.server
import re
import shutil
import urllib.parse
from dataclasses import dataclass

HOST = "127.0.0.1"
#: Seconds to wait for Oxigraph's answer: a large query or push takes a while.
TIMEOUT = 300
#: Headers that describe one connection, not the request: never forwarded.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
     "upgrade", "host", "server", "date"}
)  # fmt: skip
SAFE_METHODS = frozenset({"GET", "HEAD"})

#: What may hide the word SERVICE without it being the keyword: strings, IRIs, comments.
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$-])SERVICE(?![\w:-])", re.IGNORECASE)


def calls_service(sparql: str) -> bool:
    """Whether the text uses the SERVICE keyword (a federated call: the server fetches a URL).

    Errs on the side of yes: only strings, IRIs and comments are not searched.
    """
    return _SERVICE.search(_NOT_CODE.sub(" ", sparql)) is not None


@dataclass(frozen=True)
class Policy:
    """What the proxy on 127.0.0.1:`port` lets through to Oxigraph."""

    port: int
    writable: bool

    def own_hosts(self) -> frozenset[str]:
        """The Host headers naming this server; anything else may be a rebound DNS name."""
        return frozenset({f"{HOST}:{self.port}", f"localhost:{self.port}"})

    def refusal(self, method: str, host: str, origin: str | None, texts: list[str]) -> str | None:
        """Why the request is refused, or None to forward it."""
        if host.lower() not in self.own_hosts():
            return f"Host {host!r} is not this server (http://{HOST}:{self.port})"
        own_origins = {f"http://{name}" for name in self.own_hosts()}
        if method not in SAFE_METHODS and origin is not None and origin not in own_origins:
            return f"requests from {origin} are refused: only this server's own pages may send them"
        if not self.writable and any(calls_service(text) for text in texts):
            return "SERVICE is refused: the server is read-only and fetches no URL"
        return None


def _sparql_texts(target: str, body: bytes) -> list[str]:
    """Every text of the request that may be SPARQL: URL parameters, form fields, the body."""
    texts = [body.decode("utf-8", "replace")]
    for encoded in (urllib.parse.urlsplit(target).query, texts[0]):
        for values in urllib.parse.parse_qs(encoded, keep_blank_values=True).values():
            texts.extend(values)
    return texts


class _Handler(http.server.BaseHTTPRequestHandler):
    """Checks a request against the server's policy, then forwards it to Oxigraph."""

    server: ProxyServer

    def _handle(self) -> None:
        if self.headers.get("Transfer-Encoding") or not self.path.startswith("/"):
            self._refuse(400, "send a Content-Length body to a path on this server")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        why = self.server.policy.refusal(
            self.command,
            self.headers.get("Host", ""),
            self.headers.get("Origin"),
            _sparql_texts(self.path, body),
        )
        if why is None:
            self._forward(body)
        else:
            self._refuse(403, why)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle

    def _refuse(self, code: int, why: str) -> None:
        data = f"{why}\n".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _forward(self, body: bytes) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        backend = http.client.HTTPConnection(*self.server.backend, timeout=TIMEOUT)
        try:
            backend.request(self.command, self.path, body=body or None, headers=headers)
            answer = backend.getresponse()
        except OSError as error:
            self._refuse(502, f"oxigraph did not answer ({error})")
            return
        with answer:
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()  # HTTP/1.0: the connection closes after the body
            if self.command != "HEAD":
                shutil.copyfileobj(answer, self.wfile)
        backend.close()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: `serve` prints only where the server is."""


class ProxyServer(http.server.ThreadingHTTPServer):
    """The proxy on 127.0.0.1:`policy.port`, forwarding to Oxigraph at `backend` (host, port).

    It binds its port when made, so a taken port is refused before Oxigraph starts.
    """

    daemon_threads = True
    backend: tuple[str, int] = (HOST, 0)

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        super().__init__((HOST, policy.port), _Handler)
