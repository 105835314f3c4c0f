"""From the last good graph to this build's: render what changed, merge the difference, write.

The graph file is a shared section (the entities, their names and the facts
between them, merged across articles) followed by one section per article
(graph/parts.py).  A build compares the articles with the last good build
(graph/state.py): new and changed articles, and those whose entities the
build now names otherwise, are rendered again; the others keep their
section.  Only the rendered articles' shared triples are counted in or out
of the shared section, only the shapes that look at the nodes they touch run
again, and the file is written by copying the unchanged sections of the old
file.  So a rebuild's work grows with the change.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from bosch_kg.extract.pipeline import extract_article
from bosch_kg.graph import cache, parts
from bosch_kg.graph.assemble import PREFIXES, Assembler
from bosch_kg.graph.change import Change, Rendered, Section
from bosch_kg.graph.incremental import LastBuild
from bosch_kg.graph.names import Mentions, Resolver
from bosch_kg.graph.parallel import in_workers
from bosch_kg.graph.serialize import TurtleTerms
from bosch_kg.graph.state import Built, Inconsistent, Record, SharedSection, Terms
from bosch_kg.graph.validate import PER_ARTICLE, ValidationReport, validate_turtle

#: Articles rendered and checked together in a worker.
RENDER_BATCH = 50


def section_text(nodes: str, evidence: bytes) -> bytes:
    """An article's section of the graph file: its own nodes, then its evidence."""
    text = b"\n" + nodes.encode("utf-8")
    return text + b"\n" + evidence if evidence else text


@dataclass(frozen=True)
class Plan:
    """What a build renders: how it names every entity, and which articles' parts change."""

    resolver: Resolver
    #: the articles of the last good graph, by cache key
    old: dict[str, Built]
    #: the signature of each article's part, by cache key
    signs: dict[str, str]
    #: the articles whose part is new or named otherwise since the last build
    redone: set[str]
    #: the articles of the last build that are gone
    gone: list[str]


def resolve(record: Record, articles: dict[str, Path], mentions: dict[str, Mentions]) -> Plan:
    """Resolve names across all the articles (cache key -> file) and find those to render.

    `mentions` are the names of the articles not in the last build; the others'
    are in the record already.  An article is rendered anew when it is new, or
    when an entity it mentions is named otherwise now (a new spelling elsewhere).
    """
    old, names = record.articles.built(), record.names
    gone = [key for key in old if key not in articles]
    record.articles.forget(gone)
    names.forget(gone)
    names.add(mentions)
    resolver = Resolver(names.counts())
    naming = {e: "\t".join(resolver.naming(e)) for e in names.all_entities()}
    renamed = names.mentioning(names.renamed(naming)) & articles.keys()
    # the new articles' names are at hand; the renamed ones' are read back from the record
    named = names.entities(renamed - mentions.keys())
    named.update((key, list(found.entities)) for key, found in mentions.items())
    signs = {
        key: parts.signature(resolver, named.get(key, [])) for key in renamed | mentions.keys()
    }
    signs.update({key: old[key].signature for key in articles if key not in signs})
    redone = {k for k in signs if k not in old or old[k].signature != signs[k]}
    return Plan(resolver, old, signs, redone, gone)


def update(
    last: LastBuild,
    articles: dict[str, Path],
    plan: Plan,
    workers: int | None = None,
    rendered: Rendered | None = None,
) -> Change:
    """Render what the plan says (every article, if the graph file is written whole), and
    count the rendered articles' shared triples and facts out of the graph and in again.

    The sections rendered go to the last build's spool, and `rendered` sees each
    (a query store loads them as they come).  Nothing is committed: the caller
    commits once the graph is valid and written.
    """
    shared, entries, spool = last.record.shared, last.entries, last.spool
    old, redone, gone = plan.old, plan.redone, plan.gone
    delta, facts = Counter[Terms](), Counter[str]()
    for key in gone + sorted(redone & old.keys()):
        part = parts.load(entries, key, old[key].signature)
        if part is None:
            raise Inconsistent(f"the part of article {old[key].article} is missing")
        delta.subtract(part.shared)
        facts.subtract(part.facts)
    made: dict[str, Section] = {}
    own_nodes: list[str] = []

    def take(key: str, part: parts.Part, text: bytes) -> None:
        if key in redone:
            delta.update(part.shared)
            facts.update(part.facts)
            own_nodes.append(part.nodes)
        built = Built(part.article, part.signature, part.triples, part.claims, part.types, 0, 0)
        made[key] = Section(key, built, (spool.tell(), len(text)))
        spool.write(text)
        if rendered is not None:
            rendered(key, text)

    render = sorted(articles.keys() if last.whole_file else redone)
    checks, extracted = _render(
        Assembler(plan.resolver), entries, render, plan.signs, articles, workers, take
    )
    appeared, vanished = shared.apply(delta)
    sections = sorted(
        (made.get(key) or Section(key, old[key], None) for key in articles),
        key=lambda s: (s.built.article, s.key),
    )
    replaced = {made[k].built.article for k in redone} | {old[k].article for k in gone}
    types = shared.types()
    for section in sections:
        types.update(section.built.types)
    changed = appeared | vanished
    shared_triples = shared.size()
    return Change(
        spool=spool,
        head=graph_head(),
        sections=sections,
        appeared=appeared,
        vanished=vanished,
        replaced=replaced,
        own_nodes=own_nodes,
        checks=checks,
        focus={t[1:-1] for triple in changed for t in (triple[0], triple[2]) if t[0] == "<"},
        triples=shared_triples + sum(s.built.triples for s in sections),
        shared_triples=shared_triples,
        claims=sum(s.built.claims for s in sections),
        facts=last.record.facts.count(facts),
        types=types,
        extracted=extracted,
    )


