"""Per-article claim cache: an article is extracted again only when its text or the rules change.

Each article's claims live in their own file, `cache/<key>.json`, where the
key hashes the article's bytes and the extractor's version (its source and
rule files), so changing one article replaces one entry and editing a rule
invalidates them all.  Beside it, `cache/<key>.part` holds the article's
share of the graph (see graph/parts.py).  An entry carries its own key and a checksum of its
payload; a corrupt, truncated or foreign entry is a miss, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim
from bosch_kg.graph.store import atomic_write

#: Bumped when the entry layout changes.
CACHE_FORMAT = 2
EXTRACTOR_DIR = Path(__file__).resolve().parent.parent / "extract"


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


def entry_path(folder: Path, key: str, kind: str = "claims") -> Path:
    """The file of one entry: an article's claims (`<key>.json`) or its graph part."""
    return folder / f"{key}.{_SUFFIXES[kind]}"


_SUFFIXES = {"claims": "json", "part": "part"}


def write_entry(folder: Path, key: str, kind: str, payload: bytes, **header: str) -> None:
    """Write an entry under its key, with a checksum of the payload and any header fields."""
    head = {"format": CACHE_FORMAT, "key": key, **header}
    head["sha256"] = hashlib.sha256(payload).hexdigest()
    data = json.dumps(head).encode() + b"\n" + payload
    atomic_write(entry_path(folder, key, kind), data, fsync=False)


def read_entry(folder: Path, key: str, kind: str, **header: str) -> bytes | None:
    """An entry's payload, or None when it is missing, foreign, stale or corrupt."""
    try:
        head, _, payload = entry_path(folder, key, kind).read_bytes().partition(b"\n")
        expected = {"format": CACHE_FORMAT, "key": key, **header}
        expected["sha256"] = hashlib.sha256(payload).hexdigest()
        return payload if json.loads(head) == expected else None
    except (OSError, ValueError):
        return None


def _payload(claims: ArticleClaims) -> bytes:
    return json.dumps(
        {
            "meta": asdict(claims.meta),
            "claims": [c.to_json() for c in claims.claims],
            "skipped": claims.skipped,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def store_entry(folder: Path, key: str, claims: ArticleClaims) -> None:
    """Write an article's claims under its key."""
    write_entry(folder, key, "claims", _payload(claims))


def load_entry(folder: Path, key: str) -> ArticleClaims | None:
    """The cached claims for a key, or None when the entry is missing or not to be trusted."""
    payload = read_entry(folder, key, "claims")
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


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the entries of articles that are gone or changed (and stray temp files)."""
    if not folder.is_dir():
        return
    suffixes = {"." + s for s in _SUFFIXES.values()}
    for path in folder.iterdir():
        if path.suffix in suffixes and path.stem not in keep or path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
