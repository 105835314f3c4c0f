"""Where things are by default: the seeds, the output folder, the graph file."""

from __future__ import annotations

from pathlib import Path

#: The checkout the package was installed from (editable install), if any.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _base() -> Path:
    """The project checkout when it is there, else the working directory."""
    return PROJECT_ROOT if (PROJECT_ROOT / "seeds").is_dir() else Path.cwd()


def default_articles() -> Path:
    return _base() / "seeds"


def default_output_dir() -> Path:
    return _base() / "output"


def default_graph() -> Path:
    return default_output_dir() / "graph.ttl"
