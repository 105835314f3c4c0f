"""Properties that hold for any input: hostile text and file names never crash a build,
literals survive every syntax."""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from bosch_kg.cli import cli, shown
from bosch_kg.errors import InputError
from bosch_kg.extract.pipeline import extract_text
from bosch_kg.graph.assemble import PREFIXES, triples
from bosch_kg.graph.build import ARTICLE_SUFFIXES
from bosch_kg.graph.serialize import FORMATS, serialize, write_turtle
from bosch_kg.graph.validate import validate_turtle

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Smart quotes, Cyrillic and Greek look-alikes, control characters, a bidi mark, an emoji.
HOSTILE = "“”‘’«»АВЕКМНОРСТХаеорсхΑΒΕΖΗΙΚΜΝΟΡΤΥΧ\x00\x01\x07\x0b\x1b\x7f\u200b\u202e\ufeff😀"
SENTENCE = st.sampled_from(
    [
        "Maggie Q stars as Detective Renée Ballard.",
        "Ballard premiered July 9, 2025 on Prime Video.",
        "Titus Welliver plays Harry Bosch, and Amy Hill plays Tutu.",
        "Rating: 4/5",
    ]
)
TEXT = st.lists(
    st.one_of(
        SENTENCE,
        st.text(alphabet=st.sampled_from(HOSTILE + "abc XYZ.,\n\r\t"), max_size=80),
        st.text(max_size=40),
        st.just("Ballard " * 2000),  # one very long line
    ),
    max_size=6,
).map(" ".join)

TURTLE_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}


@FAST
@given(TEXT)
def test_any_text_gives_a_valid_graph_or_a_clear_input_error(text: str) -> None:
    try:
        claims = extract_text(text, "hostile")
    except InputError as error:
        assert str(error).startswith("hostile")
        return
    data = write_turtle(triples([claims]), TURTLE_PREFIXES)
    assert validate_turtle(data).conforms
    assert len(list(ox.parse(data, format=ox.RdfFormat.TURTLE))) >= 3


NODE = URIRef("https://w3id.org/bosch-kg/id/series/x")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
ARTICLE_ID = "https://w3id.org/bosch-kg/ontology#articleId"
XML_CHARS = st.characters(
    blacklist_categories=["Cs"], blacklist_characters="\x00\ufffe\uffff"
).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)


@FAST
@given(st.text(alphabet=XML_CHARS, min_size=1, max_size=60))
@example("\x85")  # line breaks to Python, not to N-Triples
@example("a\u2028b\u2029")
def test_a_literal_survives_every_export_syntax_unchanged(value: str) -> None:
    graph = Graph()
    graph.add((NODE, LABEL, Literal(value)))
    for name, fmt in FORMATS.items():
        parsed = ox.parse(
            serialize(graph, fmt), format=ox.RdfFormat.from_media_type(fmt.media_type)
        )
        assert [q.object.value for q in parsed] == [value], name


#: File name pieces: undecodable bytes (kept by Python as surrogates), a newline, an escape,
#: a tab, spaces, quotes, look-alikes, accents, a bidi mark and an emoji.
NAME_PIECES = st.sampled_from(
    [os.fsdecode(b"\xff\xfe"), "\n", "\x1b[31m", "\t", " ", "  ", "“q”", "Аb", "é", "\u202e",
     "😀", "a", "Ballard", "-", "_", "%", "\\", "'", '"', ".", "#", "$HOME"]
)  # fmt: skip
FILE_NAME = st.tuples(
    st.lists(NAME_PIECES, min_size=1, max_size=5).map("".join), st.sampled_from(ARTICLE_SUFFIXES)
).map("".join)
ARTICLES = st.lists(st.tuples(FILE_NAME, TEXT), min_size=1, max_size=3, unique_by=lambda a: a[0])


@FAST
@given(ARTICLES)
def test_build_on_odd_names_and_text_writes_a_graph_or_one_line_naming_the_file(
    articles: list[tuple[str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, output = Path(tmp, "articles"), Path(tmp, "out", "graph.ttl")
        folder.mkdir()
        files = [folder / name for name, _ in articles]
        for path, (_, text) in zip(files, articles, strict=True):
            path.write_text(text, encoding="utf-8", errors="surrogateescape")
        result = CliRunner().invoke(
            cli, ["build", "--articles", str(folder), "--output", str(output), "--quiet",
                  "--workers", "1"],
        )  # fmt: skip
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), "".join(traceback.format_exception(result.exception))
        if result.exit_code == 0:
            assert result.stderr == ""
            graph = list(ox.parse(path=str(output), format=ox.RdfFormat.TURTLE))
            article_ids = {q.object.value for q in graph if q.predicate.value == ARTICLE_ID}
            assert article_ids == {path.stem for path in files}
            return
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert any(shown(path) in result.stderr for path in files), result.stderr
