"""The graph as a picture: one offline HTML page (vis-network) or GraphML for Gephi.

People look at the universe rather than read Turtle, so the view draws only
what a fan recognises (series, people, characters, franchises, networks,
reviews), folds each Role node into a direct "actor — plays — character"
edge, and keeps evidence out of the picture: every edge and literal carries
the article sentences that state it, shown in the page's side panel.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import threading
import webbrowser
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from bosch_kg.errors import BoschKGError, InputError
from bosch_kg.extract.clean import fold_lookalikes
from bosch_kg.graph.names import nearest_names, search_key
from bosch_kg.graph.serialize import evidence_source
from bosch_kg.graph.store import atomic_write, load_graph
from bosch_kg.ontology import BKG, ontology_graph


@dataclass(frozen=True)
class NodeStyle:
    """How a class is drawn: its name in the legend, colour and vis-network shape."""

    name: str
    color: str
    shape: str


#: The classes drawn as nodes, in legend order.  Articles that are not reviews,
#: ratings, roles and evidence are folded into edges and the side panel.
STYLES: dict[URIRef, NodeStyle] = {
    BKG.Series: NodeStyle("series", "#f2b134", "hexagon"),
    BKG.Person: NodeStyle("person", "#4fb0e8", "dot"),
    BKG.Character: NodeStyle("character", "#e8645a", "diamond"),
    BKG.Franchise: NodeStyle("franchise", "#b48ef0", "star"),
    BKG.Network: NodeStyle("network", "#5ccf8f", "square"),
    BKG.Review: NodeStyle("review", "#c9ced6", "triangle"),
}

#: Above this many nodes the page trades looks for speed (no edge labels,
#: straight edges, a short layout run).
BIG_GRAPH = 1000

#: Properties that are the node's names or bookkeeping, not facts to list.
_NOT_FACTS = {RDF.type, RDFS.label, SKOS.altLabel, BKG.articleId}

_TEMPLATE = "view_template.html"
_VIS = files("pyvis") / "templates" / "lib" / "vis-9.1.2"


class UnknownNameError(BoschKGError):
    """`--focus` names nothing in the graph."""


class _Evidence:
    """Sentences and articles of every fact, numbered so the page stores each once."""

    def __init__(self, graph: Graph) -> None:
        self.articles: list[dict[str, str]] = []
        self.sources: list[tuple[int, str]] = []
        self._by_fact: dict[tuple[Node, Node, Node], list[int]] = defaultdict(list)
        article_index: dict[Node, int] = {}
        for evidence in sorted(graph.subjects(RDF.type, BKG.Evidence)):
            article, sentence = evidence_source(graph, evidence)
            if article not in article_index:
                article_index[article] = len(self.articles)
                self.articles.append(
                    {
                        "id": str(graph.value(article, BKG.articleId) or article),
                        "title": str(graph.value(article, RDFS.label) or article),
                    }
                )
            fact = tuple(graph.value(evidence, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            self._by_fact[fact].append(len(self.sources))
            self.sources.append((article_index[article], sentence))

    def of(self, *facts: tuple[Node, Node, Node]) -> list[int]:
        """Evidence of the facts, each sentence once."""
        seen: dict[tuple[int, str], int] = {}
        for fact in facts:
            for index in self._by_fact.get(fact, []):
                seen.setdefault(self.sources[index], index)
        return sorted(seen.values())


def _label(graph: Graph, node: Node) -> str:
    """The node's preferred label, else the end of its IRI."""
    label = graph.value(node, RDFS.label) or ontology_graph().value(node, RDFS.label)
    if label is not None:
        return str(label)
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _drawn_class(graph: Graph, node: Node) -> URIRef | None:
    """The first drawn class of the node (a review is drawn as a review, not an article)."""
    types = set(graph.objects(node, RDF.type))
    return next((cls for cls in STYLES if cls in types), None)


def universe(graph: Graph) -> nx.MultiDiGraph:
    """The drawable graph: entities as nodes, facts as labelled edges, evidence attached."""
    evidence = _Evidence(graph)
    view = nx.MultiDiGraph(articles=evidence.articles, sources=evidence.sources)
    for node in sorted(graph.subjects(RDF.type, None, unique=True)):
        cls = _drawn_class(graph, node)
        if cls is not None:
            view.add_node(str(node), **_node_attributes(graph, node, cls, evidence))
    for s, p, o in sorted(graph):
        if p in _NOT_FACTS or str(s) not in view or str(o) not in view:
            continue
        view.add_edge(
            str(s), str(o), label=_label(graph, p), note="", evidence=evidence.of((s, p, o))
        )
    for role in sorted(graph.subjects(RDF.type, BKG.Role)):
        _fold_role(graph, role, view, evidence)
    _size_by_importance(view)
    return view


