"""Typed errors the library raises; the CLI turns them into one line and an exit code."""

from __future__ import annotations

import sys
from pathlib import Path


class BoschKGError(Exception):
    """Base of every error the tool reports to its user without a traceback."""


class InputError(BoschKGError):
    """Bad input: names the file and, where known, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        """Pickle with the constructor's arguments, so the error crosses from a worker process."""
        return (type(self), (self.path, self.message, self.line))


def notice(line: str) -> None:
    """Say in one line on stderr what the tool did about a fault it could repair itself (a
    cache or store it had to make anew): the command goes on."""
    print(line, file=sys.stderr, flush=True)
