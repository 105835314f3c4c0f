"""The scale benchmark: build, rebuild and query corpora of growing size.

    python benchmarks/run.py                    # N = 100, 1,000, 10,000
    python benchmarks/run.py --sizes 100,1000   # a quicker run
    python benchmarks/run.py --sizes 2200 --rdflib-max 2200   # about 1 M triples
    python benchmarks/run.py --corpus templates # the template corpus of corpus.py

The corpus is real prose by default: the project's articles, their names replaced
(realtext.py); `--corpus templates` builds the shorter template articles instead. Either way
the output starts with each corpus's extraction cost per article, measured in this run on
one core, so the build's time can be read against the cost of its text.

Each figure is printed beside a baseline measured in the same run, with the
ratio: the parallel build against a single-process build, the rebuild after
one article changes against the full build, each saved query on pyoxigraph
against rdflib's SPARQL engine on the same graph.  rdflib is timed for
N <= --rdflib-max, each query once, in a forked process stopped after
--rdflib-cap seconds: a stopped query counts as the cap, and its ratio is
printed as a lower bound ("≥ x40").  The figures are also written as JSON
to output/benchmarks/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
from corpus import TemplateCorpus
from rdflib import Graph
from realtext import RealTextCorpus

from bosch_kg.extract.pipeline import extract_text
from bosch_kg.ontology import ONTOLOGY_FILE
from bosch_kg.queries import runner

ROOT = Path(__file__).resolve().parent.parent
QUERY_RUNS = 5
#: PSS is read every this many RSS samples (of 50 ms): reading it walks every page table of
#: the build under its memory lock; read at every sample, it slowed a 10,000-article build
#: (61 s against 56 s in one pair of runs; runs vary by about 3 s).
PSS_EVERY = 20


def _tree_memory(pid: int, pss_too: bool) -> tuple[int, int]:
    """Resident memory (bytes) of a process and all its descendants: RSS and PSS (or 0).

    RSS counts the pages forked workers share with the build once per process;
    PSS splits each shared page between its sharers, so the tree's PSS is what
    the build really holds.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            rss += _kilobytes(Path(f"/proc/{current}/status"), "VmRSS:")
            if pss_too:
                pss += _kilobytes(Path(f"/proc/{current}/smaps_rollup"), "Pss:")
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return rss * 1024, pss * 1024


def _kilobytes(path: Path, field: str) -> int:
    return next(int(x.split()[1]) for x in path.read_text().splitlines() if x.startswith(field))


def timed_build(articles: Path, output: Path, workers: int | None = None) -> dict[str, float]:
    """Run `bosch-kg build` as a process; its wall time and peak RSS (with its workers)."""
    command = [sys.executable, "-m", "bosch_kg", "build", "--quiet"]
    command += ["--articles", str(articles), "--output", str(output)]
    if workers:
        command += ["--workers", str(workers)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    peak = peak_pss = 0

    def sample() -> None:
        nonlocal peak, peak_pss
        for tick in itertools.count():
            if process.poll() is not None:
                return
            rss, pss = _tree_memory(process.pid, pss_too=tick % PSS_EVERY == 0)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}")
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20, "peak_pss_mb": peak_pss / 2**20}


def _median(run: object, times: int = QUERY_RUNS) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


Corpus = RealTextCorpus | TemplateCorpus


def query_cases(corpus: Corpus) -> list[tuple[str, dict[str, str]]]:
    """Every saved query unbound, plus the two bound to one entity."""
    cases: list[tuple[str, dict[str, str]]] = [(name, {}) for name in runner.saved_queries()]
    cases.append(("cast", {"series": corpus.most_named("Series")}))
    cases.append(("sources", {"subject": corpus.most_named("Person")}))
    return cases


def rdflib_times(
    graph: Path, cases: list[tuple[str, dict[str, str]]], cap: float
) -> list[float | str]:
    """rdflib's time for each case, run once; a case stopped at `cap` seconds counts as `cap`,
    one that rdflib fails to evaluate is its error (real text has characters no actor plays,
    and rdflib's GROUP_CONCAT over an unbound OPTIONAL raises NotBoundError).

    The graph is parsed once; each query runs in a forked child that shares it,
    so a query past the cap can be stopped without parsing the graph again.
    """
    from rdflib import Literal

    rdf = Graph().parse(graph, format="turtle")
    rdf.parse(ONTOLOGY_FILE, format="turtle")
    fork = multiprocessing.get_context("fork")
    times = []
    for name, params in cases:
        text = runner.saved_queries()[name].text
        bindings = {k: Literal(v) for k, v in params.items()}
        receiver, sender = fork.Pipe(duplex=False)
        child = fork.Process(target=_rdflib_once, args=(rdf, text, bindings, sender))
        child.start()
        if receiver.poll(cap):
            times.append(receiver.recv())
        else:
            times.append(cap)
            child.kill()
        child.join()
    return times