def _node_attributes(graph: Graph, node: Node, cls: URIRef, evidence: _Evidence) -> dict:
    label = _label(graph, node)
    alt = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {label})
    return {
        "label": label,
        "alt": alt,
        "cls": STYLES[cls].name,
        "search": sorted({search_key(name) for name in [label, *alt]}),
        "facts": list(_literal_facts(graph, node, evidence)),
    }


def _literal_facts(graph: Graph, node: Node, evidence: _Evidence):
    """(property, value, evidence) of the node's facts that are not edges to drawn nodes."""
    for p, o in sorted(graph.predicate_objects(node)):
        if (
            p in _NOT_FACTS
            or _drawn_class(graph, o) is not None
            or (o, RDF.type, BKG.Role) in graph
        ):
            continue
        value = (
            str(o)
            if isinstance(o, Literal) or graph.value(o, RDFS.label) is None
            else _label(graph, o)
        )
        yield [_label(graph, p), value, evidence.of((node, p, o))]


def _fold_role(graph: Graph, role: Node, view: nx.MultiDiGraph, evidence: _Evidence) -> None:
    """Role node -> "actor plays character (in series)", or "actor appears in series"."""
    series, actor = graph.value(role, BKG.roleIn), graph.value(role, BKG.actor)
    character = graph.value(role, BKG.character)
    if str(actor) not in view or str(series) not in view:
        return
    facts = [(series, BKG.hasRole, role), (role, BKG.actor, actor)]
    if character is not None and str(character) in view:
        target, prop, note = character, BKG.character, f"in {_label(graph, series)}"
        facts.append((role, BKG.character, character))
    else:
        target, prop, note = series, BKG.appearsIn, ""
    view.add_edge(
        str(actor), str(target), label=_label(graph, prop), note=note, evidence=evidence.of(*facts)
    )


def _size_by_importance(view: nx.MultiDiGraph) -> None:
    """Node size grows with degree centrality, so the hubs of the universe stand out."""
    centrality = nx.degree_centrality(nx.Graph(view)) if len(view) > 1 else {}
    top = max(centrality.values(), default=0) or 1
    for node, data in view.nodes(data=True):
        data["size"] = round(10 + 26 * math.sqrt(centrality.get(node, 0) / top), 1)


def initial_layout(view: nx.MultiDiGraph, spacing: float = 70.0) -> dict[str, list[float]]:
    """Positions for a big graph, so the page can draw at once instead of simulating.

    Force layouts of thousands of nodes take too long (in Python and in the
    browser).  Most nodes of the universe hang off a few hubs (an actor off a
    character off a series), so only the core left after peeling the hanging
    trees gets a force layout; the trees fan out from their hub around it.
    """
    undirected = nx.Graph(view)
    parent = _peel(undirected)
    core = undirected.subgraph(n for n in undirected if n not in parent)
    iterations = 50 if len(core) <= 1500 else 15
    layout = nx.spring_layout(core, seed=0, iterations=iterations) if len(core) else {}
    scale = spacing * math.sqrt(len(view))
    pos = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in layout.items()}
    children: dict[str, list[str]] = defaultdict(list)
    for child, hub in sorted(parent.items()):
        children[hub].append(child)
    stack = [(n, 0.0, 2 * math.pi) for n in core]
    while stack:
        hub, direction, spread = stack.pop()
        kids = children.get(hub, [])
        radius = spacing * (1 + len(kids) / 16)
        for k, kid in enumerate(kids):
            angle = direction - spread / 2 + spread * (k + 0.5) / len(kids)
            pos[kid] = (
                pos[hub][0] + radius * math.cos(angle),
                pos[hub][1] + radius * math.sin(angle),
            )
            stack.append((kid, angle, min(spread / len(kids), math.pi / 2)))
    return {n: [round(x, 1), round(y, 1)] for n, (x, y) in pos.items()}


def _peel(graph: nx.Graph) -> dict[str, str]:
    """Repeatedly strip nodes with one neighbour; map each stripped node to that neighbour."""
    degree = dict(graph.degree())
    queue = [n for n, d in degree.items() if d == 1]
    parent: dict[str, str] = {}
    while queue:
        node = queue.pop()
        live = [m for m in graph[node] if m not in parent]
        if node in parent or len(live) != 1:
            continue
        parent[node] = live[0]
        degree[live[0]] -= 1
        if degree[live[0]] == 1:
            queue.append(live[0])
    return parent