def _terms() -> TurtleTerms:
    return TurtleTerms({p: str(ns) for p, ns in PREFIXES.items()})


def graph_head() -> str:
    """The prefixes the graph file starts with; each section is Turtle after them."""
    return parts.terms_head(_terms())


def _render(
    assembler: Assembler,
    entries: cache.Cache,
    keys: list[str],
    signs: dict[str, str],
    articles: dict[str, Path],
    workers: int | None,
    take: Callable[[str, parts.Part, bytes], None],
) -> tuple[list[ValidationReport], int]:
    """Render the parts of `keys` in worker processes, check them, cache them, and `take`
    each with its section's text.

    Returns the per-article shapes' reports and how many articles had to be
    read from their files (their cached claims were spoilt).
    """
    global _RENDERING
    _RENDERING = assembler, _terms(), entries.path  # the forked workers inherit it
    items = [(key, signs[key], articles[key]) for key in keys]
    batches = [items[i : i + RENDER_BATCH] for i in range(0, len(items), RENDER_BATCH)]
    checks, extracted = [], 0
    try:
        for batch, check in in_workers(_render_batch, batches, workers, chunk=1):
            for key, part, evidence, claims in batch:
                if claims is not None:
                    cache.store_claims(entries, key, claims)
                    extracted += 1
                parts.store(entries, key, part)
                take(key, part, section_text(part.nodes, evidence))
            checks.append(check)
    finally:
        _RENDERING = None
    return checks, extracted


#: The build's assembler, Turtle writer and cache file, for `_render_batch` in forked workers.
_RENDERING: tuple[Assembler, TurtleTerms, Path] | None = None


def _render_batch(
    batch: list[tuple[str, str, Path]],
) -> tuple[list[tuple[str, parts.Part, bytes, object]], ValidationReport]:
    """Render a batch of parts and check them against the per-article shapes.

    Claims come from the cache (committed after extraction); a spoilt entry is
    extracted again from the file and handed back to be cached.
    """
    assert _RENDERING is not None, "set by _render before the workers start"
    assembler, terms, path = _RENDERING
    rendered = []
    with cache.Cache.reader(path) as entries:
        for key, sign, article in batch:
            claims = cache.load_claims(entries, key)
            fresh = claims is None
            if claims is None:
                claims = extract_article(article)
            part, evidence = parts.render(assembler, terms, claims, sign)
            rendered.append((key, part, evidence, claims if fresh else None))
    text = [parts.terms_head(terms)]
    for _, part, evidence, _ in rendered:
        text += [part.nodes, evidence, *(f"{s} {p} {o} ." for s, p, o in part.shared)]
    check = validate_turtle(
        "\n".join(t for t in text if t).encode("utf-8"), only=PER_ARTICLE.__contains__
    )
    return [(k, part, evidence.encode("utf-8"), c) for k, part, evidence, c in rendered], check


#: Nodes (and own-node blocks) checked at a time, so a large change's documents stay small.
CHECK_CHUNK = 10_000

#: A change that touches at least this share of the shared triples is checked on the whole
#: shared section at once: gathering each touched node's surroundings costs more.
WHOLE_SECTION_AT = 0.1


