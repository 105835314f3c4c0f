"""`bosch-kg view`: the offline HTML page, checked in a real headless Chromium, and GraphML."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from conftest import BOSCH_KG, ROOT, run_cli
from rdflib import PROV, RDF, RDFS, Graph
from view_bench import CHROMIUM, CHROMIUM_ARGS  # one launch recipe for tests and benchmark

from bosch_kg.ontology import BKG, ID
from bosch_kg.view import open_page

SCREENSHOT = ROOT / "output" / "view-screenshot.png"
LEGEND_CLASSES = ["series", "person", "character", "franchise", "network", "review"]


@pytest.fixture(scope="module")
def page_file(seed_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "universe.html"
    result = run_cli("view", "--graph", str(seed_graph), "-o", str(out))
    assert result.stdout == f"{out}\n"
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
        pytest.skip("no chromium binary on this machine (tests/run.sh installs Debian's)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """An opened page and what it tried behind the user's back."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser, page_file: Path) -> Iterator[Visit]:
    """The view opened from file://, every other request blocked and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    seen = Visit(page)

    def block(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            seen.requests.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_function("window.bkgReadyAt !== undefined", timeout=30_000)
    yield seen
    context.close()
    assert seen.requests == []
    assert seen.errors == []


def _classes_in(graph_file: Path) -> dict[str, int]:
    """How many entities of each drawn class the graph file has (independent of the view)."""
    graph = Graph().parse(graph_file)
    counts = {
        name: len(set(graph.subjects(RDF.type, BKG[name.title()]))) for name in LEGEND_CLASSES
    }
    return {name: n for name, n in counts.items() if n}


def _evidence_sentences(graph_file: Path, predicate, obj) -> set[str]:
    graph = Graph().parse(graph_file)
    return {
        str(graph.value(graph.value(e, PROV.wasDerivedFrom), BKG.text))
        for e in graph.subjects(RDF.predicate, predicate)
        if graph.value(e, RDF.object) == obj
    }


def _search(page, text: str) -> list[tuple[str, str]]:
    page.fill("#search", text)
    return [
        (
            item.query_selector("span:nth-child(2)").get_attribute("title"),
            item.get_attribute("data-id"),
        )
        for item in page.query_selector_all("#results li[data-id]")
    ]


def test_the_page_is_one_file_with_every_script_and_stylesheet_inside(page_file: Path):
    html = page_file.read_text(encoding="utf-8")
    assert "<script src" not in html
    assert "<link" not in html
    assert "vis.Network" in html


def test_the_page_draws_the_network_offline_and_a_screenshot_is_kept(visit: Visit):
    painted = visit.page.evaluate(
        """() => {
            const canvas = document.querySelector('#network canvas');
            const context = canvas.getContext('2d');
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let drawn = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
            return drawn;
        }"""
    )
    assert painted > 5000
    SCREENSHOT.parent.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000


def test_the_legend_shows_each_class_with_its_count(visit: Visit, seed_graph: Path):
    rows = visit.page.query_selector_all("#legend li")
    legend = {
        r.query_selector(".name").inner_text(): int(r.query_selector(".count").inner_text())
        for r in rows
    }
    assert legend == _classes_in(seed_graph)
    assert list(legend) == [c for c in LEGEND_CLASSES if c in legend]


def test_searching_ballard_finds_the_series_and_the_character(visit: Visit):
    found = _search(visit.page, "Ballard")
    assert found[:2] == [
        ("Ballard", str(ID["series/ballard"])),
        ("Renée Ballard", str(ID["character/renee-ballard"])),
    ]


def test_search_ignores_case_accents_and_lookalike_letters(visit: Visit):
    assert _search(visit.page, "rЕnee BALLARD")[0] == (
        "Renée Ballard",
        str(ID["character/renee-ballard"]),
    )


def test_picking_a_search_result_centres_on_the_node_and_opens_its_panel(visit: Visit):
    _search(visit.page, "Ballard")
    visit.page.keyboard.press("Enter")
    assert visit.page.inner_text("#info h3") == "Ballard"
    assert visit.page.evaluate("bkgView.network.getSelectedNodes()") == [str(ID["series/ballard"])]


def test_clicking_a_character_shows_its_actor_and_the_source_sentence(
    visit: Visit, seed_graph: Path
):
    character = str(ID["character/renee-ballard"])
    where = visit.page.evaluate(
        "(id) => bkgView.network.canvasToDOM(bkgView.network.getPositions([id])[id])", character
    )
    box = visit.page.query_selector("#network").bounding_box()
    visit.page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    panel = visit.page.inner_text("#info")
    assert panel.startswith("×\nRenée Ballard\ncharacter")
    assert "Maggie Q plays Renée Ballard (in Ballard)" in panel
    sentences = _evidence_sentences(seed_graph, BKG.character, ID["character/renee-ballard"])
    assert sentences and all(s in panel for s in sentences)


def test_clicking_a_class_in_the_legend_hides_its_nodes(visit: Visit, seed_graph: Path):
    total = sum(_classes_in(seed_graph).values())
    visit.page.click('#legend li[data-class="review"]')
    assert (
        visit.page.evaluate("bkgView.nodeView.length") == total - _classes_in(seed_graph)["review"]
    )


def test_a_class_hidden_and_shown_again_comes_back_where_it_was(visit: Visit):
    where = "bkgView.network.getPositions(bkgView.nodeView.getIds())"
    before = visit.page.evaluate(where)
    visit.page.click('#legend li[data-class="person"]')
    visit.page.click('#legend li[data-class="person"]')
    after = visit.page.evaluate(where)
    assert after.keys() == before.keys()
    moved = [n for n, at in before.items() if math.dist(at.values(), after[n].values()) > 0.5]
    assert moved == []


def test_unticking_a_property_hides_its_edges(visit: Visit):
    before = visit.page.evaluate("bkgView.edgeView.length")
    plays = int(visit.page.inner_text('#properties li:has([data-property="plays"]) .count'))
    visit.page.uncheck('[data-property="plays"]')
    assert visit.page.evaluate("bkgView.edgeView.length") == before - plays


def test_physics_switches_itself_off_once_the_layout_has_settled(visit: Visit):
    assert visit.page.is_checked("#physics") is False
    assert visit.page.evaluate("bkgView.network.physics.physicsEnabled") is False


def test_view_without_a_graph_says_so_in_one_line_and_writes_nothing(tmp_path: Path):
    result = run_cli("view", "--graph", str(tmp_path / "none.ttl"), check=False)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'none.ttl'}: no graph here; "
        "run `bosch-kg build` first (or pass --graph FILE)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_view_of_an_unparsable_graph_says_so_in_one_line_and_writes_nothing(tmp_path: Path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c ;;; oops\n")
    result = run_cli("view", "--graph", str(bad), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {bad}: not a readable Turtle graph: at line 2")
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_focus_on_an_unknown_name_suggests_the_closest_labels(seed_graph: Path, tmp_path: Path):
    out = tmp_path / "view.html"
    result = run_cli(
        "view", "--graph", str(seed_graph), "-o", str(out), "--focus", "Rene Balard", check=False
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: --focus: no node is called 'Rene Balard'; did you mean 'Renée Ballard', 'Ballard'"
    )
    assert not out.exists()


def test_focus_keeps_the_neighbourhood_within_depth(seed_graph: Path, tmp_path: Path):
    out = tmp_path / "ballard.graphml"
    run_cli("view", "--graph", str(seed_graph), "-o", str(out), "--format", "graphml",
            "--focus", "renee ballard", "--depth", "1")  # fmt: skip
    labels = {d["label"] for _, d in nx.read_graphml(out).nodes(data=True)}
    assert {"Renée Ballard", "Maggie Q", "Ballard", "Tutu"} <= labels
    assert "Netflix" not in labels and "Harry Bosch" not in labels


def test_export_graphml_draws_entities_and_folds_roles_into_plays_edges(
    seed_graph: Path, tmp_path: Path
):
    out = tmp_path / "universe.graphml"
    run_cli("export", "--graph", str(seed_graph), "-o", str(out))
    drawn = nx.read_graphml(out)
    assert len(drawn) == sum(_classes_in(seed_graph).values())
    assert {d["cls"] for _, d in drawn.nodes(data=True)} == set(_classes_in(seed_graph))
    plays = {
        (drawn.nodes[u]["label"], d["note"], drawn.nodes[v]["label"])
        for u, v, d in drawn.edges(data=True)
        if d["label"] == "plays"
    }
    assert ("Maggie Q", "in Ballard", "Renée Ballard") in plays


def _web_of_series(count: int, path: Path) -> Path:
    """A graph of `count` series each similar to two others: no leaves, so all of it is core
    and gets the force layout (from 500 nodes on, networkx runs it on scipy)."""
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in (("bkg", BKG), ("rdfs", RDFS), ("s", "urn:s:"))]
    for i in range(count):
        similar = f"s:{(i + 1) % count}, s:{(i * 7 + 3) % count}"
        lines.append(f's:{i} a bkg:Series ; rdfs:label "S{i}" ; bkg:similarTo {similar} .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _page_data(html: Path) -> dict:
    """The JSON the page draws from."""
    found = re.search(r"^const DATA = (.*);$", html.read_text(encoding="utf-8"), re.MULTILINE)
    return json.loads(found[1])


def _declared_dependencies() -> set[str]:
    """The distributions pyproject.toml's dependencies name (what a clean install brings)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {re.match(r"[\w.-]+", r)[0].lower() for r in project["project"]["dependencies"]}


