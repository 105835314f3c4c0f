"""The last good build, kept in the cache database: what the next build changes, and no more.

A rebuild that re-read and re-merged ten thousand articles to replace one
took seconds however small the change.  So the cache also records, in the
same SQLite transaction as the parts:

- `built`: each article of the graph file, by cache key: the signature its
  part was rendered under, its triple count and classes, and where its
  section lies in the file (so an unchanged section is copied, not rendered);
- `mentions` and `contexts`: the names each article uses and the series it
  names people and characters with; `spellings` and `casts` count them over
  all articles: all name resolution needs;
- `naming`: how the build named every entity, so a rebuild finds the
  articles a renamed entity touches;
- `shared`: the shared section's triples (as Turtle terms), each with how
  many articles state it, and `blocks`, each shared subject's Turtle block;
- `facts`: every distinct fact, with how many articles state it;
- `totals`: running counts of the shared triples, of each class's shared
  instances and of the facts, so a rebuild need not count whole tables;
- `files`: each article file's size, mtime, ctime and inode when its key
  was last computed, so an unchanged file is not read and hashed again (as
  git's index: an edit that keeps the size and puts the mtime back still
  moves the ctime);
- in `meta`, the graph file this all describes (size, mtime, ctime, inode),
  the renderer version it was rendered with, and the folder of the `files`
  (so `export` and `view` refuse to write an article there: `built_from`).

A build applies its changed articles' difference to these tables; a build
that fails rolls the transaction back, so they always describe the last good
graph.  A rebuild trusts them as much as the graph itself (it copies sections
where `built` says they lie, and checks the shapes only on what changed), so
they check themselves: every row ends with a checksum of its values, checked
whenever the row is read, and `checks` holds each table's row count and the
sum of its checksums, sealed before every commit and checked when the state
is opened, so a lost, added or edited row is `Inconsistent`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bosch_kg.errors import BoschKGError
from bosch_kg.extract.claims import Entity
from bosch_kg.extract.clean import fold_lookalikes
from bosch_kg.graph.cache import Cache, article_key, cache_path, extractor_version
from bosch_kg.graph.names import Mentions, NameCounts, name_key
from bosch_kg.graph.serialize import _block

#: A triple as Turtle terms (subject, predicate, object).
Terms = tuple[str, str, str]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS built (
    key TEXT PRIMARY KEY, article TEXT NOT NULL, signature TEXT NOT NULL,
    triples INTEGER NOT NULL, claims INTEGER NOT NULL, types TEXT NOT NULL,
    start INTEGER NOT NULL, length INTEGER NOT NULL, ck INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    cluster TEXT NOT NULL, spelling TEXT NOT NULL, ck INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_by_key ON mentions (key);
CREATE INDEX IF NOT EXISTS mentions_by_name ON mentions (kind, name);
CREATE TABLE IF NOT EXISTS contexts (
    key TEXT NOT NULL, kind TEXT NOT NULL, cluster TEXT NOT NULL, series TEXT NOT NULL,
    ck INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS contexts_by_key ON contexts (key);
CREATE TABLE IF NOT EXISTS spellings (
    kind TEXT NOT NULL, cluster TEXT NOT NULL, spelling TEXT NOT NULL, n INTEGER NOT NULL,
    ck INTEGER NOT NULL, PRIMARY KEY (cluster, kind, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS casts (
    kind TEXT NOT NULL, cluster TEXT NOT NULL, series TEXT NOT NULL, n INTEGER NOT NULL,
    ck INTEGER NOT NULL, PRIMARY KEY (cluster, kind, series)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS naming (
    kind TEXT NOT NULL, name TEXT NOT NULL, naming TEXT NOT NULL, ck INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shared (
    s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, n INTEGER NOT NULL, ck INTEGER NOT NULL,
    PRIMARY KEY (s, p, o)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shared_by_object ON shared (o);
CREATE TABLE IF NOT EXISTS blocks (
    s TEXT PRIMARY KEY, text TEXT NOT NULL, ck INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, key TEXT NOT NULL, ck INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (
    fact TEXT PRIMARY KEY, n INTEGER NOT NULL, ck INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totals (
    name TEXT PRIMARY KEY, n INTEGER NOT NULL, ck INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checks (
    name TEXT PRIMARY KEY, rows INTEGER NOT NULL, sum INTEGER NOT NULL
) WITHOUT ROWID;
"""

