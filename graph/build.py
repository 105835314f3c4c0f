"""build(): articles -> claims -> graph -> Turtle file, with a summary of what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from bosch_kg.errors import InputError
from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article
from bosch_kg.graph.assemble import assemble
from bosch_kg.graph.serialize import to_turtle
from bosch_kg.graph.store import atomic_write
from bosch_kg.ontology import BKG

#: The file endings read as articles.
ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass
class BuildReport:
    """What a build read, made and skipped."""

    output: Path
    articles: int
    claims: int
    facts: int
    triples: int
    entities: dict[str, int]
    skipped: list[str] = field(default_factory=list)
    changed: bool = True


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in a stable order."""
    if not folder.is_dir():
        raise InputError(folder, "no such folder of articles")
    files = sorted(p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.is_file())
    if not files:
        raise InputError(folder, f"no articles ({', '.join(ARTICLE_SUFFIXES)} files) here")
    return files


def extract_folder(folder: Path) -> list[ArticleClaims]:
    """Claims of every article in the folder; the first bad article stops the build."""
    return [extract_article(path) for path in article_files(folder)]


def _count_entities(graph: Graph) -> dict[str, int]:
    classes = {
        "Series": BKG.Series,
        "Person": BKG.Person,
        "Character": BKG.Character,
        "Role": BKG.Role,
        "Franchise": BKG.Franchise,
        "Network": BKG.Network,
        "Review": BKG.Review,
        "Article": BKG.Article,
    }
    return {name: len(set(graph.subjects(RDF.type, cls))) for name, cls in classes.items()}


def build(articles: Path, output: Path) -> BuildReport:
    """Build the graph of a folder of articles and write it to `output` (Turtle)."""
    extracted = extract_folder(articles)
    graph = assemble(extracted)
    data = to_turtle(graph)
    changed = not output.is_file() or output.read_bytes() != data
    if changed:
        atomic_write(output, data)
    skipped = [f"{a.meta.id}: {line}" for a in extracted for line in a.skipped]
    facts = {
        (graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object))
        for e in graph.subjects(RDF.type, BKG.Evidence)
    }
    return BuildReport(
        output=output,
        articles=len(extracted),
        claims=sum(len(a.claims) for a in extracted),
        facts=len(facts),
        triples=len(graph),
        entities=_count_entities(graph),
        skipped=skipped,
        changed=changed,
    )
