"""Read an article file: decode it, split off the front matter, find title and byline.

Bad input is the user's to fix, so every failure is an InputError naming the
file and the line, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bosch_kg.errors import InputError
from bosch_kg.extract.clean import fold
from bosch_kg.extract.dates import parse_date

FRONT_MATTER_KEYS = ("url", "title", "author", "published")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s?(.*)$")


@dataclass(frozen=True)
class Document:
    """An article's text with its front matter taken apart."""

    id: str  # file name without extension
    path: str
    text: str  # the whole file, as decoded: evidence offsets point into it
    body_start: int  # offset of the first character after the front matter
    front: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


def read_document(path: Path) -> Document:
    """Decode a UTF-8 article file and parse it."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror}") from None
    return parse_document(decode_utf8(raw, path), path.stem, str(path))


def decode_utf8(raw: bytes, where: str | Path) -> str:
    """UTF-8 bytes as text; anything else is an error naming the file and the line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(where, "not UTF-8 text", line=line) from None


def check_article_names(files: Iterable[Path]) -> None:
    """Refuse file names the graph cannot hold: an article's id is its file name without
    extension, so it must be text, and no two files may share it (a.txt and a.md)."""
    by_id: dict[str, Path] = {}
    for path in files:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(path, "the file name is not UTF-8 text; rename the file") from None
        first = by_id.setdefault(path.stem, path)
        if first is not path:
            raise InputError(
                f"{first} and {path.name}",
                f"two files of one article {path.stem!r} (its id is the file name "
                "without extension); remove or rename one",
            )


def parse_document(text: str, article_id: str, path: str = "") -> Document:
    """Split the optional `---` front-matter block from the body and check both."""
    where = path or article_id
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(where, "empty file", line=1)
    front: dict[str, str] = {}
    body_start = 0
    lines = text.splitlines(keepends=True)
    if lines[0].strip() == "---":
        if not any(line.strip() == "---" for line in lines[1:]):
            raise InputError(where, "front matter opened with '---' is never closed", line=1)
        offset = len(lines[0])
        for number, line in enumerate(lines[1:], start=2):
            stripped = line.strip()
            if stripped == "---":
                body_start = offset + len(line)
                break
            offset += len(line)
            if not stripped:
                continue
            match = _KEY_LINE.match(stripped)
            if not match:
                raise InputError(
                    where, f"malformed front-matter line {stripped[:40]!r}", line=number
                )
            front[match[1].lower()] = match[2].strip()
        if not text[body_start:].strip():
            raise InputError(where, "no article text after the front matter", line=len(lines))
    return Document(id=article_id, path=path, text=text, body_start=body_start, front=front)


def iso_date(value: str) -> str | None:
    """An ISO 8601 date for '2020-04-22' or 'July 9, 2025' style strings, else None."""
    value = fold(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return parse_date(value)
