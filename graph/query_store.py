"""An on-disk Oxigraph store beside the Turtle graph, so a query does not parse the graph first.

Parsing a million triples of Turtle takes seconds; opening a store on disk
takes milliseconds.  `build` writes `graph.ttl.oxigraph/` (the graph plus the
ontology) next to `graph.ttl`, with a stamp naming the Turtle file's size and
modification time and the ontology's hash.  `open_current` opens it only when
the stamp still matches, so a graph edited by hand, or a new ontology, is never
answered from a stale store: the caller falls back to loading the Turtle.

The stamp also lists the store's own files with their size and mtime:
RocksDB never rewrites a file in place, so one changed, gone or added since
is damage.  A damaged store is not opened: `query` reads the Turtle and
says so in one line, and the next build makes the store anew (as it does
when the store fails to open or update).

The store is made in a temporary folder and moved into place, so a reader
finds the old store, the new one, or none (and then reads the Turtle).  A
rebuild that changes a few articles updates the store in place instead, from
the build's change (graph/update.py): it drops the stamp, removes what
vanished, adds what appeared, and stamps it again; killed half way, it is left
unstamped, so it is never used and the next build makes it anew.
"""

from __future__ import annotations

import hashlib
import json
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from bosch_kg.errors import notice
from bosch_kg.ontology import ONTOLOGY_FILE

if TYPE_CHECKING:  # not at run time: `query` would import the whole build with it
    from bosch_kg.graph.change import Change, Rendered, Section

#: Bumped when what the store holds changes.
STORE_FORMAT = 4
STAMP_FILE = "bosch-kg-stamp.json"
#: Above this share of changed articles, the store is loaded anew instead of updated: removing
#: an article's nodes one by one took 200 s for 10,000 articles, loading them all 30 s.
UPDATE_AT_MOST = 0.1
#: Bytes of Turtle loaded at a time: bounds the bulk loader's memory.  Small batches are
#: also quicker: 4.5 M triples load in 17 s in 5 MB batches, 21 s in 20 MB ones.
LOAD_BATCH = 5 * 2**20
_DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
_RATING = ox.NamedNode("https://w3id.org/bosch-kg/ontology#rating")


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


def _is_data(name: str) -> bool:
    """Whether a file of the store's folder is one of RocksDB's data files (not its message
    log or lock file, which opening the store may touch, nor the stamp)."""
    return name.endswith((".sst", ".log", ".blob")) or name.startswith(
        ("MANIFEST-", "OPTIONS-", "CURRENT", "IDENTITY")
    )


def _contents(folder: Path) -> dict[str, list[int]]:
    """The store's data files, each with its size and mtime."""
    found = {}
    for path in sorted(folder.iterdir()):
        if _is_data(path.name):
            info = path.stat()
            found[path.name] = [info.st_size, info.st_mtime_ns]
    return found


def _write_stamp(folder: Path, graph: Path) -> None:
    """Stamp a closed store with the graph file it holds and with its own files."""
    found = {**stamp(graph), "files": _contents(folder)}
    (folder / STAMP_FILE).write_text(json.dumps(found), encoding="utf-8")


def _stamp_for(graph: Path) -> dict[str, object] | None:
    """The store's stamp if it says the store was made from the graph file as it is now."""
    try:
        found = json.loads((store_path(graph) / STAMP_FILE).read_text(encoding="utf-8"))
        made_from = {name: found.get(name) for name in ("format", "size", "mtime_ns", "ontology")}
        return found if made_from == stamp(graph) else None
    except (OSError, ValueError, AttributeError):
        return None


def store_damage(graph: Path) -> str | None:
    """What is wrong with a store made from the graph file as it is now: a file of it that
    changed, went or came since (else None, also for a store that is stale or missing)."""
    found = _stamp_for(graph)
    if found is None:
        return None
    try:
        now = _contents(store_path(graph))
    except OSError as error:
        return first_line(error)
    kept = found.get("files") if isinstance(found.get("files"), dict) else {}
    for name in sorted(kept.keys() | now.keys()):
        if kept.get(name) != now.get(name):
            how = "is gone" if name not in now else "is new" if name not in kept else "changed"
            return f"{name} {how} since it was made"
    return None


def is_current(graph: Path) -> bool:
    """Whether the store beside the graph was made from the graph as it is now, and whole."""
    return _stamp_for(graph) is not None and store_damage(graph) is None