def focus_turtles(change: Change, shared: SharedSection) -> Iterator[bytes]:
    """What the core shapes need to see of the change, as Turtle documents.

    A large change (a full build) is one document: the shared section and the
    own nodes of every article rendered anew (10,000 articles: 3 s to check,
    against 14 s a chunk of nodes at a time).  Otherwise a chunk of the touched
    nodes (and of the articles rendered anew) at a time.
    """
    touched = len(change.appeared) + len(change.vanished)
    if touched >= WHOLE_SECTION_AT * change.shared_triples:
        yield "\n".join([change.head, *shared.blocks(), *change.own_nodes]).encode("utf-8")
        return
    focus = sorted(change.focus)
    for i in range(0, max(len(focus), len(change.own_nodes)), CHECK_CHUNK):
        nodes, own = focus[i : i + CHECK_CHUNK], change.own_nodes[i : i + CHECK_CHUNK]
        yield focus_turtle(change.head, nodes, own, shared)


def focus_turtle(head: str, nodes: list[str], own_nodes: list[str], shared: SharedSection) -> bytes:
    """What the core shapes need to judge some nodes and some articles' own nodes, as Turtle.

    The shared triples about those nodes, every triple about the roles these
    name (a role's shapes look at all of it), and the type and name of every
    other node named: enough for the shapes to judge those nodes, and nothing
    they would misjudge for want of the rest of the graph.
    """
    focus = [f"<{n}>" for n in nodes]
    triples = _about(shared, focus)
    named = _named(triples, own_nodes)
    typed = {t for t in shared.about(sorted(named)) if t[1] == "rdf:type"}
    roles = sorted({s for s, _, o in typed if o == "bkg:Role"} - set(focus))
    triples |= _about(shared, roles)
    named = _named(triples, own_nodes) - set(focus) - set(roles)
    triples |= {t for t in shared.about(sorted(named)) if t[1] in ("rdf:type", "rdfs:label")}
    lines = [head, *own_nodes, *(f"{s} {p} {o} ." for s, p, o in sorted(triples))]
    return "\n".join(lines).encode("utf-8")


def _about(shared: SharedSection, nodes: list[str]) -> set[Terms]:
    """The shared triples with one of these nodes as subject or object."""
    return {*shared.about(nodes), *shared.about(nodes, "o")}


_IRI = re.compile(r"<[^>]*>")


def _named(triples: set[Terms], own_nodes: list[str]) -> set[str]:
    """The IRIs (as Turtle terms) in some triples and own-node blocks."""
    found = {t for s, _, o in triples for t in (s, o) if t[0] == "<"}
    return found | {m for text in own_nodes for m in _IRI.findall(text)}


def write_graph(change: Change, record: Record, out: BinaryIO, old: Path) -> None:
    """Write the graph file: the head, the shared blocks, then every article's section.

    Sections are copied with copy_file_range, without passing through Python:
    those rendered anew from the spool, the others from the `old` file (the
    one the record describes), a run of adjacent ones at a time.  The record
    then keeps where each section now lies.
    """
    copies = any(s.spooled is None for s in change.sections)
    change.spool.flush()
    with old.open("rb") if copies else nullcontext() as source:
        out.write(change.head.encode("utf-8"))
        for block in record.shared.blocks():
            out.write(b"\n" + block.encode("utf-8"))
        out.flush()
        start = out.tell()
        for run in _runs(change.sections):
            if run[0].spooled is None:
                _copy(source, out, run[0].built.start, sum(s.built.length for s in run))
            else:
                _copy(change.spool, out, *run[0].spooled)
            for section in run:
                length = section.spooled[1] if section.spooled else section.built.length
                section.built = replace(section.built, start=start, length=length)
                start += length
    out.flush()
    record.articles.put((s.key, s.built) for s in change.sections)


def _runs(sections: list[Section]) -> Iterator[list[Section]]:
    """Sections in runs: adjacent copied ones that lie end to end in the old file, or one new."""
    run: list[Section] = []
    for section in sections:
        last = run[-1] if run else None
        joins = (
            last is not None
            and last.spooled is None
            and section.spooled is None
            and last.built.start + last.built.length == section.built.start
        )
        if run and not joins:
            yield run
            run = []
        run.append(section)
    if run:
        yield run


def _copy(source: BinaryIO, target: BinaryIO, start: int, length: int) -> None:
    """Copy a byte range of another file to the end of the new one, inside the kernel."""
    while length > 0:
        done = os.copy_file_range(source.fileno(), target.fileno(), length, start)
        if done == 0:
            raise Inconsistent(f"{source.name} is shorter than the last build recorded")
        start += done
        length -= done
