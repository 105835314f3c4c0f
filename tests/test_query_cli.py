"""`bosch-kg query` runs saved queries, query files and standard input, with bound parameters."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from bosch_kg.queries.runner import saved_queries

REQUIRED_COLUMNS = {
    "cast": ["series", "actor", "character"],
    "characters": ["character", "series"],
    "appearances": ["person", "series"],
    "credits": ["series", "person", "role"],
    "series": ["series", "network", "premiered", "episodes"],
    "spinoffs": ["series", "parent"],
    "franchise": ["franchise", "series"],
    "similar": ["series", "similar"],
    "relationships": ["character", "relation", "other"],
    "reviews": ["article", "series", "author", "rating", "best_rating", "verdict"],
    "conflicts": ["subject", "property", "value", "articles"],
    "sources": ["subject", "property", "value", "article", "sentence"],
}


def rows(graph: Path, *args: str) -> list[dict[str, str]]:
    out = run_cli("query", *args, "--graph", str(graph), "--format", "csv").stdout
    return list(csv.DictReader(io.StringIO(out)))


def test_every_saved_query_has_a_title_a_description_and_declared_parameters() -> None:
    queries = saved_queries()
    assert set(REQUIRED_COLUMNS) <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.name
        for param in query.params:
            assert f"?{param.name}" in query.text, (query.name, param.name)


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_saved_queries_start_with_the_required_columns(name: str, seed_graph: Path) -> None:
    out = run_cli("query", name, "--graph", str(seed_graph), "--format", "csv").stdout
    header = out.splitlines()[0].split(",")
    assert header[: len(REQUIRED_COLUMNS[name])] == REQUIRED_COLUMNS[name]


def test_cast_lists_maggie_q_as_renee_ballard(seed_graph: Path) -> None:
    cast = rows(seed_graph, "cast")
    assert {"series": "Ballard", "actor": "Maggie Q", "character": "Renée Ballard"} in cast


def test_a_parameter_narrows_a_query_to_one_series(seed_graph: Path) -> None:
    cast = rows(seed_graph, "cast", "-p", "actor", "Amy Hill")
    assert cast and all(row["actor"] == "Amy Hill" for row in cast)
    assert {row["character"] for row in cast} == {"Tutu"}


def test_the_premiere_date_is_iso_8601(seed_graph: Path) -> None:
    ballard = rows(seed_graph, "series", "-p", "series", "Ballard")
    assert {row["premiered"] for row in ballard} == {"2025-07-09"}


def test_sources_give_the_sentence_that_states_a_fact(seed_graph: Path) -> None:
    facts = rows(seed_graph, "sources", "-p", "subject", "Cliff Martinez")
    composer = [f for f in facts if f["property"] == "composer"]
    assert not composer  # credits point from the series to the person: ask about the series
    series_facts = rows(seed_graph, "sources", "-p", "subject", "Ballard")
    [music] = [f for f in series_facts if f["property"] == "composer"]
    assert music["value"] == "Cliff Martinez"
    assert music["article"] == "002_1d92490c51e177ff"
    assert "composed by Cliff Martinez" in music["sentence"]


def test_a_query_file_and_standard_input_run_like_saved_queries(
    seed_graph: Path, tmp_path: Path
) -> None:
    text = (
        "PREFIX bkg: <https://w3id.org/bosch-kg/ontology#>\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a bkg:Series }\n"
    )
    path = tmp_path / "count.rq"
    path.write_text(text, encoding="utf-8")
    from_file = run_cli("query", str(path), "--graph", str(seed_graph), "--format", "json").stdout
    from_stdin = run_cli("query", "-", "--graph", str(seed_graph), "--format", "json", input=text)
    assert json.loads(from_file) == json.loads(from_stdin.stdout)
    assert int(json.loads(from_file)["results"]["bindings"][0]["n"]["value"]) >= 3


def test_the_table_format_is_aligned_and_counts_its_rows(seed_graph: Path) -> None:
    out = run_cli("query", "spinoffs", "--graph", str(seed_graph)).stdout.splitlines()
    assert out[0].split() == ["series", "parent"]
    assert set(out[1]) <= {"-", " "}
    assert out[-1].endswith("rows)") or out[-1] == "(1 row)"


def test_queries_lists_every_saved_query_with_its_description() -> None:
    out = run_cli("queries").stdout
    for name in REQUIRED_COLUMNS:
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    assert "-p subject VALUE" in out


def test_an_unknown_query_names_the_saved_ones(seed_graph: Path) -> None:
    result = run_cli("query", "casting", "--graph", str(seed_graph), check=False)
    assert result.returncode == 1
    assert "no saved query or query file named 'casting'" in result.stderr
    assert "cast" in result.stderr


def test_an_unknown_parameter_is_refused(seed_graph: Path) -> None:
    result = run_cli(
        "query", "cast", "-p", "show", "Ballard", "--graph", str(seed_graph), check=False
    )
    assert result.returncode == 1
    assert "query 'cast' has no parameter 'show' (it takes: series, actor)" in result.stderr


@pytest.fixture
def listener() -> Iterator[tuple[str, list[int]]]:
    """A loopback port that accepts and closes connections: its URL and a list, one entry a
    connection."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    connections: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(1)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", connections
    stop.set()
    thread.join()
    server.close()


