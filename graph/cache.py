"""Per-article cache: an article is extracted again only when its text or the rules change.

Entries live in one SQLite file beside the graph (`graph.ttl.cache.sqlite`),
keyed by a hash of the article's bytes and the extractor's version (its source
and rule files), so changing one article replaces its entries and editing a
rule invalidates them all.  Each article has two entries: its claims, and its
share of the graph (see graph/parts.py).  One file, not two files an article:
at ten thousand articles, creating and unlinking twenty thousand small files
cost more than the work they saved.  SQLite's journal keeps the file whole
when a build is killed.  An entry carries its key and a checksum of its
payload; a corrupt, truncated or foreign entry is a miss, and a file that is
not our database is replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim

#: Bumped when the entry layout or the tables of graph/state.py change.
CACHE_FORMAT = 7
EXTRACTOR_DIR = Path(__file__).resolve().parent.parent / "extract"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT NOT NULL, kind TEXT NOT NULL, head TEXT NOT NULL, payload BLOB NOT NULL,
    PRIMARY KEY (key, kind)
);
"""


@cache
def extractor_version() -> str:
    """A hash of the extractor's code and rule files: any edit to them is a new version."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for path in sorted(EXTRACTOR_DIR.rglob("*")):
        if path.suffix in (".py", ".toml", ".jsonl", ".yaml", ".txt") and path.is_file():
            digest.update(path.relative_to(EXTRACTOR_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def article_key(content: bytes, name: str) -> str:
    """The cache key of an article: its name, its bytes and the extractor version."""
    digest = hashlib.sha256(extractor_version().encode() + b"\0" + name.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()[:32]


def cache_path(graph: Path) -> Path:
    """Where the cache of a graph file lives: `<graph>.cache.sqlite` beside it."""
    return graph.with_name(graph.name + ".cache.sqlite")


#: The files SQLite keeps beside a database: its write-ahead log and its index, a journal.
SIDECARS = ("-wal", "-shm", "-journal")


def remove(path: Path) -> None:
    """Delete a cache and the files SQLite keeps beside it: the next open starts empty."""
    for name in ("", *SIDECARS):
        path.with_name(path.name + name).unlink(missing_ok=True)


class Cache:
    """The entries of one graph's cache; writes are kept until `commit` (or a clean exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: called before each commit (graph/tables.py seals its tables' header)
        self.before_commit: list[Callable[[], None]] = []
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:  # not a database, or not ours: start afresh
            remove(path)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # entries are checked when read
            db.executescript(_SCHEMA)
            found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if found != (str(CACHE_FORMAT),):  # another layout: start from empty tables
                tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                for (table,) in tables.fetchall():
                    db.execute(f"DROP TABLE {table}")
                db.executescript(_SCHEMA)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (CACHE_FORMAT,))
                db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @classmethod
    def reader(cls, path: Path) -> Cache:
        """The cache opened read-only, for worker processes beside the build that writes it."""
        reader = cls.__new__(cls)
        reader.path = path
        reader.before_commit = []
        reader._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        return reader

    @property
    def db(self) -> sqlite3.Connection:
        """The connection: graph/tables.py keeps the record's tables in the same file and
        transaction."""
        return self._db

    def read(self, key: str, kind: str, **header: str) -> bytes | None:
        """An entry's payload, or None when it is missing, foreign, stale or corrupt."""
        try:
            row = self._db.execute(
                "SELECT head, payload FROM entries WHERE key = ? AND kind = ?", (key, kind)
            ).fetchone()
            if row is None:
                return None
            head, payload = row
            expected = {"key": key, "kind": kind, **header}
            expected["sha256"] = hashlib.sha256(payload).hexdigest()
            return bytes(payload) if json.loads(head) == expected else None
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return None

    def write(self, key: str, kind: str, payload: bytes, **header: str) -> None:
        """Put an entry under its key, with a checksum of the payload and any header fields."""
        head = {"key": key, "kind": kind, **header, "sha256": hashlib.sha256(payload).hexdigest()}
        self._db.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
            (key, kind, json.dumps(head), payload),
        )

    def keep_only(self, keys: set[str]) -> None:
        """Remove the entries of articles that are gone or changed."""
        stored = {k for (k,) in self._db.execute("SELECT DISTINCT key FROM entries")}
        self._db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in stored - keys])

    def commit(self) -> None:
        for prepare in self.before_commit:
            prepare()
        self._db.commit()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        """Commit what a finished build wrote; drop what a failed one had not committed."""
        try:
            if error is None:
                self.commit()
            else:
                self._db.rollback()
        finally:
            self._db.close()


def claims_payload(claims: ArticleClaims) -> bytes:
    """An article's claims as their cache entry holds them."""
    return json.dumps(
        {
            "meta": asdict(claims.meta),
            "claims": [c.to_json() for c in claims.claims],
            "skipped": claims.skipped,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def store_claims(entries: Cache, key: str, claims: ArticleClaims) -> None:
    """Put an article's claims under its key."""
    entries.write(key, "claims", claims_payload(claims))


def load_claims(entries: Cache, key: str) -> ArticleClaims | None:
    """The cached claims for a key, or None when the entry is missing or not to be trusted."""
    payload = entries.read(key, "claims")
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        return ArticleClaims(
            meta=ArticleMeta(**data["meta"]),
            claims=[Claim.from_json(c) for c in data["claims"]],
            skipped=list(data["skipped"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
