"""A SPARQL 1.1 server as the graph's home: push the graph to it, run saved queries on it.

Only W3C protocols, so any SPARQL 1.1 store will do:

- `push` replaces one graph of the store (the default graph, or a named
  graph) with the graph file plus the ontology, by an HTTP PUT of N-Triples
  (SPARQL 1.1 Graph Store HTTP Protocol).  Saved queries read labels of
  properties from the ontology, so the two travel together and a query of
  that one graph sees both, on any store, with no union-graph setting;
- `run_remote` POSTs a query (SPARQL 1.1 Protocol) and reads the W3C JSON
  results with pyoxigraph, so they print exactly like local results.  The
  protocol has no parameter binding, so parameters become a trailing
  `VALUES` clause whose terms pyoxigraph writes (quotes, newlines and
  backslashes escaped): a value can only ever be a value.

An `Endpoint` is given by the server's base URL, which implies Oxigraph's
layout (`/query` and `/store`), or by the query endpoint's full URL and,
for `push`, the Graph Store endpoint's URL (e.g. Fuseki's `/ds/query` and
`/ds/data`).
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bosch_kg.errors import BoschKGError
from bosch_kg.queries.runner import QueryResult, SavedQuery, bind, open_store

#: Seconds to wait for a server's answer: a million triples take a while to load.
TIMEOUT = 300
RESULTS_JSON = "application/sparql-results+json"
COUNT_QUERY = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"


class RemoteError(BoschKGError):
    """The server could not be reached, or it answered with an error."""


@dataclass(frozen=True)
class Endpoint:
    """Where a server answers SPARQL queries and, if known, takes graphs (Graph Store)."""

    query: str
    store: str | None = None

    @classmethod
    def parse(cls, url: str, store: str | None = None) -> Endpoint:
        """A base URL (`http://127.0.0.1:7878`) means Oxigraph's `/query` and `/store`."""
        for given in (url, store):
            if given is not None and _split(given).scheme not in ("http", "https"):
                raise RemoteError(f"not an http(s) URL: {given}")
        base = url.rstrip("/")
        if _split(base).path == "":
            return cls(query=f"{base}/query", store=store or f"{base}/store")
        return cls(query=url, store=store)


def _split(url: str) -> urllib.parse.SplitResult:
    """The URL's parts; one that does not parse (`http://[::1`) is the user's error."""
    try:
        return urllib.parse.urlsplit(url)
    except ValueError as error:
        raise RemoteError(f"not a URL: {url} ({error})") from None


@dataclass(frozen=True)
class PushReport:
    """What `push` sent, where, and how many triples the server then held in that graph."""

    target: str
    sent: int
    held: int


def _send(request: urllib.request.Request) -> tuple[str, bytes]:
    """The response's media type and body; every failure is one clear `RemoteError`."""
    url = request.full_url
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip().splitlines()
        why = f": {detail[0][:200]}" if detail else ""
        raise RemoteError(f"{url}: the server answered {error.code} {error.reason}{why}") from error
    except urllib.error.URLError as error:
        raise RemoteError(f"{url}: cannot reach the server ({error.reason})") from error
    except (OSError, http.client.HTTPException) as error:
        raise RemoteError(f"{url}: the connection failed ({error!r})") from error


def _graph_iri(graph_iri: str | None) -> str | None:
    if graph_iri is not None:
        try:
            ox.NamedNode(graph_iri)
        except ValueError as error:
            raise RemoteError(f"not a valid graph IRI: {graph_iri}") from error
    return graph_iri


def _with_query(url: str, query: str) -> str:
    """The URL with `query` added to its query string."""
    return f"{url}{'&' if urllib.parse.urlsplit(url).query else '?'}{query}"


def post_query(text: str, endpoint: Endpoint, graph_iri: str | None = None) -> QueryResult:
    """Run a query on the server (SPARQL 1.1 Protocol, POST), in one graph if `graph_iri`."""
    url = endpoint.query
    if _graph_iri(graph_iri) is not None:
        url = _with_query(url, urllib.parse.urlencode({"default-graph-uri": graph_iri}))
    request = urllib.request.Request(
        url,
        data=text.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON},
    )
    media_type, body = _send(request)
    if media_type != RESULTS_JSON:
        raise RemoteError(
            f"{endpoint.query}: the server answered {media_type}, not SPARQL JSON results "
            "(only SELECT and ASK queries run remotely)"
        )
    try:
        return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise RemoteError(f"{endpoint.query}: unreadable SPARQL JSON results: {error}") from error


def bound_text(query: SavedQuery, params: dict[str, str]) -> str:
    """The query with its parameters bound by a trailing VALUES clause of RDF terms."""
    clauses = [f"VALUES {var} {{ {term} }}" for var, term in bind(query, params).items()]
    return "\n".join([query.text.rstrip("\n"), *clauses]) + "\n" if clauses else query.text


def run_remote(
    query: SavedQuery,
    endpoint: Endpoint,
    params: dict[str, str] | None = None,
    graph_iri: str | None = None,
) -> QueryResult:
    """Run a saved query on the server with its parameters bound."""
    return post_query(bound_text(query, params or {}), endpoint, graph_iri)


def count_triples(endpoint: Endpoint, graph_iri: str | None = None) -> int:
    """How many triples the server holds in the default graph (or in `graph_iri`)."""
    result = post_query(COUNT_QUERY, endpoint, graph_iri)
    rows = list(result) if isinstance(result, ox.QuerySolutions) else []
    if len(rows) != 1 or rows[0]["triples"] is None:
        raise RemoteError(f"{endpoint.query}: the server did not answer a triple count")
    return int(rows[0]["triples"].value)


def push(graph: Path, endpoint: Endpoint, graph_iri: str | None = None) -> PushReport:
    """Replace one graph of the server with the graph file plus the ontology (Graph Store PUT)."""
    if endpoint.store is None:
        raise RemoteError(
            f"{endpoint.query} is a query endpoint; pass --store URL, the server's Graph Store "
            "endpoint (or give the server's base URL for Oxigraph)"
        )
    store = open_store(graph)  # reads and checks the file before anything is sent
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    target = (
        "default" if _graph_iri(graph_iri) is None else urllib.parse.urlencode({"graph": graph_iri})
    )
    request = urllib.request.Request(
        _with_query(endpoint.store, target),
        data=data,
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    _send(request)
    return PushReport(
        target=request.full_url, sent=len(store), held=count_triples(endpoint, graph_iri)
    )
