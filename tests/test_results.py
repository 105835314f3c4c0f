"""Query results as SPARQL users expect: W3C formats other tools read, values bound safely."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_cli
from rdflib.query import Result

from bosch_kg.graph.serialize import FORMATS

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
    """At most it names a series as the search does (punctuation ignored), never more."""
    result = run_cli(
        "query", "cast", "--graph", str(seed_graph), "-p", "series", value, "--format", "csv"
    )
    assert {row["series"] for row in csv.DictReader(io.StringIO(result.stdout))} <= {"Ballard"}


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


CONSTRUCT = (
    "PREFIX bkg: <https://w3id.org/bosch-kg/ontology#>\n"
    "CONSTRUCT { ?s bkg:network ?n } WHERE { ?s bkg:network ?n }\n"
)


def _count(*graph_args: str) -> int:
    out = run_cli("query", "series", *graph_args, "--format", "csv").stdout
    return len(out.splitlines()) - 1


@pytest.mark.parametrize("syntax", ["nt", "nq", "trig", "jsonld", "xml"])
def test_graph_reads_any_rdf_syntax_from_its_extension(
    syntax: str, seed_graph: Path, tmp_path: Path
) -> None:
    other = tmp_path / f"graph.{'rdf' if syntax == 'xml' else syntax}"
    run_cli("export", "--graph", str(seed_graph), "-o", str(other))
    assert _count("--graph", str(other)) == _count("--graph", str(seed_graph))


def test_graph_takes_several_files_and_standard_input(seed_graph: Path, tmp_path: Path) -> None:
    lines = run_cli("export", "--graph", str(seed_graph), "--format", "nt").stdout.splitlines()
    networks = [line for line in lines if "#network>" in line]
    rest = tmp_path / "rest.nt"
    rest.write_text("\n".join(line for line in lines if "#network>" not in line) + "\n")
    two = run_cli(
        "query",
        "series",
        "--graph",
        str(rest),
        "--graph",
        "-",
        "--format",
        "json",
        input="\n".join(networks) + "\n",
    ).stdout
    one = run_cli("query", "series", "--graph", str(seed_graph), "--format", "json").stdout
    assert json.loads(two) == json.loads(one)


def test_query_and_graph_cannot_both_come_from_standard_input(seed_graph: Path) -> None:
    result = run_cli("query", "-", "--graph", "-", input="ASK {}", check=False)
    assert result.returncode == 1
    assert result.stderr == "Error: standard input can hold the query or a graph, not both\n"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_results_end_with_a_newline(fmt: str, seed_graph: Path) -> None:
    out = run_cli("query", "spinoffs", "--graph", str(seed_graph), "--format", fmt).stdout
    assert out.endswith("\n") and not out.endswith("\n\n")


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("cast.csv", "series,actor,character"),
        ("cast.tsv", "?series\t?actor\t?character"),
        ("cast.json", "{"),
        ("cast.srx", "<?xml"),
        ("cast.txt", "series  "),
    ],
)
def test_query_output_takes_the_result_format_from_the_extension(
    name: str, first: str, seed_graph: Path, tmp_path: Path
) -> None:
    result = run_cli("query", "cast", "--graph", str(seed_graph), "-o", str(tmp_path / name))
    assert result.stdout == "" and result.stderr == f"Wrote {tmp_path / name}\n"
    assert (tmp_path / name).read_text().startswith(first)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "xml"])
def test_a_construct_result_is_written_in_the_rdf_syntax_asked(
    fmt: str, seed_graph: Path, tmp_path: Path
) -> None:
    out = tmp_path / "networks.out"
    run_cli(
        "query", "-", "--graph", str(seed_graph), "--format", fmt, "-o", str(out), input=CONSTRUCT
    )
    oxigraph = ox.RdfFormat.from_media_type(FORMATS[fmt].media_type)
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(out), format=oxigraph)}
    assert len(triples) >= 5
    assert all(t[1].value.endswith("#network") for t in triples)


def test_a_construct_result_takes_its_syntax_from_the_extension(
    seed_graph: Path, tmp_path: Path
) -> None:
    out = tmp_path / "networks.nt"
    run_cli("query", "-", "--graph", str(seed_graph), "-o", str(out), input=CONSTRUCT)
    assert all(line.endswith(" .") for line in out.read_text().splitlines())


def test_a_format_that_does_not_fit_the_result_is_one_line(seed_graph: Path) -> None:
    graph = run_cli(
        "query", "-", "--graph", str(seed_graph), "--format", "csv", input=CONSTRUCT, check=False
    )
    assert graph.returncode == 1
    assert graph.stderr.startswith("Error: a CONSTRUCT or DESCRIBE result is a graph: --format ")
    table = run_cli("query", "cast", "--graph", str(seed_graph), "--format", "nt", check=False)
    assert table.stderr.startswith("Error: a SELECT or ASK result is a table: --format ")


def test_p_binds_any_variable_of_a_query_without_a_header(seed_graph: Path, tmp_path: Path) -> None:
    own = tmp_path / "own.rq"
    own.write_text(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX bkg: <https://w3id.org/bosch-kg/ontology#>\n"
        "SELECT ?name ?network WHERE { ?s rdfs:label ?name ; bkg:network/rdfs:label ?network }\n"
    )
    out = run_cli(
        "query", str(own), "-p", "name", "cold case", "--graph", str(seed_graph), "--format", "csv"
    ).stdout
    assert sorted(out.splitlines()[1:]) == ["Cold Case,CBS", "Cold Case,Prime Video"]
