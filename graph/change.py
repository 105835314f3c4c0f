"""What a build changes in the graph, relative to the last good one.

`graph/update.py` works it out; the build writes the graph file from it and the
query store (graph/query_store.py) is updated, or loaded, by it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from bosch_kg.graph.state import Built, Terms
from bosch_kg.graph.validate import ValidationReport


@dataclass
class Section:
    """An article's section of the new file: where its text lies in the build's spool of
    sections rendered anew, or None to copy the section from the old file."""

    key: str
    built: Built
    #: (start, length) in the spool
    spooled: tuple[int, int] | None


@dataclass
class Change:
    """What this build changes in the graph, relative to the last good one."""

    #: the text of the sections rendered in this build, end to end
    spool: BinaryIO
    head: str
    #: every article's section, in article id order
    sections: list[Section]
    #: shared triples no article stated before / no article states any more
    appeared: set[Terms]
    vanished: set[Terms]
    #: the IRIs of the articles whose own section is new, changed or gone
    replaced: set[str]
    #: the own nodes (article, rating) of the articles rendered anew, as Turtle
    own_nodes: list[str]
    #: reports of the per-article shapes on the parts rendered in this build
    checks: list[ValidationReport]
    #: the nodes of the shared triples that appeared or vanished
    focus: set[str]
    triples: int
    #: triples in the shared section
    shared_triples: int
    claims: int
    facts: int
    types: Counter[str]
    #: articles read from their files while rendering (their cached claims were spoilt)
    extracted: int

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.vanished or self.replaced)


#: Called with each article's cache key and section as the article is rendered.
Rendered = Callable[[str, bytes], None]
