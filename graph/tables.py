"""Tables that check themselves, in the cache's SQLite connection and transaction.

A rebuild trusts the record of the last build as much as the graph itself (it
copies sections where the record says they lie, and checks the shapes only on
what changed).  So every row ends with a checksum of its values, checked
whenever the row is read, and the table `checks` holds each table's row count
and the sum of its checksums, sealed before every commit and checked when the
tables are opened: a lost, added or edited row is `Inconsistent`.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator

from bosch_kg.errors import BoschKGError
from bosch_kg.graph.cache import Cache

_CHECKS = """
CREATE TABLE IF NOT EXISTS checks (
    name TEXT PRIMARY KEY, rows INTEGER NOT NULL, sum INTEGER NOT NULL
) WITHOUT ROWID;
"""

#: SQLite's limit on the parameters of one statement is 32,766; stay well under it.
_CHUNK = 500


class Inconsistent(BoschKGError):
    """The cache's record does not check out: a row lost, added or edited, or an entry or
    a section of the graph file it names missing.  The build drops the cache and starts
    from the articles."""


def checksum(row: tuple[object, ...]) -> int:
    """A row's checksum: CRC-32 of its values' repr (32 bits, so SQLite sums millions)."""
    return zlib.crc32(repr(row).encode("utf-8"))


class Tables:
    """Some tables of the cache file, each row checked when read, each table against its
    header when opened."""

    def __init__(self, entries: Cache, schema: str, names: tuple[str, ...]) -> None:
        """Create the tables if need be and check them (`Inconsistent` if they do not match
        their header); the header is sealed again before each of the cache's commits."""
        self.db: sqlite3.Connection = entries.db
        self.db.executescript(schema + _CHECKS)
        self.names = names
        self._dirty: set[str] = set()
        entries.before_commit.append(self.seal)
        self.verify()

    def _tally(self, table: str) -> tuple[int, int]:
        """A table's row count and checksum sum, counted by SQLite (milliseconds)."""
        query = f"SELECT count(*), coalesce(sum(ck), 0) FROM {table}"
        rows, total = self.db.execute(query).fetchone()
        return int(rows), int(total)

    def verify(self) -> None:
        """Raise `Inconsistent` unless every table holds the rows its header says."""
        header = self.db.execute("SELECT * FROM checks")
        sealed = {name: (rows, total) for name, rows, total in header}
        for table in self.names:
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

    def rows(self, table: str, select: str, params: Iterable[object] = ()) -> Iterator[tuple]:
        """The rows of a `SELECT * FROM table ...`, each checked and without its checksum."""
        crc32 = zlib.crc32  # `checksum`, inlined: a rebuild checks tens of thousands of rows
        for row in self.db.execute(select, tuple(params)):
            values = row[:-1]
            if crc32(repr(values).encode("utf-8")) != row[-1]:
                raise Inconsistent(f"a row of table {table} does not match its checksum")
            yield values

    def where_in(self, table: str, column: str, values: list[str]) -> Iterator[tuple]:
        """The rows of the table whose `column` is one of `values`, a chunk at a time."""
        for i in range(0, len(values), _CHUNK):
            chunk = values[i : i + _CHUNK]
            yield from self.rows(
                table,
                f"SELECT * FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})",
                chunk,
            )

    def put(self, table: str, rows: Iterable[tuple], verb: str = "INSERT OR REPLACE") -> None:
        """Write rows, each with its checksum."""
        checked = [(*row, checksum(tuple(row))) for row in rows]
        if checked:
            self._dirty.add(table)
            marks = ",".join("?" * len(checked[0]))
            self.db.executemany(f"{verb} INTO {table} VALUES ({marks})", checked)

    def delete(self, table: str, where: str, params: Iterable[tuple]) -> None:
        self._dirty.add(table)
        self.db.executemany(f"DELETE FROM {table} WHERE {where}", params)

    def add_counts(
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
            for row in self.where_in(table, by, sorted({key[place] for key in changed}))
            if row[:width] in wanted
        }
        counts = {key: (before.get(key, 0), before.get(key, 0) + delta[key]) for key in changed}
        self.put(table, [(*key, new) for key, (_, new) in counts.items() if new > 0])
        gone = [key for key, (old, new) in counts.items() if old and new <= 0]
        where = f"({','.join(columns[:width])}) = ({','.join('?' * width)})"
        self.delete(table, where, gone)
        return counts

    def empty(self, table: str) -> None:
        self.delete(table, "1", [()])

    # meta: single values, kept in the cache's own table --------------------------------

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def drop_meta(self, *names: str) -> None:
        self.db.executemany("DELETE FROM meta WHERE name = ?", [(n,) for n in names])
