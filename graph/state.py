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
- `files`: each article file's size and mtime when its key was last
  computed, so an unchanged file is not read and hashed again (as git's index);
- in `meta`, the graph file this all describes (size, mtime, inode) and the
  renderer version it was rendered with.

A build applies its changed articles' difference to these tables; a build
that fails rolls the transaction back, so they always describe the last good
graph.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bosch_kg.extract.claims import Entity
from bosch_kg.graph.cache import article_key, extractor_version
from bosch_kg.graph.names import Mentions, NameCounts, fold_lookalikes, name_key
from bosch_kg.graph.serialize import _block

#: A triple as Turtle terms (subject, predicate, object).
Terms = tuple[str, str, str]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS built (
    key TEXT PRIMARY KEY, article TEXT NOT NULL, signature TEXT NOT NULL,
    triples INTEGER NOT NULL, claims INTEGER NOT NULL, types TEXT NOT NULL,
    start INTEGER NOT NULL, length INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    cluster TEXT NOT NULL, spelling TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_by_key ON mentions (key);
CREATE INDEX IF NOT EXISTS mentions_by_name ON mentions (kind, name);
CREATE TABLE IF NOT EXISTS contexts (
    key TEXT NOT NULL, kind TEXT NOT NULL, cluster TEXT NOT NULL, series TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contexts_by_key ON contexts (key);
CREATE TABLE IF NOT EXISTS spellings (
    kind TEXT NOT NULL, cluster TEXT NOT NULL, spelling TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, cluster, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS casts (
    kind TEXT NOT NULL, cluster TEXT NOT NULL, series TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, cluster, series)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS naming (
    kind TEXT NOT NULL, name TEXT NOT NULL, naming TEXT NOT NULL, PRIMARY KEY (kind, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shared (
    s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (s, p, o)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shared_by_object ON shared (o);
CREATE TABLE IF NOT EXISTS blocks (s TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, key TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (fact TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
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

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(_SCHEMA)

    def _where_in(self, select: str, column: str, values: list[str]) -> Iterator[tuple]:
        """The rows of `select ... WHERE column IN (values)`, asked a chunk of values at a time."""
        for i in range(0, len(values), _CHUNK):
            chunk = values[i : i + _CHUNK]
            yield from self.db.execute(
                f"{select} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk
            )

    def clear(self) -> None:
        """Forget the last build: the next one starts from nothing.  The article files' keys
        stay: they depend on the files and the extractor alone (a full build that cleared
        them left the next build to read and hash every article again: 1.2 s at 10,000)."""
        for table in _TABLES:
            if table != "files":
                self.db.execute(f"DELETE FROM {table}")
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
        """Whether the graph file is the one the last build wrote (same size, mtime, inode)."""
        try:
            return self._meta("graph") == json.dumps(_file_id(graph))
        except OSError:
            return False

    def set_graph(self, graph: Path) -> None:
        self._set_meta("graph", json.dumps(_file_id(graph)))

    # files ----------------------------------------------------------------------------

    def keys(self, files: list[Path]) -> dict[str, Path]:
        """The cache key of each article file; only files whose size or mtime changed are read."""
        if self._meta("extractor") != extractor_version():  # keys hash the extractor too
            self.db.execute("DELETE FROM files")
            self._set_meta("extractor", extractor_version())
        known = {
            name: (size, mtime, key)
            for name, size, mtime, key in self.db.execute("SELECT * FROM files")
        }
        keys, seen = {}, []
        for path in files:
            info = path.stat()
            found = known.get(path.name)
            if found and found[:2] == (info.st_size, info.st_mtime_ns):
                keys[found[2]] = path
                continue
            key = article_key(path.read_bytes(), path.name)
            keys[key] = path
            seen.append((path.name, info.st_size, info.st_mtime_ns, key))
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", seen)
        gone = known.keys() - {path.name for path in files}
        self.db.executemany("DELETE FROM files WHERE name = ?", [(name,) for name in gone])
        return keys

    # articles -------------------------------------------------------------------------

    def built(self) -> dict[str, Built]:
        """Every article of the last good graph, by cache key."""
        rows = self.db.execute(
            "SELECT key, article, signature, triples, claims, types, start, length FROM built"
        )
        return {
            key: Built(article, sign, triples, claims, tuple(types.split()), start, length)
            for key, article, sign, triples, claims, types, start, length in rows
        }

    def put_built(self, rows: Iterable[tuple[str, Built]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO built VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    key,
                    b.article,
                    b.signature,
                    b.triples,
                    b.claims,
                    " ".join(b.types),
                    b.start,
                    b.length,
                )
                for key, b in rows
            ],
        )

    def forget(self, keys: Iterable[str]) -> None:
        """Drop articles that left the graph: their row, their names and their counts."""
        spelled, named = Counter[tuple[str, ...]](), Counter[tuple[str, ...]]()
        for key in keys:
            spelled.subtract(
                self.db.execute(
                    "SELECT DISTINCT kind, cluster, spelling FROM mentions WHERE key = ?", (key,)
                ).fetchall()
            )
            named.subtract(
                self.db.execute(
                    "SELECT kind, cluster, series FROM contexts WHERE key = ?", (key,)
                ).fetchall()
            )
            for table in ("built", "mentions", "contexts"):
                self.db.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
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
        self.db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", rows)
        self.db.executemany("INSERT INTO contexts VALUES (?, ?, ?, ?)", contexts)
        self._count_names(spelled, named)

    def _count_names(
        self, spelled: Counter[tuple[str, ...]], named: Counter[tuple[str, ...]]
    ) -> None:
        """Add to the counts of spellings and of (name, series) pairs; drop those now at 0."""
        for table, counts in (("spellings", spelled), ("casts", named)):
            self.db.executemany(
                f"INSERT INTO {table} VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET n = n + excluded.n",
                [(*row, n) for row, n in counts.items()],
            )
            self.db.execute(f"DELETE FROM {table} WHERE n <= 0")

    def names(self) -> NameCounts:
        """Every article's names, counted as the resolver counts them."""
        names = NameCounts()
        for kind, cluster, spelling, articles in self.db.execute("SELECT * FROM spellings"):
            names.spellings[(kind, cluster)][spelling] = articles
        for kind, cluster, series, _ in self.db.execute("SELECT * FROM casts"):
            names.context[(kind, cluster)].add(series)
        return names

    def entities(self, keys: Iterable[str]) -> dict[str, list[Entity]]:
        """The entities each of these articles mentions."""
        found: dict[str, list[Entity]] = {}
        for key, kind, name in self._where_in(
            "SELECT key, kind, name FROM mentions", "key", list(keys)
        ):
            found.setdefault(key, []).append(Entity(kind, name))
        return found

    def all_entities(self) -> list[Entity]:
        rows = self.db.execute("SELECT DISTINCT kind, name FROM mentions")
        return [Entity(kind, name) for kind, name in rows]

    def renamed(self, naming: dict[Entity, str]) -> list[Entity]:
        """Record how the build names each entity; return those named otherwise before."""
        before = {Entity(k, n): v for k, n, v in self.db.execute("SELECT * FROM naming")}
        changed = [e for e, v in naming.items() if before.get(e) != v]
        self.db.executemany(
            "DELETE FROM naming WHERE kind = ? AND name = ?",
            [(e.kind, e.name) for e in before.keys() - naming.keys()],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO naming VALUES (?, ?, ?)",
            [(e.kind, e.name, naming[e]) for e in changed],
        )
        return changed

    def mentioning(self, entities: list[Entity]) -> set[str]:
        """The keys of the articles that mention any of these entities."""
        keys: set[str] = set()
        for entity in entities:
            rows = self.db.execute(
                "SELECT key FROM mentions WHERE kind = ? AND name = ?", (entity.kind, entity.name)
            )
            keys.update(key for (key,) in rows)
        return keys

    # the shared section ---------------------------------------------------------------

    def apply(self, delta: Counter[Terms]) -> tuple[set[Terms], set[Terms]]:
        """Add the articles' counts to the shared triples; return those that appeared and
        those that vanished (now stated by no article)."""
        changed = sorted(t for t, n in delta.items() if n)  # in key order: B-tree appends
        before = self._counts(changed)
        appeared, vanished = set(), set()
        for triple in changed:
            old = before.get(triple, 0)
            new = old + delta[triple]
            if old == 0 and new > 0:
                appeared.add(triple)
            elif old > 0 and new <= 0:
                vanished.add(triple)
        self.db.executemany(
            "INSERT INTO shared VALUES (?, ?, ?, ?) "
            "ON CONFLICT (s, p, o) DO UPDATE SET n = n + excluded.n",
            [(*t, delta[t]) for t in changed],
        )
        self.db.executemany("DELETE FROM shared WHERE s = ? AND p = ? AND o = ?", vanished)
        self._rewrite_blocks({s for s, _, _ in appeared | vanished})
        totals = Counter({"shared": len(appeared) - len(vanished)})
        totals.update(f"type {o}" for _, p, o in appeared if p == "rdf:type")
        totals.subtract(f"type {o}" for _, p, o in vanished if p == "rdf:type")
        self._add_totals(totals)
        return appeared, vanished

    def _counts(self, triples: list[Terms]) -> dict[Terms, int]:
        wanted = set(triples)
        subjects = sorted({s for s, _, _ in triples})
        rows = self._where_in("SELECT s, p, o, n FROM shared", "s", subjects)
        return {(s, p, o): n for s, p, o, n in rows if (s, p, o) in wanted}

    def _rewrite_blocks(self, subjects: set[str]) -> None:
        """Render again the Turtle block of each subject whose triples changed."""
        pairs: dict[str, set[tuple[str, str]]] = {}
        for s, p, o in self.about(sorted(subjects)):
            pairs.setdefault(s, set()).add(("a" if p == "rdf:type" else p, o))
        self.db.executemany(
            "INSERT OR REPLACE INTO blocks VALUES (?, ?)",
            [(s, _block(s, found)) for s, found in pairs.items()],
        )
        self.db.executemany(
            "DELETE FROM blocks WHERE s = ? AND NOT EXISTS (SELECT 1 FROM shared WHERE s = ?)",
            [(s, s) for s in subjects],
        )

    def about(self, nodes: list[str], column: str = "s") -> Iterator[Terms]:
        """The shared triples with one of these nodes as subject (or, with column "o", object)."""
        return self._where_in("SELECT s, p, o FROM shared", column, nodes)

    def blocks(self) -> Iterator[str]:
        """The shared section's blocks, subjects A-Z (SQLite compares text as UTF-8 bytes,
        which orders as Python orders the strings)."""
        return (text for (text,) in self.db.execute("SELECT text FROM blocks ORDER BY s"))

    def shared_size(self) -> int:
        return self._total("shared")

    def shared_types(self) -> Counter[str]:
        """How many shared nodes each class has."""
        rows = self.db.execute("SELECT name, n FROM totals WHERE name LIKE 'type %' AND n > 0")
        return Counter({name.removeprefix("type "): n for name, n in rows})

    # totals ---------------------------------------------------------------------------

    def _add_totals(self, counts: Counter[str]) -> None:
        self.db.executemany(
            "INSERT INTO totals VALUES (?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
            [(name, n) for name, n in counts.items() if n],
        )

    def _total(self, name: str) -> int:
        row = self.db.execute("SELECT n FROM totals WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    # facts ----------------------------------------------------------------------------

    def count_facts(self, delta: Counter[str]) -> int:
        """Add the articles' counts to the facts; return how many distinct facts there are."""
        changed = sorted(fact for fact, n in delta.items() if n)  # in key order: B-tree appends
        before = dict(self._where_in("SELECT fact, n FROM facts", "fact", changed))
        grew = sum(
            (before.get(fact, 0) + delta[fact] > 0) - (before.get(fact, 0) > 0) for fact in changed
        )
        self.db.executemany(
            "INSERT INTO facts VALUES (?, ?) ON CONFLICT (fact) DO UPDATE SET n = n + excluded.n",
            [(fact, delta[fact]) for fact in changed],
        )
        self.db.executemany(
            "DELETE FROM facts WHERE fact = ? AND n <= 0", [(f,) for f, n in delta.items() if n < 0]
        )
        self._add_totals(Counter(facts=grew))
        return self._total("facts")


def _file_id(graph: Path) -> list[int]:
    info = os.stat(graph)
    return [info.st_size, info.st_mtime_ns, info.st_ino]