def test_a_view_of_more_than_a_thousand_nodes_is_laid_out_with_declared_packages(
    tmp_path: Path,
):
    graph, out = _web_of_series(1100, tmp_path / "graph.ttl"), tmp_path / "big.html"
    result = subprocess.run(
        [BOSCH_KG, "view", "--graph", str(graph), "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    data = _page_data(out)
    assert data["big"] and len(data["nodes"]) == 1100
    assert set(data["positions"]) == {f"urn:s:{i}" for i in range(1100)}
    imported = set(re.findall(r"^import time: .*\| +(\w+)$", result.stderr, re.MULTILINE))
    assert {"numpy", "scipy"} <= imported
    assert {"numpy", "scipy"} <= _declared_dependencies()


def _fake_xdg_open(folder: Path, script: str) -> None:
    opener = folder / "xdg-open"
    opener.write_text(f"#!/bin/sh\n{script}\n")
    opener.chmod(0o755)


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-open is how Linux opens a page")
def test_opening_the_page_with_no_browser_is_one_line_not_the_openers_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
):
    noise = "".join(f"echo 'xdg-open: browser{i}: not found' >&2; " for i in range(7))
    _fake_xdg_open(tmp_path, noise + "exit 3")
    monkeypatch.setenv("PATH", str(tmp_path))
    page = tmp_path / "universe.html"
    assert open_page(page) == f"No browser could open the page; open {page} in one."
    assert capfd.readouterr() == ("", "")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert open_page(page) == f"No browser could open the page; open {page} in one."


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-open is how Linux opens a page")
@pytest.mark.parametrize("script", ["exit 0", "exec sleep 2"])
def test_a_browser_that_opened_or_still_runs_has_the_page(
    script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _fake_xdg_open(tmp_path, f"echo opening >&2; {script}")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert open_page(tmp_path / "universe.html", wait=0.3) is None


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-open is how Linux opens a page")
@pytest.mark.parametrize(
    ("script", "said"),
    [("exit 0", ""), ("echo 'xdg-open: no method available' >&2; exit 3", "No browser")],
)
def test_view_open_says_one_line_when_no_browser_opens_the_page(
    script: str, said: str, seed_graph: Path, tmp_path: Path
) -> None:
    _fake_xdg_open(tmp_path, script)
    page = tmp_path / "universe.html"
    result = subprocess.run(
        [BOSCH_KG, "view", "--graph", str(seed_graph), "-o", str(page), "--open"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tmp_path}:/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0 and result.stdout == f"{page}\n"
    expected = f"No browser could open the page; open {page} in one.\n" if said else ""
    assert result.stderr == expected