_TABLES = (
    "files",
    "built",
    "mentions",
    "contexts",
    "spellings",
    "casts",
    "naming",
    "shared",
    "blocks",
    "facts",
    "totals",
)

#: SQLite's limit on the parameters of one statement is 32,766; stay well under it.
_CHUNK = 500


class Inconsistent(BoschKGError):
    """The cache's record does not check out: a row lost, added or edited, or an entry or
    a section of the graph file it names missing.  The build drops the cache and starts
    from the articles."""


def checksum(row: tuple[object, ...]) -> int:
    """A row's checksum: CRC-32 of its values' repr (32 bits, so SQLite sums millions)."""
    return zlib.crc32(repr(row).encode("utf-8"))


@dataclass(frozen=True)
class Built:
    """An article as the last good graph holds it."""

    article: str
    signature: str
    triples: int
    claims: int
    types: tuple[str, ...]
    #: its section's byte range in the graph file
    start: int
    length: int


class State:
    """The tables of the last good build, in the cache's connection and transaction."""

    def __init__(self, entries: Cache) -> None:
        """Open the tables and check them against their header (`Inconsistent` if they do
        not match); the header is sealed again before each of the cache's commits."""
        self.db = entries.db
        self.db.executescript(_SCHEMA)
        self._dirty: set[str] = set()
        self._built: dict[str, Built] | None = None
        entries.before_commit.append(self.seal)
        self.verify()

    # checks ---------------------------------------------------------------------------

    def _tally(self, table: str) -> tuple[int, int]:
        """A table's row count and checksum sum, counted by SQLite (milliseconds)."""
        query = f"SELECT count(*), coalesce(sum(ck), 0) FROM {table}"
        rows, total = self.db.execute(query).fetchone()
        return int(rows), int(total)

    def verify(self) -> None:
        """Raise `Inconsistent` unless every table holds the rows its header says."""
        header = self.db.execute("SELECT * FROM checks")
        sealed = {name: (rows, total) for name, rows, total in header}
        for table in _TABLES:
            found, expected = self._tally(table), sealed.get(table, (0, 0))
            if found != expected:
                raise Inconsistent(
                    f"table {table} holds {found[0]} rows, its header says {expected[0]}"
                    if found[0] != expected[0]
                    else f"the rows of table {table} do not add up to its header's checksum"
                )

    def seal(self) -> None:
        """Write the header of every table changed since the last seal."""
        for table in sorted(self._dirty):
            tally = (table, *self._tally(table))
            self.db.execute("INSERT OR REPLACE INTO checks VALUES (?, ?, ?)", tally)
        self._dirty.clear()

    def _rows(self, table: str, select: str, params: Iterable[object] = ()) -> Iterator[tuple]:
        """The rows of a `SELECT * FROM table ...`, each checked and without its checksum."""
        crc32 = zlib.crc32  # `checksum`, inlined: a rebuild checks tens of thousands of rows
        for row in self.db.execute(select, tuple(params)):
            values = row[:-1]
            if crc32(repr(values).encode("utf-8")) != row[-1]:
                raise Inconsistent(f"a row of table {table} does not match its checksum")
            yield values

    def _where_in(self, table: str, column: str, values: list[str]) -> Iterator[tuple]:
        """The rows of the table whose `column` is one of `values`, a chunk at a time."""
        for i in range(0, len(values), _CHUNK):
            chunk = values[i : i + _CHUNK]
            yield from self._rows(
                table,
                f"SELECT * FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})",
                chunk,
            )

    def _put(self, table: str, rows: Iterable[tuple], verb: str = "INSERT OR REPLACE") -> None:
        """Write rows, each with its checksum."""
        checked = [(*row, checksum(tuple(row))) for row in rows]
        if checked:
            self._dirty.add(table)
            marks = ",".join("?" * len(checked[0]))
            self.db.executemany(f"{verb} INTO {table} VALUES ({marks})", checked)

    def _delete(self, table: str, where: str, params: Iterable[tuple]) -> None:
        self._dirty.add(table)
        self._built = None
        self.db.executemany(f"DELETE FROM {table} WHERE {where}", params)

    def _add_counts(
        self, table: str, by: str, delta: Counter[tuple[str, ...]]
    ) -> dict[tuple[str, ...], tuple[int, int]]:
        """Add to the count `n` that follows each key in a table; drop rows that fall to 0.

        Rows are read by the indexed column `by` (the key's values at its place), written in
        key order (B-tree appends).  Returns each changed key's count before and after.
        """
        changed = sorted(key for key, n in delta.items() if n)
        if not changed:
            return {}
        width = len(changed[0])
        columns = [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]
        place = columns.index(by)
        wanted = set(changed)
        before = {
            row[:width]: row[width]
            for row in self._where_in(table, by, sorted({key[place] for key in changed}))
            if row[:width] in wanted
        }
        counts = {key: (before.get(key, 0), before.get(key, 0) + delta[key]) for key in changed}
        self._put(table, [(*key, new) for key, (_, new) in counts.items() if new > 0])
        gone = [key for key, (old, new) in counts.items() if old and new <= 0]
        where = f"({','.join(columns[:width])}) = ({','.join('?' * width)})"
        self._delete(table, where, gone)
        return counts

    def clear(self) -> None:
        """Forget the last build: the next one starts from nothing.  The article files' keys
        stay: they depend on the files and the extractor alone (a full build that cleared
        them left the next build to read and hash every article again: 1.2 s at 10,000)."""
        for table in _TABLES:
            if table != "files":
                self._delete(table, "1", [()])
        self.db.execute("DELETE FROM meta WHERE name IN ('graph', 'renderer')")

    # meta -----------------------------------------------------------------------------

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def renderer(self) -> str | None:
        return self._meta("renderer")

    def set_renderer(self, version: str) -> None:
        self._set_meta("renderer", version)

    def describes(self, graph: Path) -> bool:
        """Whether the graph file is the one the last build wrote (same size, mtime, ctime,
        inode: an edit that puts the mtime back still moves the ctime)."""
        try:
            return self._meta("graph") == json.dumps(file_id(graph))
        except OSError:
            return False

    def set_graph(self, graph: Path) -> None:
        self._set_meta("graph", json.dumps(file_id(graph)))

    # files ----------------------------------------------------------------------------

    def keys(self, files: list[Path]) -> dict[str, Path]:
        """The cache key of each article file; only files whose size, mtime, ctime or inode
        changed are read."""
        if self._meta("extractor") != extractor_version():  # keys hash the extractor too
            self._delete("files", "1", [()])
            self._set_meta("extractor", extractor_version())
        rows = self._rows("files", "SELECT * FROM files")
        known = {name: (tuple(stamp), key) for name, *stamp, key in rows}
        keys, seen = {}, []
        for path in files:
            stamp = tuple(file_id(path))
            found = known.get(path.name)
            if found and found[0] == stamp:
                keys[found[1]] = path
                continue
            key = article_key(path.read_bytes(), path.name)
            keys[key] = path
            seen.append((path.name, *stamp, key))
        self._put("files", seen)
        gone = known.keys() - {path.name for path in files}
        if gone:
            self._delete("files", "name = ?", [(name,) for name in gone])
        if files:  # json keeps the undecodable bytes of a name (surrogates) as ASCII
            self._set_meta("articles", json.dumps(str(files[0].parent.resolve())))
        return keys

    # articles -------------------------------------------------------------------------

    def built(self) -> dict[str, Built]:
        """Every article of the last good graph, by cache key (read and checked once)."""
        if self._built is None:
            rows = self._rows("built", "SELECT * FROM built")
            self._built = {
                key: Built(article, sign, triples, claims, tuple(types.split()), start, length)
                for key, article, sign, triples, claims, types, start, length in rows
            }
        return self._built

    def put_built(self, rows: Iterable[tuple[str, Built]]) -> None:
        self._built = None
        self._put(
            "built",
            [
                (key, b.article, b.signature, b.triples, b.claims, " ".join(b.types))
                + (b.start, b.length)
                for key, b in rows
            ],
        )

    def forget(self, keys: Iterable[str]) -> None:
        """Drop articles that left the graph: their row, their names and their counts."""
        spelled, named = Counter[tuple[str, ...]](), Counter[tuple[str, ...]]()
        keys = list(keys)
        for key in keys:
            found = self._rows("mentions", "SELECT * FROM mentions WHERE key = ?", (key,))
            spelled.subtract({(kind, cluster, spelling) for _, kind, _, cluster, spelling in found})
            pairs = self._rows("contexts", "SELECT * FROM contexts WHERE key = ?", (key,))
            named.subtract(row[1:] for row in pairs)
        for table in ("built", "mentions", "contexts"):
            self._delete(table, "key = ?", [(key,) for key in keys])
        self._count_names(spelled, named)

    # names ----------------------------------------------------------------------------

    def add_mentions(self, articles: dict[str, Mentions]) -> None:
        """Record the names of articles new to the graph, and count them in."""
        rows, contexts = [], []
        spelled, named = Counter[tuple[str, ...]](), Counter[tuple[str, ...]]()
        for key, mentions in articles.items():
            found = [
                (e.kind, e.name, name_key(e), fold_lookalikes(e.name)) for e in mentions.entities
            ]
            pairs = {(e.kind, name_key(e), name_key(s)) for e, s in mentions.contexts}
            rows += [(key, *row) for row in found]
            contexts += [(key, *pair) for pair in pairs]
            spelled.update({(kind, cluster, spelling) for kind, _, cluster, spelling in found})
            named.update(pairs)
        self._put("mentions", rows, "INSERT")
        self._put("contexts", contexts, "INSERT")
        self._count_names(spelled, named)

    def _count_names(
        self, spelled: Counter[tuple[str, ...]], named: Counter[tuple[str, ...]]
    ) -> None:
        """Add to the counts of spellings and of (name, series) pairs; drop those now at 0."""
        self._add_counts("spellings", "cluster", spelled)
        self._add_counts("casts", "cluster", named)

    def names(self) -> NameCounts:
        """Every article's names, counted as the resolver counts them."""
        names = NameCounts()
        spellings = self._rows("spellings", "SELECT * FROM spellings")
        for kind, cluster, spelling, articles in spellings:
            names.spellings[(kind, cluster)][spelling] = articles
        for kind, cluster, series, _ in self._rows("casts", "SELECT * FROM casts"):
            names.context[(kind, cluster)].add(series)
        return names

    def entities(self, keys: Iterable[str]) -> dict[str, list[Entity]]:
        """The entities each of these articles mentions."""
        found: dict[str, list[Entity]] = {}
        for key, kind, name, _, _ in self._where_in("mentions", "key", list(keys)):
            found.setdefault(key, []).append(Entity(kind, name))
        return found

    def all_entities(self) -> list[Entity]:
        """Every entity mentioned (not checked row by row: an edited name is an entity named
        anew, so `mentioning` then reads, and checks, its rows)."""
        rows = self.db.execute("SELECT DISTINCT kind, name FROM mentions")
        return [Entity(kind, name) for kind, name in rows]

    def renamed(self, naming: dict[Entity, str]) -> list[Entity]:
        """Record how the build names each entity; return those named otherwise before."""
        before = {Entity(k, n): v for k, n, v in self._rows("naming", "SELECT * FROM naming")}
        changed = [e for e, v in naming.items() if before.get(e) != v]
        self._delete(
            "naming",
            "kind = ? AND name = ?",
            [(e.kind, e.name) for e in before.keys() - naming.keys()],
        )
        self._put("naming", [(e.kind, e.name, naming[e]) for e in changed])
        return changed

    def mentioning(self, entities: list[Entity]) -> set[str]:
        """The keys of the articles that mention any of these entities."""
        keys: set[str] = set()
        for entity in entities:
            rows = self._rows(
                "mentions",
                "SELECT * FROM mentions WHERE kind = ? AND name = ?",
                (entity.kind, entity.name),
            )
            keys.update(row[0] for row in rows)
        return keys

    # the shared section ---------------------------------------------------------------

    def apply(self, delta: Counter[Terms]) -> tuple[set[Terms], set[Terms]]:
        """Add the articles' counts to the shared triples; return those that appeared and
        those that vanished (now stated by no article)."""
        counts = self._add_counts("shared", "s", delta)  # type: ignore[arg-type]
        appeared = {t for t, (old, new) in counts.items() if old <= 0 < new}
        vanished = {t for t, (old, new) in counts.items() if new <= 0 < old}
        self._rewrite_blocks({s for s, _, _ in appeared | vanished})  # type: ignore[misc]
        totals = Counter({"shared": len(appeared) - len(vanished)})
        totals.update(f"type {o}" for _, p, o in appeared if p == "rdf:type")  # type: ignore[misc]
        totals.subtract(f"type {o}" for _, p, o in vanished if p == "rdf:type")  # type: ignore[misc]
        self._add_totals(totals)
        return appeared, vanished  # type: ignore[return-value]

    def _rewrite_blocks(self, subjects: set[str]) -> None:
        """Render again the Turtle block of each subject whose triples changed."""
        pairs: dict[str, set[tuple[str, str]]] = {}
        for s, p, o in self.about(sorted(subjects)):
            pairs.setdefault(s, set()).add(("a" if p == "rdf:type" else p, o))
        self._put("blocks", [(s, _block(s, found)) for s, found in pairs.items()])
        self._delete("blocks", "s = ?", [(s,) for s in subjects - pairs.keys()])

    def about(self, nodes: list[str], column: str = "s") -> Iterator[Terms]:
        """The shared triples with one of these nodes as subject (or, with column "o", object)."""
        return ((s, p, o) for s, p, o, _ in self._where_in("shared", column, nodes))

    def blocks(self) -> Iterator[str]:
        """The shared section's blocks, subjects A-Z (SQLite compares text as UTF-8 bytes,
        which orders as Python orders the strings)."""
        return (text for _, text in self._rows("blocks", "SELECT * FROM blocks ORDER BY s"))

    def shared_size(self) -> int:
        return self._total("shared")

    def shared_types(self) -> Counter[str]:
        """How many shared nodes each class has."""
        rows = self._rows("totals", "SELECT * FROM totals WHERE name LIKE 'type %' AND n > 0")
        return Counter({name.removeprefix("type "): n for name, n in rows})

    # totals ---------------------------------------------------------------------------

    def _add_totals(self, counts: Counter[str]) -> None:
        self._add_counts("totals", "name", Counter({(name,): n for name, n in counts.items()}))

    def _total(self, name: str) -> int:
        rows = list(self._rows("totals", "SELECT * FROM totals WHERE name = ?", (name,)))
        return int(rows[0][1]) if rows else 0

    # facts ----------------------------------------------------------------------------

    def count_facts(self, delta: Counter[str]) -> int:
        """Add the articles' counts to the facts; return how many distinct facts there are."""
        counts = self._add_counts("facts", "fact", Counter({(f,): n for f, n in delta.items()}))
        grew = sum((new > 0) - (old > 0) for old, new in counts.values())
        self._add_totals(Counter(facts=grew))
        return self._total("facts")


def built_from(graph: Path) -> Path | None:
    """The articles folder the last build of `graph` read, as the cache beside it records;
    None when no cache there says (none, or one that does not open: the next build
    replaces it).  Opened immutable, so reading leaves no SQLite file beside the cache."""
    path = cache_path(graph)
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE name = 'articles'").fetchone()
        finally:
            db.close()
        return Path(json.loads(row[0])) if row else None
    except (sqlite3.DatabaseError, ValueError):
        return None


def file_id(path: Path) -> list[int]:
    """What tells a file from an edited one without reading it, as git's index does: size,
    mtime, ctime (which no one can set back) and inode."""
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