def neighbourhood(view: nx.MultiDiGraph, name: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within `depth` edges of the one named `name` (any of its labels)."""
    key = search_key(name)
    found = [n for n, data in view.nodes(data=True) if key in data["search"]]
    if not found:
        labels = sorted(
            {label for _, d in view.nodes(data=True) for label in [d["label"], *d["alt"]]}
        )
        close = nearest_names(name, labels)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownNameError(f"--focus: no node is called {name!r}{hint}")
    undirected = view.to_undirected(as_view=True)
    keep = set().union(*(nx.ego_graph(undirected, n, radius=depth).nodes for n in found))
    return view.subgraph(keep).copy()


def _lookalike_table() -> dict[str, str]:
    """Look-alike letters (Cyrillic, Greek) -> the Latin ones, for the page's search box."""
    return {c: fold_lookalikes(c) for c in map(chr, range(0x370, 0x530)) if fold_lookalikes(c) != c}


def page_data(view: nx.MultiDiGraph, title: str) -> dict:
    """Everything the page's script needs, as plain JSON-able data."""
    counts = {style.name: 0 for style in STYLES.values()}
    for _, cls in view.nodes(data="cls"):
        counts[cls] += 1
    return {
        "title": title,
        "big": len(view) > BIG_GRAPH,
        "classes": [
            {"name": s.name, "color": s.color, "shape": s.shape, "count": counts[s.name]}
            for s in STYLES.values()
            if counts[s.name]
        ],
        "nodes": [{"id": n, **data} for n, data in view.nodes(data=True)],
        "positions": initial_layout(view) if len(view) > BIG_GRAPH else None,
        "edges": [
            {"from": u, "to": v, "label": d["label"], "note": d["note"], "ev": d["evidence"]}
            for u, v, d in view.edges(data=True)
        ],
        "articles": view.graph["articles"],
        "sources": view.graph["sources"],
        "lookalikes": _lookalike_table(),
    }


def _script_safe(text: str) -> str:
    """Script text that cannot end the <script> element it is inlined into."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def to_html(view: nx.MultiDiGraph, title: str) -> bytes:
    """One self-contained page: vis-network, its stylesheet and the data all inlined."""
    template = (files("bosch_kg") / _TEMPLATE).read_text(encoding="utf-8")
    parts = {
        "/*VIS_CSS*/": (_VIS / "vis-network.css").read_text(encoding="utf-8"),
        "/*VIS_JS*/": _script_safe((_VIS / "vis-network.min.js").read_text(encoding="utf-8")),
        "/*DATA*/": json.dumps(page_data(view, title), ensure_ascii=False).replace("</", "<\\/"),
        "<!--TITLE-->": title.replace("&", "&amp;").replace("<", "&lt;"),
    }
    markers = re.compile("|".join(re.escape(marker) for marker in parts))
    return markers.sub(lambda found: parts[found[0]], template).encode("utf-8")


def to_graphml(view: nx.MultiDiGraph) -> bytes:
    """The drawn graph for Gephi: labels, class and size per node, label per edge."""
    flat = nx.MultiDiGraph()
    for node, data in view.nodes(data=True):
        flat.add_node(
            node,
            label=data["label"],
            cls=data["cls"],
            size=data["size"],
            alt="; ".join(data["alt"]),
        )
    for u, v, data in view.edges(data=True):
        flat.add_edge(u, v, label=data["label"], note=data["note"], sources=len(data["evidence"]))
    return "\n".join(nx.generate_graphml(flat)).encode("utf-8")


FORMATS = {"html": ".html", "graphml": ".graphml"}


def read_graph(path: Path) -> Graph:
    """The graph file, or one line saying why it cannot be read."""
    try:
        return load_graph(path)
    except InputError as error:
        first = " ".join(str(error).splitlines()[:2]).removesuffix(" at ^ in:")
        raise BoschKGError(first) from error


def write_view(
    graph_path: Path,
    output: Path | None = None,
    fmt: str = "html",
    focus: str | None = None,
    depth: int = 1,
) -> Path:
    """Write the view of a graph file (beside it by default) and return where it went."""
    view = universe(read_graph(graph_path))
    title = "Bosch universe"
    if focus is not None:
        view = neighbourhood(view, focus, depth)
        title = f"Bosch universe around {focus}"
    output = output or graph_path.with_suffix(FORMATS[fmt])
    atomic_write(output, to_html(view, title) if fmt == "html" else to_graphml(view))
    return output


def open_page(path: Path, wait: float = 5.0) -> str | None:
    """Show the page in a browser: None once it is, else the one line to tell the user.

    xdg-open with no browser prints a line for each browser it looked for (seven on
    Debian), after the command has already returned; so it runs silenced and waited
    for, and only its verdict counts.  One still running after `wait` seconds is a
    browser it started (it leaves with the browser), so the page is open.
    """
    failed = f"No browser could open the page; open {path} in one."
    if sys.platform == "win32":
        return None if webbrowser.open(path.resolve().as_uri()) else failed
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        return failed
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(
        [opener, str(path)], stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True
    )
    try:
        return None if process.wait(timeout=wait) == 0 else failed
    except subprocess.TimeoutExpired:
        threading.Thread(target=process.wait, daemon=True).start()  # reaped when it ends
        return None
