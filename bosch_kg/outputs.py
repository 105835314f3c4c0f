"""The one check every command runs on a file it is asked to write, before it writes anything.

A graph written over an article, the graph it was read from or the ontology
destroys the input; a file written into the articles folder is read back as an
article by the next build; a device, FIFO, socket or folder is not a file to
replace.  Each is refused in one line, so nothing is written and the last good
graph stays as it was.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from bosch_kg.errors import BoschKGError
from bosch_kg.ontology import ONTOLOGY_FILE


class OutputError(BoschKGError):
    """A file the command must not, or cannot, write."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")


def _landing(path: Path) -> Path:
    """Where a written file ends up: the name in its resolved folder (a link there is replaced)."""
    return path.parent.resolve() / path.name


def _ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_FILE.parent.glob("*.ttl"))


def check_output(
    path: Path,
    *,
    reads: Iterable[Path] = (),
    articles: Path | None = None,
    make_folders: bool = False,
) -> Path:
    """Refuse an output that is an input, would be read as one, or is not a regular file.

    `reads` are the files the command reads; `articles` is the folder a build
    reads every file of.  Without `make_folders`, the output's folder must exist.
    """
    if path.name in ("", ".", ".."):
        raise OutputError(path, "not a file name")
    where = _landing(path)
    for source in (*reads, *_ontology_files()):
        if where == source.resolve():
            raise OutputError(path, "would overwrite an input (the graph, or the ontology)")
    if articles is not None and where.parent == articles.resolve():
        raise OutputError(
            path, f"is inside the articles folder {articles} (the build reads every file there)"
        )
    _check_folder(path, make_folders)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise OutputError(
            path, "exists and is not a regular file (a folder, device, FIFO or socket)"
        )
    return path


def _check_folder(path: Path, make_folders: bool) -> None:
    """The output's folder must be a folder; a missing one is an error unless it is made."""
    for folder in path.parents:
        if folder.is_dir():
            return
        if folder.exists():
            raise OutputError(path, f"{folder} is not a folder")
        if not make_folders:
            raise OutputError(path, f"no folder {folder}; create it first")
