"""Query results as SPARQL users expect: W3C formats other tools read, values bound safely."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from rdflib.query import Result

SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def _json_rows(text: str) -> list[dict[str, str]]:
    doc = json.loads(text)
    names = doc["head"]["vars"]
    return [{n: row[n]["value"] for n in names if n in row} for row in doc["results"]["bindings"]]


def _xml_rows(text: str) -> list[dict[str, str]]:
    root = ET.fromstring(text)
    rows = []
    for result in root.iter(f"{SPARQL_RESULTS}result"):
        rows.append(
            {
                b.get("name", ""): "".join(b.itertext())
                for b in result.iter(f"{SPARQL_RESULTS}binding")
            }
        )
    return rows


def _csv_rows(text: str) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if v} for row in csv.DictReader(io.StringIO(text))]


def _rdflib_rows(text: str, fmt: str) -> list[dict[str, str]]:
    result = Result.parse(io.StringIO(text), format=fmt)
    return [
        {str(var): str(value) for var, value in row.asdict().items()}
        for row in result  # type: ignore[union-attr]
    ]


PARSERS = {
    "json": [_json_rows, lambda t: _rdflib_rows(t, "json")],
    "xml": [_xml_rows, lambda t: _rdflib_rows(t, "xml")],
    "csv": [_csv_rows, lambda t: _rdflib_rows(t, "csv")],
    "tsv": [lambda t: _rdflib_rows(t, "tsv")],
}


@pytest.mark.parametrize("query", ["cast", "series", "sources"])
@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_each_w3c_result_format_reads_back_to_the_same_rows(
    seed_graph: Path, query: str, fmt: str
) -> None:
    expected = _json_rows(
        run_cli("query", query, "--graph", str(seed_graph), "--format", "json").stdout
    )
    assert len(expected) > 3
    text = run_cli("query", query, "--graph", str(seed_graph), "--format", fmt).stdout
    for parse in PARSERS[fmt]:
        assert parse(text) == expected


def test_a_table_and_json_show_the_same_cast(seed_graph: Path) -> None:
    table = run_cli("query", "cast", "--graph", str(seed_graph), "-p", "series", "Ballard").stdout
    rows = _json_rows(
        run_cli(
            "query",
            "cast",
            "--graph",
            str(seed_graph),
            "-p",
            "series",
            "Ballard",
            "--format",
            "json",
        ).stdout
    )
    assert rows and all(r["series"] == "Ballard" for r in rows)
    assert table.splitlines()[-1] == f"({len(rows)} rows)"


HOSTILE = [
    'Ballard" } UNION { ?s ?p ?o }',
    "Ballard' } UNION { ?s ?p ?o } #",
    "Ballard }",
    "UNION",
    "Ballard\n} UNION { ?s ?p ?o }",
    '"""Ballard"""',
    "Ballard\\",
    "<https://w3id.org/bosch-kg/id/series/ballard",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_value_is_only_a_value_and_matches_nothing(
    seed_graph: Path, value: str
) -> None:
    result = run_cli("query", "cast", "--graph", str(seed_graph), "-p", "series", value)
    assert result.stdout.splitlines()[-1] == "(0 rows)"


def test_an_iri_with_a_closing_bracket_inside_is_a_clear_error(seed_graph: Path) -> None:
    result = run_cli(
        "query",
        "cast",
        "--graph",
        str(seed_graph),
        "-p",
        "series",
        "<http://x.org/a> } UNION {>",
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "Error: not a valid IRI: <http://x.org/a> } UNION {>\n"


def test_queries_show_prints_the_saved_query_and_its_parameters() -> None:
    result = run_cli("queries", "--show", "cast")
    text = (Path(__file__).parent.parent / "queries" / "cast.rq").read_text(encoding="utf-8")
    assert result.stdout == (
        "Cast: Who plays which character in which series.\nParameters: series, actor\n\n" + text
    )


def test_queries_show_of_an_unknown_query_lists_the_saved_ones() -> None:
    result = run_cli("queries", "--show", "nope", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no saved query or query file named 'nope'; saved")