def service_query(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n"


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_service_query_is_refused_and_no_connection_is_made(
    source: str, seed_graph: Path, tmp_path: Path, listener: tuple[str, list[int]]
) -> None:
    url, connections = listener
    path = tmp_path / "remote.rq"
    path.write_text(service_query(url), encoding="utf-8")
    ref, given = (str(path), None) if source == "file" else ("-", service_query(url))
    result = run_cli("query", ref, "--graph", str(seed_graph), input=given, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert f"SERVICE <{url}>" in result.stderr and "--allow-remote" in result.stderr
    assert connections == []


def test_allow_remote_lets_a_service_query_reach_its_server(
    seed_graph: Path, listener: tuple[str, list[int]]
) -> None:
    url, connections = listener
    result = run_cli(
        "query", "-", "--graph", str(seed_graph), "--allow-remote",
        input=service_query(url), check=False,
    )  # fmt: skip
    assert connections  # the server hangs up at once: the query fails, in one line
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text, reached",
    [
        ("LOAD <http://example.org/data.ttl>", "LOAD <http://example.org/data.ttl>"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM <http://example.org/g>"),
        (
            "PREFIX ex: <https://example.org/>\nSELECT * FROM NAMED ex:g WHERE { ?s ?p ?o }",
            "FROM NAMED <https://example.org/g>",
        ),
        (
            "PREFIX ex: <http://example.org/>\n"
            "SELECT * WHERE { OPTIONAL { SERVICE SILENT ex:sparql { ?s ?p ?o } } }",
            "SERVICE <http://example.org/sparql>",
        ),
        ("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", "SERVICE ?where"),
    ],
    ids=["load", "from", "from-named", "nested-service", "service-variable"],
)
def test_load_remote_datasets_and_every_service_are_refused(
    text: str, reached: str, seed_graph: Path
) -> None:
    result = run_cli("query", "-", "--graph", str(seed_graph), input=text, check=False)
    assert result.returncode == 1
    assert reached in result.stderr and "--allow-remote" in result.stderr


def test_service_in_a_comment_or_a_string_is_no_call(seed_graph: Path) -> None:
    text = (
        "# SERVICE <http://example.org/sparql> is not called\n"
        'ASK { FILTER("SERVICE <http://example.org/sparql> { }" != "") }\n'
    )
    result = run_cli("query", "-", "--graph", str(seed_graph), input=text)
    assert result.stdout == "true\n"


@pytest.mark.parametrize(
    "value",
    ["ballard", "BALLARD", "<https://w3id.org/bosch-kg/id/series/ballard>"],
)
def test_a_parameter_matches_a_name_as_the_views_search_does(seed_graph: Path, value: str) -> None:
    args = ("query", "cast", "-p", "series", value, "--graph", str(seed_graph), "--format", "csv")
    result = run_cli(*args)
    assert result.stderr == ""
    cast = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(cast) == 9 and {row["series"] for row in cast} == {"Ballard"}


def test_a_character_named_without_accents_or_with_look_alike_letters_has_her_relations(
    seed_graph: Path,
) -> None:
    expected = rows(seed_graph, "relationships", "-p", "character", "Renée Ballard")
    assert len(expected) == 7
    assert {"character": "Renée Ballard", "relation": "grandchild of", "other": "Tutu"} in expected
    assert {r["relation"] for r in expected} == {
        "grandchild of",
        "leads team of",
        "former partner of",
    }
    for spelling in ("renee ballard", "RENÉE BALLARD", "Rеnée Ballard"):  # a Cyrillic е
        assert rows(seed_graph, "relationships", "-p", "character", spelling) == expected


def test_the_relationships_unbound_list_each_stated_relation_once(seed_graph: Path) -> None:
    relations = rows(seed_graph, "relationships")
    assert len(relations) == 8
    assert {
        "character": "Tutu",
        "relation": "grandmother of",
        "other": "Renée Ballard",
    } in relations


def test_an_alternative_label_finds_the_node(seed_graph: Path) -> None:
    facts = rows(seed_graph, "sources", "-p", "subject", "Zamira Parker")
    assert facts and {f["subject"] for f in facts} == {"Samira Parker"}


def test_a_parameter_that_names_nothing_says_so_with_the_nearest_names(seed_graph: Path) -> None:
    result = run_cli("query", "cast", "-p", "actor", "magie q", "--graph", str(seed_graph))
    assert result.stderr.startswith("-p actor 'magie q' names nothing in the graph; nearest: ")
    assert "'Maggie Q'" in result.stderr
    assert result.stdout.endswith("(0 rows)\n")
    iri = "<https://w3id.org/bosch-kg/id/series/nowhere>"
    result = run_cli("query", "cast", "-p", "series", iri, "--graph", str(seed_graph))
    assert result.stderr == f"-p series {iri}: no node of the graph has this IRI and a label\n"