def _rdflib_once(rdf: Graph, text: str, bindings: dict[str, object], sender: object) -> None:
    start = time.perf_counter()
    try:
        list(rdf.query(text, initBindings=bindings))
    except Exception as error:  # rdflib's own faults, reported beside the figure
        sender.send(f"{type(error).__name__}: {error}")  # type: ignore[attr-defined]
        return
    sender.send(time.perf_counter() - start)  # type: ignore[attr-defined]


def bench_queries(
    graph: Path, corpus: Corpus, rdflib_cap: float | None = None
) -> list[dict[str, object]]:
    """Median time of each saved query on pyoxigraph; rdflib's, if given a cap."""
    cases = query_cases(corpus)
    rdflib = rdflib_times(graph, cases, rdflib_cap) if rdflib_cap else [None] * len(cases)
    store = runner.open_store(graph)
    figures = []
    for (name, params), rdflib_s in zip(cases, rdflib, strict=True):
        saved = runner.saved_queries()[name]

        def oxigraph(saved=saved, params=params) -> None:
            result = runner.run_query(saved, store, params)
            if isinstance(result, ox.QuerySolutions):
                list(result)

        def end_to_end(saved=saved, params=params) -> None:
            result = runner.run_query(saved, runner.open_store(graph), params)
            if isinstance(result, ox.QuerySolutions):
                list(result)

        row: dict[str, object] = {"query": name, "params": params}
        row["oxigraph_s"] = _median(oxigraph)
        if params:  # opening the on-disk store beside the graph, then querying
            row["open_and_query_s"] = _median(end_to_end)
        if isinstance(rdflib_s, str):
            row["rdflib_error"] = rdflib_s
        elif rdflib_s is not None:
            row["rdflib_s"] = rdflib_s
            row["rdflib_capped"] = rdflib_s >= rdflib_cap  # type: ignore[operator]
        figures.append(row)
    return figures


def settle(drop_cache: bool) -> str:
    """Before a timed rebuild: write out what earlier steps left dirty (the single-process
    build's graph, cache and store: more than a gigabyte at 10,000 articles), so the rebuild
    does not queue behind it on the disk; with `drop_cache`, also empty the page cache (root
    only), so every file is read from disk.

    Returns how the rebuild finds the page cache: "warm" (not dropped), "dropped", or
    "as left" (not root: this VM's reclaim has evicted much, not all, of the graph's files).
    """
    os.sync()
    if not drop_cache:
        return "warm"
    try:
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        return "dropped"
    except OSError:
        return "as left"


def extraction_cost(corpus: Corpus, articles: int = 48) -> dict[str, float]:
    """CPU seconds one article of the corpus costs the extractor, and its claims: the mean
    over `articles` articles, after the same number, unmeasured, have warmed the rules'
    caches (as they are warm in a build's worker after its first articles)."""
    for number in range(articles):
        extract_text(corpus.article(number), f"a{number:06d}")
    start, claims = time.process_time(), 0
    for number in range(articles, 2 * articles):
        claims += len(extract_text(corpus.article(number), f"a{number:06d}").claims)
    return {"seconds": (time.process_time() - start) / articles, "claims": claims / articles}


