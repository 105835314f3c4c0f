"""`bosch-kg validate`: SHACL shapes say what a well-formed graph is; build enforces them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli
from rdflib import DCTERMS, PROV, RDF, RDFS, XSD, Graph, Literal, URIRef

from bosch_kg.graph import build as build_module
from bosch_kg.graph import parts as parts_module
from bosch_kg.graph import query_store
from bosch_kg.graph.cache import cache_path
from bosch_kg.graph.validate import NonConformingGraph, check_build
from bosch_kg.ontology import BKG, ID

Edit = Callable[[Graph], None]


def _first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls))[0]


def _broken(seed_graph: Path, tmp_path: Path, edit: Edit) -> Path:
    graph = Graph().parse(seed_graph)
    edit(graph)
    out = tmp_path / "broken.ttl"
    graph.serialize(out, format="turtle")
    return out


def _drop_actor(g: Graph) -> None:
    g.remove((_first(g, BKG.Role), BKG.actor, None))


def _second_series(g: Graph) -> None:
    g.add((_first(g, BKG.Review), BKG.reviews, ID["series/an-invented-show"]))


def _date_as_text(g: Graph) -> None:
    g.add((_first(g, BKG.Series), BKG.premiered, Literal("July 2025")))


def _zero_episodes(g: Graph) -> None:
    g.add((_first(g, BKG.Series), BKG.episodes, Literal(0, datatype=XSD.integer)))


def _unnamed_person(g: Graph) -> None:
    g.remove((_first(g, BKG.Person), RDFS.label, None))


def _fact_without_evidence(g: Graph) -> None:
    g.add((_first(g, BKG.Series), BKG.network, _first(g, BKG.Network)))
    g.remove((None, RDF.predicate, BKG.network))


def _sentence_without_text(g: Graph) -> None:
    g.remove((_first(g, BKG.Sentence), BKG.text, None))


def _evidence_with_two_rules(g: Graph) -> None:
    g.add((_first(g, BKG.Evidence), BKG.rule, Literal("cast.invented_rule")))


def _evidence_from_a_series(g: Graph) -> None:
    evidence = _first(g, BKG.Evidence)
    g.remove((evidence, PROV.wasDerivedFrom, None))
    g.add((evidence, PROV.wasDerivedFrom, _first(g, BKG.Series)))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_drop_actor, r"role shape, node <\S+/role/\S+> bkg:actor: a role needs exactly one actor"),
        (_second_series, r"review shape, node <\S+/article/\S+> bkg:reviews: a review reviews "),
        (_date_as_text, r"premiere date shape, node <\S+> bkg:premiered = July 2025: a premiere"),
        (_zero_episodes, r"episode count shape, node <\S+> bkg:episodes = 0: an episode count is"),
        (_unnamed_person, r"node shape, node <\S+/person/\S+> rdfs:label: a node needs a name"),
        (
            _fact_without_evidence,
            r"fact shape, node <\S+/series/\S+> bkg:network = \S+: a fact needs its evidence",
        ),
        (_sentence_without_text, r"sentence shape, node <\S+/sentence/\S+> bkg:text: "),
        (_evidence_with_two_rules, r"evidence shape, node <\S+/evidence/\S+> bkg:rule: "),
    ],
    ids=[
        "role-without-actor",
        "review-of-two-series",
        "date-as-text",
        "zero-episodes",
        "person-without-label",
        "fact-without-evidence",
        "sentence-without-text",
        "evidence-with-two-rules",
    ],
)
def test_a_graph_that_breaks_a_shape_fails_with_exit_code_1_naming_shape_node_and_article(
    seed_graph: Path, tmp_path: Path, edit: Edit, expected: str
) -> None:
    result = run_cli("validate", "--graph", str(_broken(seed_graph, tmp_path, edit)), check=False)
    assert result.returncode == 1
    assert re.search(r"^Validated \d+ triples in [\d.]+ s: \d+ violations\.$", result.stdout, re.M)
    assert re.search(rf"^  {expected}.*\[article \d{{3}}_[0-9a-f]+", result.stdout, re.M), (
        result.stdout
    )


def _sentence_of_a_series(g: Graph) -> None:
    sentence = _first(g, BKG.Sentence)
    g.remove((sentence, DCTERMS.isPartOf, None))
    g.add((sentence, DCTERMS.isPartOf, _first(g, BKG.Series)))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            _evidence_from_a_series,
            r"evidence shape, node <\S+/evidence/\S+> prov:wasDerivedFrom = \S+/series/ballard: "
            r"Value does not have class bkg:Sentence",
            id="evidence-from-a-series",
        ),
        pytest.param(
            _sentence_of_a_series,
            r"sentence shape, node <\S+/sentence/\S+> dcterms:isPartOf = \S+/series/ballard: "
            r"Value does not have class bkg:Article",
            id="sentence-of-a-series",
        ),
    ],
)
def test_a_quote_linked_to_a_series_instead_of_its_sentence_or_article_breaks_its_shape(
    seed_graph: Path, tmp_path: Path, edit: Edit, expected: str
) -> None:
    result = run_cli("validate", "--graph", str(_broken(seed_graph, tmp_path, edit)), check=False)
    assert result.returncode == 1
    assert re.search(rf"^  {expected}$", result.stdout, re.M), result.stdout


def test_the_seed_graph_conforms_with_exit_code_0(seed_graph: Path) -> None:
    result = run_cli("validate", "--graph", str(seed_graph))
    triples = len(Graph().parse(seed_graph))
    assert re.fullmatch(rf"Validated {triples} triples in [\d.]+ s: conforms\.\n", result.stdout)


@pytest.mark.parametrize("inference", ["rdfs", "owlrl"])
def test_the_seed_graph_conforms_under_inference_too(seed_graph: Path, inference: str) -> None:
    result = run_cli("validate", "--graph", str(seed_graph), "--inference", inference)
    assert result.stdout.endswith("conforms.\n")


def test_a_missing_or_unreadable_graph_is_an_error_with_exit_code_2(tmp_path: Path) -> None:
    missing = run_cli("validate", "--graph", str(tmp_path / "none.ttl"), check=False)
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"Error: {tmp_path / 'none.ttl'}: no graph here")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    unreadable = run_cli("validate", "--graph", str(bad), check=False)
    assert unreadable.returncode == 2
    assert unreadable.stderr.startswith("Error: not a readable Turtle graph")


def test_check_build_names_the_shape_the_node_and_the_article(
    seed_graph: Path, tmp_path: Path
) -> None:
    broken = _broken(seed_graph, tmp_path, _drop_actor).read_bytes()
    with pytest.raises(NonConformingGraph) as raised:
        check_build([broken], [])
    message = str(raised.value)
    assert message.startswith("the graph does not conform to the shapes, not written: ")
    assert re.search(r"role shape, node <\S+/role/\S+> bkg:actor: a role needs exactly", message)
    assert re.search(r"\[article \d{3}_[0-9a-f]+(, \d{3}_[0-9a-f]+)*\]$", message)


def test_build_keeps_the_last_good_graph_when_the_new_one_breaks_a_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "graph.ttl"
    build_module.build(SEEDS, output, workers=1)
    good = output.read_bytes()
    cache_path(output).unlink()  # every article is rendered again
    real_terms = parts_module.article_terms

    def with_a_bad_date(assembler, terms, article):  # type: ignore[no-untyped-def]
        yield from real_terms(assembler, terms, article)
        yield terms.iri(ID["series/ballard"]), "bkg:premiered", '"sometime in July"'

    monkeypatch.setattr(parts_module, "article_terms", with_a_bad_date)
    with pytest.raises(
        NonConformingGraph, match=r"fact shape, node <\S+/series/ballard> bkg:prem"
    ) as refused:
        build_module.build(SEEDS, output, workers=1)
    # a full build checks the core shapes on the whole shared section too
    assert {v.shape for v in refused.value.report.violations} == {"fact", "premiere date"}
    assert output.read_bytes() == good
    # the store being loaded anew beside the refused graph was thrown away; the old one stays
    assert query_store.is_current(output)
    assert not list(tmp_path.glob(f"*{query_store.TEMP_SUFFIX}"))
    monkeypatch.undo()  # the refused parts were not cached: the next build renders them right
    build_module.build(SEEDS, output, workers=1)
    assert output.read_bytes() == good


def test_a_rebuild_checks_the_roles_a_changed_article_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (articles / seed.name).write_bytes(seed.read_bytes())
    output = tmp_path / "graph.ttl"
    build_module.build(articles, output, workers=1)
    good = output.read_bytes()
    changed = sorted(articles.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    real_terms = parts_module.article_terms

    def with_a_second_actor(assembler, terms, article):  # type: ignore[no-untyped-def]
        yield from real_terms(assembler, terms, article)
        role, actor = ID["role/ballard/maggie-q/renee-ballard"], ID["person/someone-else"]
        yield terms.iri(role), "bkg:actor", terms.iri(actor)

    monkeypatch.setattr(parts_module, "article_terms", with_a_second_actor)
    with pytest.raises(NonConformingGraph) as refused:
        build_module.build(articles, output, workers=1)
    shapes = {(v.shape, v.path) for v in refused.value.report.violations}
    assert ("role", "bkg:actor") in shapes
    assert output.read_bytes() == good


def test_validate_takes_time_in_the_violations_not_in_their_square(tmp_path: Path) -> None:
    """pySHACL counted the whole store for every result, and concatenated its report: 100
    articles stripped of their evidence took 30 s to validate."""
    from corpus import write_corpus
    from validate_bench import strip_evidence

    write_corpus(tmp_path / "articles", 100)
    graph = tmp_path / "graph.ttl"
    run_cli("build", "--articles", str(tmp_path / "articles"), "--output", str(graph), "--quiet")
    facts = strip_evidence(graph, tmp_path / "stripped.ttl")
    result = run_cli("validate", "--graph", str(tmp_path / "stripped.ttl"), check=False)
    assert result.returncode == 1, result.stderr
    summary, *lines = result.stdout.splitlines()
    found = re.fullmatch(r"Validated \d+ triples in ([\d.]+) s: (\d+) violations\.", summary)
    assert found, summary
    assert int(found[2]) == facts == len(lines) > 1000
    assert all(line.startswith("  fact shape, node <") for line in lines)
    assert float(found[1]) < 8