def first_line(error: BaseException) -> str:
    """An error's message, first line only (RocksDB's run on)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def open_current(graph: Path) -> ox.Store | None:
    """The graph's store, read-only, if it matches the graph file; else None.  A store made
    from this graph but damaged since, or failing to open, is said so in one line."""
    problem = store_damage(graph)
    if problem is None:
        if not is_current(graph):
            return None
        try:
            return ox.Store.read_only(str(store_path(graph)))
        except (OSError, RuntimeError) as error:  # pyoxigraph reports RocksDB's faults so
            problem = first_line(error)
    notice(
        f"Query store {store_path(graph)} is damaged ({problem}): "
        f"answered from {graph}; the next build makes the store anew."
    )
    return None


def write_store(graph: Path, change: Change | None = None) -> Path:
    """(Re)make the store of a graph file, a batch of sections at a time if the build's
    `change` says where they lie, else the whole file at once."""
    fresh = FreshStore(graph)
    fresh.load_file(graph, change)
    return fresh.finish(graph)


class FreshStore:
    """A store loaded anew in a background thread (Oxigraph's loader lets go of the GIL), from
    the Turtle the build hands it: sections of articles as they are rendered, then the rest
    from the new graph file while the shapes run.  It replaces the old store only on `finish`.
    """

    def __init__(self, graph: Path, head: str = "", *, checked: bool = False) -> None:
        """With `checked`, the Turtle handed over was parsed and checked before (a build's):
        its IRIs are not validated again (10,000 articles: 1.3 of the loader's 22 s of CPU)."""
        target = store_path(graph)
        for stale in graph.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):  # a killed build's
            shutil.rmtree(stale, ignore_errors=True)
        self.made = _temp_folder(target)
        self.head = head.encode("utf-8")
        self.checked = checked
        self.failure: BaseException | None = None
        #: cache keys of the sections handed over by `add`
        self.added: set[str] = set()
        #: whether `add_shared` handed over the shared section
        self.shared = False
        self._waiting: list[bytes] = []
        self._waiting_size = 0
        self._closed = False
        # a few batches at most wait for the loader: the build's memory stays bounded
        self._documents: queue.Queue[Iterable[bytes] | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._load, daemon=True)
        self.thread.start()

    def _load(self) -> None:
        received = False
        try:
            store = ox.Store(str(self.made))
            while (documents := self._documents.get()) is not None:
                for document in documents:
                    store.bulk_load(document, format=ox.RdfFormat.TURTLE, lenient=self.checked)
            received = True
            store.bulk_load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
            # compacted: the bulk loader leaves a file per batch, which every lookup then
            # searches (`sources` unbound on 1 M triples: 16 -> 8 s)
            store.optimize()
            store.flush()
            del store  # closes the database before it is moved
        except BaseException as failure:  # handed to the build's thread by finish()
            self.failure = failure
            while not received and self._documents.get() is not None:
                pass  # taken and dropped, so the build never waits on a full queue

    def add(self, key: str, section: bytes) -> None:
        """Load an article's section (Turtle after the graph's head), in batches."""
        self.added.add(key)
        self._queue(section)

    def _queue(self, text: bytes) -> None:
        self._waiting.append(text)
        self._waiting_size += len(text)
        if self._waiting_size >= LOAD_BATCH:
            self._send_waiting()

    def add_shared(self, blocks: Iterable[str]) -> None:
        """Load the shared section (its blocks, as the graph file will hold them) before the
        file is written: the loader's last work, and then the compaction, start sooner."""
        self.shared = True
        for block in blocks:
            self._queue(b"\n" + block.encode("utf-8"))
        self._send_waiting()

    def _send_waiting(self) -> None:
        if self._waiting:
            self._documents.put([self.head + b"".join(self._waiting)])
            self._waiting, self._waiting_size = [], 0

    def load_file(self, source: Path, change: Change | None) -> None:
        """Load the rest from the graph file: the shared section and the sections not added
        (all of the file, at once, without a change saying where its sections lie)."""
        self._send_waiting()
        # opened here: the build may move the file into place before the loader reads it
        file = source.open("rb")
        self._documents.put(_batches(file, change, frozenset(self.added), self.shared))
        self._close()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self._documents.put(None)

    def finish(self, graph: Path) -> Path:
        """Wait for the load, stamp the store with the graph file and move it into place."""
        self._close()
        self.thread.join()
        try:
            if self.failure is not None:
                raise self.failure
            _write_stamp(self.made, graph)
            target = store_path(graph)
            _swap(self.made, target)
            return target
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Wait for the load and throw the new store away."""
        self._close()
        self.thread.join()
        shutil.rmtree(self.made, ignore_errors=True)


class StoreRefresh:
    """How a build brings the query store up to date with the graph it writes: in place, by
    the build's change, when the store is current and few articles changed; else loaded
    anew, from the sections as the build renders them (`add`), then from the new file.

    A store loaded anew is loaded from what the build checked: every section passed
    the shapes, in this build or in the one that wrote it into the graph file.
    """

    def __init__(self, graph: Path, head: str, *, whole_file: bool) -> None:
        self.graph, self.head = graph, head
        current = not whole_file and self._usable()
        self.fresh = None if current else FreshStore(graph, head, checked=True)

    def _usable(self) -> bool:
        """Whether the store is current for the graph, so the build may update it; one made
        from this graph but damaged since is said so, and made anew."""
        problem = store_damage(self.graph)
        if problem is not None:
            notice(f"Query store {store_path(self.graph)} is damaged ({problem}): made anew.")
            return False
        return is_current(self.graph)

    @property
    def add(self) -> Rendered | None:
        """What takes each section as it is rendered: a store loaded anew, else nothing."""
        return self.fresh.add if self.fresh is not None else None

    def plan(self, change: Change) -> None:
        """Load the store anew after all if the change is too large to apply in place."""
        if self.fresh is None and not can_update(change):
            self.fresh = FreshStore(self.graph, self.head, checked=True)

    def add_shared(self, blocks: Iterable[str]) -> None:
        """Hand a store loaded anew the shared section, before the file is written."""
        if self.fresh is not None:
            self.fresh.add_shared(blocks)

    def load_file(self, source: Path, change: Change) -> None:
        """Hand a store loaded anew the rest of the graph, from the file (as yet unmoved)."""
        if self.fresh is not None:
            self.fresh.load_file(source, change)

    def finish(self, change: Change, written: bool) -> None:
        """Put the new store in place, or apply the change to the current one if the graph
        was written; one that fails to open or update (damage its stamp could not see) is
        made anew from the new graph."""
        if self.fresh is not None:
            self.fresh.finish(self.graph)
            return
        if not written:
            return
        try:
            update_store(self.graph, change)
        except (OSError, RuntimeError) as error:  # pyoxigraph reports RocksDB's faults as these
            where = store_path(self.graph)
            notice(f"Query store {where} is damaged ({first_line(error)}): made anew.")
            write_store(self.graph, change)

    def abandon(self) -> None:
        """Throw a store being loaded anew away: the old one stays, current for the old graph."""
        if self.fresh is not None:
            self.fresh.abandon()


def can_update(change: Change) -> bool:
    """Whether updating the store in place beats loading it anew (few articles changed)."""
    return len(change.replaced) <= len(change.sections) * UPDATE_AT_MOST


def update_store(graph: Path, change: Change) -> None:
    """Bring the store of the previous graph up to date with the build's change, in place.

    Call it only if the store was current for the graph file the change starts from.
    """
    folder = store_path(graph)
    (folder / STAMP_FILE).unlink()  # from here until the new stamp, the store is not used
    store = ox.Store(str(folder))
    head = change.head.encode("utf-8")
    ontology = set(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    for article in sorted(change.replaced):
        _drop_article(store, ox.NamedNode(article))
    for quad in _quads(head, change.vanished) - ontology:
        store.remove(quad)
    store.extend(_quads(head, change.appeared))
    with graph.open("rb") as file:
        for section in change.sections:
            if section.built.article in change.replaced:
                file.seek(section.built.start)
                text = head + file.read(section.built.length)
                store.extend(ox.parse(text, format=ox.RdfFormat.TURTLE))
    store.flush()
    del store
    _write_stamp(folder, graph)


def _quads(head: bytes, triples: Iterable[tuple[str, str, str]]) -> set[ox.Quad]:
    """Triples given as Turtle terms, parsed."""
    text = head + "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")
    return set(ox.parse(text, format=ox.RdfFormat.TURTLE))


def _drop_article(store: ox.Store, article: ox.NamedNode) -> None:
    """Remove an article's own nodes: the article, its rating, its sentences and their evidence."""
    own = [article]
    for sentence in [q.subject for q in store.quads_for_pattern(None, _PART_OF, article)]:
        own.append(sentence)
        own += [q.subject for q in store.quads_for_pattern(None, _DERIVED_FROM, sentence)]
    own += [q.object for q in store.quads_for_pattern(article, _RATING, None)]
    for node in own:
        for quad in list(store.quads_for_pattern(node, None, None)):
            store.remove(quad)


def _temp_folder(target: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent))


def _batches(
    file: BinaryIO, change: Change | None, added: frozenset[str], shared: bool = False
) -> Iterator[bytes]:
    """The graph file as Turtle documents of about LOAD_BATCH bytes, but for what was
    already added (sections, and the shared section if `shared`): the head and shared
    section, then runs of sections, each after the head.  Loading a large file at once
    took 1.6 GB at 4.5 M triples, in batches 0.4 GB."""
    with file:
        if change is None or not change.sections:
            yield file.read()
            return
        head = change.head.encode("utf-8")
        if not shared:
            yield file.read(change.sections[0].built.start)
        run: list[Section] = []
        for section in change.sections:
            if section.key in added:
                continue
            if run and (
                _end(run[-1]) != section.built.start
                or _end(run[-1]) - run[0].built.start >= LOAD_BATCH
            ):
                yield head + _read(file, run)
                run = []
            run.append(section)
        if run:
            yield head + _read(file, run)


def _end(section: Section) -> int:
    return section.built.start + section.built.length


def _read(file: BinaryIO, run: list[Section]) -> bytes:
    """The bytes of a run of adjacent sections."""
    file.seek(run[0].built.start)
    return file.read(_end(run[-1]) - run[0].built.start)


def _swap(made: Path, target: Path) -> None:
    """Move the new store into place; the old one is renamed aside first, then removed."""
    old = None
    if target.exists():
        old = _temp_folder(target)
        target.rename(old / "store")
    made.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