def bench_size(
    corpus: Corpus, size: int, work: Path, rdflib_cap: float | None
) -> dict[str, object]:
    """Every figure for one corpus size."""
    articles = work / f"articles-{size}"
    corpus.write(articles, size)
    parallel_out, plain_out = work / f"p{size}" / "graph.ttl", work / f"s{size}" / "graph.ttl"
    full = timed_build(articles, parallel_out)
    plain = timed_build(articles, plain_out, workers=1)
    changed = sorted(articles.iterdir())[size // 2]  # edited: now the text of another article
    changed.write_text(corpus.article(size), encoding="utf-8")
    page_cache = settle(drop_cache=True)
    rebuild = timed_build(articles, parallel_out)
    changed = sorted(articles.iterdir())[size // 3]  # once more, the files now in memory
    changed.write_text(corpus.article(size + 1), encoding="utf-8")
    settle(drop_cache=False)
    rebuild_warm = timed_build(articles, parallel_out)
    triples = len(list(ox.parse(path=str(parallel_out), format=ox.RdfFormat.TURTLE)))
    figures: dict[str, object] = {
        "articles": size,
        "triples": triples,
        "graph_mb": parallel_out.stat().st_size / 2**20,
        "build": full,
        "build_single_process": plain,
        "articles_per_s": size / full["seconds"],
        "rebuild_one_changed": rebuild,
        "rebuild_page_cache": page_cache,
        "rebuild_one_changed_warm": rebuild_warm,
        "queries": bench_queries(parallel_out, corpus, rdflib_cap),
    }
    shutil.rmtree(articles)
    return figures


#: The largest corpus whose whole universe the view draws on one page (about 4,000 nodes).
VIEW_ARTICLES = 1000


def view_figure(work: Path, sizes: list[int]) -> str | float:
    """Time until the HTML view of the largest corpus it draws is interactive."""
    try:
        from view_bench import time_to_interactive  # type: ignore[import-not-found]
    except ImportError:
        return "not measured"
    drawn = [n for n in sizes if n <= VIEW_ARTICLES]
    if not drawn:
        return f"not measured (no corpus of at most {VIEW_ARTICLES:,} articles in this run)"
    html = work / "view.html"
    command = [sys.executable, "-m", "bosch_kg", "view", "--graph", str(work / "view.ttl")]
    try:
        size = max(drawn)
        shutil.copy(work / f"p{size}" / "graph.ttl", work / "view.ttl")
        subprocess.run([*command, "-o", str(html)], check=True, cwd=ROOT, capture_output=True)
        return time_to_interactive(html)
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        return f"not measured ({error})"


def describe(corpus: Corpus, costs: dict[str, dict[str, float]]) -> list[str]:
    """Which corpus was built, and what an article of each corpus costs to extract."""
    if isinstance(corpus, RealTextCorpus):
        sources = len(corpus.sources)
        what = (
            f"real text: the {sources} articles of seeds/ and tests/articles/, each set of "
            f"{sources} with new names ({len(corpus.words)} name words replaced); "
            f"{sum(corpus.claims) / sources:.1f} claims an article in the originals, "
            f"{costs['real text']['claims']:.1f} in a renamed set"
        )
    else:
        what = "templates: invented series written from corpus.py's templates"
    real, templates = costs["real text"]["seconds"], costs["templates"]["seconds"]
    return [
        f"Corpus: {what}",
        f"Extraction on one core: real text {real * 1000:.1f} ms an article, templates "
        f"{templates * 1000:.1f} ms (real text x{real / templates:.1f})",
    ]


def report(
    results: list[dict[str, object]],
    view: str | float,
    corpus: Corpus,
    costs: dict[str, dict[str, float]],
) -> list[str]:
    """The summary lines: each figure with its baseline and the ratio."""
    lines = describe(corpus, costs)
    for r in results:
        n, b, s, rb = r["articles"], r["build"], r["build_single_process"], r["rebuild_one_changed"]
        lines.append(
            f"N={n:>6}: {r['triples']:>9} triples; build {b['seconds']:.1f} s "
            f"(single process {s['seconds']:.1f} s, x{s['seconds'] / b['seconds']:.2f}), "
            f"{r['articles_per_s']:.0f} articles/s, peak RSS {b['peak_rss_mb']:.0f} MB "
            f"(PSS {b['peak_pss_mb']:.0f} MB); "
            f"rebuild after one change {rb['seconds']:.2f} s, page cache {_cache(r)} "
            f"({rb['seconds'] / b['seconds']:.2f} of the full build), "
            f"{r['rebuild_one_changed_warm']['seconds']:.2f} s with the files in memory"
        )
        for q in r["queries"]:
            bound = " ".join(f"-p {k} {v!r}" for k, v in q["params"].items())
            line = f"    query {q['query']} {bound}".ljust(52) + f"{q['oxigraph_s'] * 1000:9.1f} ms"
            if "open_and_query_s" in q:
                line += f"   (open + query {q['open_and_query_s'] * 1000:.1f} ms)"
            if "rdflib_s" in q:
                ratio = q["rdflib_s"] / q["oxigraph_s"]
                floor = "≥ " if q["rdflib_capped"] else ""  # stopped at the cap: a lower bound
                line += f"   rdflib {floor}{q['rdflib_s'] * 1000:.1f} ms   {floor}x{ratio:.0f}"
            if "rdflib_error" in q:
                line += f"   rdflib failed ({q['rdflib_error']})"
            lines.append(line)
    view_text = view if isinstance(view, str) else f"{view:.2f} s"
    drawn = [r["articles"] for r in results if r["articles"] <= VIEW_ARTICLES]
    lines.append(f"HTML view time to interactive (N={max(drawn, default='-')}): {view_text}")
    return lines + targets(results, costs[corpus.label]["seconds"])


def _cache(figures: dict[str, object]) -> str:
    """How the timed rebuild found the page cache (runs before this field: as left)."""
    return str(figures.get("rebuild_page_cache", "as left"))


def targets(results: list[dict[str, object]], extraction_s: float) -> list[str]:
    """The issue's targets, each with the figure measured for it (at the largest N); a build
    over its budget says what the extraction of its articles alone costs."""
    big = max(results, key=lambda r: r["articles"])
    b, rb = big["build"], big["rebuild_one_changed"]
    over = ""
    if b["seconds"] > 60:  # what the time is spent on, as far as this run measured it
        n, single = big["articles"], big["build_single_process"]["seconds"]
        over = (
            f" (not held: a single-process build spends {single / n * 1000:.1f} ms an article, "
            f"extraction alone {extraction_s * 1000:.1f} ms"
        )
        smaller = [r for r in results if r["articles"] < n]
        if smaller:
            last = max(smaller, key=lambda r: r["articles"])
            over += (
                f"; from N={last['articles']} the articles grow x{n / last['articles']:.0f}, "
                f"the build's time x{b['seconds'] / last['build']['seconds']:.1f}"
            )
        over += ")"
    lines = [
        f"Targets (N={big['articles']}):",
        f"  build <= 60 s: {b['seconds']:.1f} s{over}; peak memory < 1024 MB: RSS "
        f"{b['peak_rss_mb']:.0f} MB, PSS {b['peak_pss_mb']:.0f} MB",
        f"  rebuild after one change <= 2 s: {rb['seconds']:.2f} s, page cache {_cache(big)}, "
        f"{big['rebuild_one_changed_warm']['seconds']:.2f} s with them in memory",
    ]
    bound = [q["open_and_query_s"] for q in big["queries"] if "open_and_query_s" in q]
    lines.append(f"  bound query, open + query <= 100 ms: {max(bound) * 1000:.0f} ms at most")
    compared = [r for r in results if any("rdflib_s" in q for q in r["queries"])]
    if compared:
        queries = max(compared, key=lambda r: r["articles"])["queries"]
        rows = [q for q in queries if "rdflib_s" in q]
        worst = min(rows, key=lambda q: q["rdflib_s"] / q["oxigraph_s"])
        ratio = worst["rdflib_s"] / worst["oxigraph_s"]
        failed = ", ".join(q["query"] for q in queries if "rdflib_error" in q)
        lines.append(
            f"  every saved query >= x20 of rdflib (N={compared[-1]['articles']}): "
            f"slowest ratio x{ratio:.0f} ({worst['query']})"
            + (f"; rdflib fails on {failed}" if failed else "")
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument(
        "--rdflib-max", type=int, default=100, help="largest N to time rdflib's engine on (slow)"
    )
    parser.add_argument(
        "--rdflib-cap", type=float, default=300, help="seconds after which an rdflib query stops"
    )
    parser.add_argument(
        "--corpus",
        choices=("real", "templates"),
        default="real",
        help="real: the project's articles, renamed (realtext.py); templates: corpus.py's",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "benchmarks")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    real = RealTextCorpus()
    costs = {c.label: extraction_cost(c) for c in (real, TemplateCorpus(max(sizes)))}
    with tempfile.TemporaryDirectory(prefix="bkg-bench-") as tmp:
        work = Path(tmp)
        results = []
        for size in sizes:
            corpus = real if args.corpus == "real" else TemplateCorpus(size)
            print(f"N={size}: generating ({corpus.label}), building, querying ...", flush=True)
            cap = args.rdflib_cap if size <= args.rdflib_max else None
            results.append(bench_size(corpus, size, work, cap))
        view = view_figure(work, sizes)
    lines = report(results, view, corpus, costs)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = args.out / f"{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "cores": os.cpu_count(),
                "corpus": corpus.label,
                "extraction_per_article": costs,
                "results": results,
                "view_s": view,
            },
            indent=2,
        )
    )
    print("\n".join(lines))
    print(f"Figures written to {out}")


if __name__ == "__main__":
    main()
