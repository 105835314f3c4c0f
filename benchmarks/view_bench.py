"""How long the HTML view takes to become usable at 5,000 nodes, in a real Chromium.

Run: python benchmarks/view_bench.py [--nodes N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bosch_kg.extract.claims import ArticleClaims, ArticleMeta, Claim, Entity, Evidence
from bosch_kg.graph.assemble import assemble
from bosch_kg.graph.serialize import to_turtle
from bosch_kg.graph.store import atomic_write
from bosch_kg.view import write_view

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Each synthetic series brings this many nodes: itself, 8 actors, 8 characters, 2 crew.
_NODES_PER_SERIES = 19


def _name(kind: str, i: int) -> Entity:
    """A unique two-word name no near-spelling merge can touch (short first word)."""
    return Entity(kind, f"{kind[0]}{i} X{i * 7919 % 100003}")


def _series_claims(i: int) -> list[Claim]:
    series = _name("Series", i)
    evidence = Evidence(f"a{i}", f"Sentence {i} of a synthetic article.", 0, 36, "synthetic")
    claims = [
        Claim("network", series, evidence, object=Entity("Network", f"Network {i % 20}")),
        Claim("franchise", series, evidence, object=Entity("Franchise", f"Franchise {i % 30}")),
    ]
    if i:
        claims.append(Claim("similar", series, evidence, object=_name("Series", i // 2)))
    for k in range(8):
        actor, character = _name("Person", i * 8 + k), _name("Character", i * 8 + k)
        claims.append(Claim("plays", actor, evidence, object=character, series=series))
    for k, job in enumerate(("creator", "composer")):
        crew = _name("Person", 10**6 + i * 2 + k)
        claims.append(Claim("credit", crew, evidence, series=series, value=job))
    return claims


def synthetic_graph(nodes: int, path: Path) -> Path:
    """A Turtle graph of about `nodes` drawn nodes, made like a real build (with evidence)."""
    articles = [
        ArticleClaims(ArticleMeta(f"a{i}", f"a{i}.txt", f"Article {i}"), _series_claims(i))
        for i in range(max(1, nodes // _NODES_PER_SERIES))
    ]
    atomic_write(path, to_turtle(assemble(articles)))
    return path


def time_to_interactive(html: Path) -> float:
    """Seconds from navigation until the page has laid out and drawn the network."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.bkgReadyAt !== undefined", timeout=300_000)
        seconds = page.evaluate("window.bkgReadyAt") / 1000
        browser.close()
    return seconds


def main() -> None:
    """Make a synthetic graph, write its view and print the time to interactive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        graph = synthetic_graph(args.nodes, Path(folder) / "graph.ttl")
        started = time.perf_counter()
        html = write_view(graph)
        written = time.perf_counter() - started
        seconds = time_to_interactive(html)
        size = html.stat().st_size // 1024
        print(f"view of {args.nodes} nodes: written in {written:.1f} s, {size} KiB")
        print(f"time to interactive: {seconds:.2f} s")


if __name__ == "__main__":
    main()
