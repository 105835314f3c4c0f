"""An on-disk Oxigraph store beside the Turtle graph, so a query does not parse the graph first.

Parsing a million triples of Turtle takes seconds; opening a store on disk
takes milliseconds.  `build` writes `graph.ttl.oxigraph/` (the graph plus the
ontology) next to `graph.ttl`, with a stamp naming the Turtle file's size and
modification time and the ontology's hash.  `open_current` opens it only when
the stamp still matches, so a graph edited by hand, or a new ontology, is never
answered from a stale store: the caller falls back to loading the Turtle.

The store is made in a temporary folder and moved into place, so a reader
finds the old store, the new one, or none (and then reads the Turtle).  A
rebuild that changes a few articles updates the store in place instead: it
records which part of each article it holds and the shared section's text,
drops the stamp, replaces what differs, and stamps it again; killed half way,
it is left unstamped, so it is never used and the next build makes it anew.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from bosch_kg.ontology import ONTOLOGY_FILE

#: Bumped when what the store holds changes.
STORE_FORMAT = 2
STAMP_FILE = "bosch-kg-stamp.json"
#: Which part of each article the store holds, and the shared section it holds.
HOLDINGS_FILE = "bosch-kg-articles.json"
#: Above this share of changed articles, the store is loaded anew instead of updated: removing
#: an article's nodes one by one took 200 s for 10,000 articles, loading them all 30 s.
UPDATE_AT_MOST = 0.1
#: Bytes of Turtle loaded at a time: bounds the bulk loader's memory.
LOAD_BATCH = 20 * 2**20
SHARED_FILE = "bosch-kg-shared.ttl"
_DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_RATING = ox.NamedNode("https://w3id.org/bosch-kg/ontology#rating")


@dataclass(frozen=True)
class Contents:
    """A graph as the build made it, so the next build can update the store where it differs."""

    #: the shared section, as Turtle
    shared: bytes
    #: article IRI -> an id of the part of it the graph holds
    articles: dict[str, str]
    #: the Turtle of one article's own nodes and evidence, by IRI
    own: Callable[[str], bytes]


#: Folders being made or removed; not `.tmp`, which build's clean-up unlinks as files.
TEMP_SUFFIX = ".tmpstore"


def store_path(graph: Path) -> Path:
    """Where the query store of a graph file lives: `<graph>.oxigraph/` beside it."""
    return graph.with_name(graph.name + ".oxigraph")


@cache
def _ontology_digest() -> str:
    return hashlib.sha256(ONTOLOGY_FILE.read_bytes()).hexdigest()


def stamp(graph: Path) -> dict[str, object]:
    """What the store must have been made from: this Turtle file (size, mtime) and ontology."""
    info = graph.stat()
    return {
        "format": STORE_FORMAT,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ontology": _ontology_digest(),
    }


def is_current(graph: Path) -> bool:
    """Whether the store beside the graph was made from the graph as it is now."""
    try:
        found = json.loads((store_path(graph) / STAMP_FILE).read_text(encoding="utf-8"))
        return bool(found == stamp(graph))
    except (OSError, ValueError):
        return False


def open_current(graph: Path) -> ox.Store | None:
    """The graph's store, read-only, if it matches the graph file; else None."""
    if not is_current(graph):
        return None
    try:
        return ox.Store.read_only(str(store_path(graph)))
    except OSError:
        return None


def write_store(graph: Path, contents: Contents | None = None) -> Path:
    """(Re)make the store of a graph file, from the build's `contents` if given, else the file."""
    target = store_path(graph)
    for stale in graph.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    made = _temp_folder(target)
    try:
        _fill(made, graph, contents)
        if contents is not None:
            _record(made, contents)
        (made / STAMP_FILE).write_text(json.dumps(stamp(graph)), encoding="utf-8")
        _swap(made, target)
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
    return target


def update_store(graph: Path, contents: Contents) -> bool:
    """Bring the store of the previous graph up to date with `contents`, in place.

    Call it only if the store was current before `graph` was rewritten.
    Returns False, changing nothing, when the store does not record what it holds,
    or when so many articles changed that loading the store anew is faster.
    """
    folder = store_path(graph)
    try:
        held = json.loads((folder / HOLDINGS_FILE).read_text(encoding="utf-8"))
        old_shared = (folder / SHARED_FILE).read_bytes()
    except (OSError, ValueError):
        return False
    changed = sum(held.get(article) != part for article, part in contents.articles.items())
    if changed > len(contents.articles) * UPDATE_AT_MOST:
        return False
    (folder / STAMP_FILE).unlink()  # from here until the new stamp, the store is not used
    store = ox.Store(str(folder))
    ontology = set(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    old, new = _triples(old_shared), _triples(contents.shared)
    for article, part in held.items():
        if contents.articles.get(article) != part:
            _drop_article(store, ox.NamedNode(article))
    for quad in old - new - ontology:
        store.remove(quad)
    store.extend(new - old)
    for article, part in contents.articles.items():
        if held.get(article) != part:
            store.extend(_triples(contents.own(article)))
    store.flush()
    del store
    _record(folder, contents)
    (folder / STAMP_FILE).write_text(json.dumps(stamp(graph)), encoding="utf-8")
    return True


def _triples(turtle: bytes) -> set[ox.Quad]:
    return set(ox.parse(turtle, format=ox.RdfFormat.TURTLE))


def _drop_article(store: ox.Store, article: ox.NamedNode) -> None:
    """Remove an article's own nodes: the article, its rating and its evidence."""
    own = [article]
    own += [q.subject for q in store.quads_for_pattern(None, _DERIVED_FROM, article)]
    own += [q.object for q in store.quads_for_pattern(article, _RATING, None)]
    for node in own:
        for quad in list(store.quads_for_pattern(node, None, None)):
            store.remove(quad)


def _record(folder: Path, contents: Contents) -> None:
    """Note in the store what it holds, for the next update."""
    (folder / SHARED_FILE).write_bytes(contents.shared)
    (folder / HOLDINGS_FILE).write_text(json.dumps(contents.articles), encoding="utf-8")


def _temp_folder(target: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent))


def _fill(folder: Path, graph: Path, contents: Contents | None) -> None:
    """Load the graph: from the build's contents a few megabytes at a time (loading a large
    file at once took 1.6 GB at 4.5 M triples, in batches 0.4 GB), else from the file."""
    store = ox.Store(str(folder))
    if contents is None:
        store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    else:
        store.bulk_load(contents.shared, format=ox.RdfFormat.TURTLE)
        for batch in _batches(map(contents.own, contents.articles)):
            store.bulk_load(batch, format=ox.RdfFormat.TURTLE)
    store.bulk_load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store  # closes the database before it is moved


def _batches(documents: Iterable[bytes], size: int = LOAD_BATCH) -> Iterator[bytes]:
    """Turtle documents joined into batches of about `size` bytes."""
    batch: list[bytes] = []
    held = 0
    for document in documents:
        batch.append(document)
        held += len(document)
        if held >= size:
            yield b"\n".join(batch)
            batch, held = [], 0
    if batch:
        yield b"\n".join(batch)


def _swap(made: Path, target: Path) -> None:
    """Move the new store into place; the old one is renamed aside first, then removed."""
    old = None
    if target.exists():
        old = _temp_folder(target)
        target.rename(old / "store")
    made.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
