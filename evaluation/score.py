"""Score the knowledge graph against the hand-made gold facts, through the real CLI.

For each article set (seeds, dev, own, and the corpus sets) it runs `bosch-kg build` on the set's
folder, then `bosch-kg query NAME --format csv` for each saved query, turns
the rows into facts, and compares them with `evaluation/gold/<article>.tsv`.
It prints precision, recall and F1 per fact kind and per set; `--verbose`
lists the false positives and negatives.  `--direct` skips the graph and
scores the extractors' claims (quicker, for debugging one article).

    python -m evaluation.score [--set seeds --set dev] [--verbose] [--min-recall 0.9]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bosch_kg.extract.clean import fold
from evaluation.facts import FACT_KINDS, implied, rows_from_claims

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "evaluation" / "gold"
SETS = {
    "seeds": ROOT / "seeds",
    "dev": ROOT / "tests" / "articles" / "dev",
    "own": ROOT / "tests" / "articles" / "own",
}
#: Sets whose gold is in the relation format of `evaluation/corpus_gold/GOLD.md`, scored by
#: the judge's own scorer (`relation_score.py`, kept verbatim) rather than re-implemented.
RELATION_SETS = {
    f"corpus-{name}": (
        ROOT / "tests" / "articles" / "corpus" / name,
        ROOT / "evaluation" / "corpus_gold" / name,
    )
    for name in ("bosch", "neighbours")
}
#: Articles written for the test by a writer who never saw the rules, with their gold
#: (evaluation/blind/README.md): scored the same way, as articles users bring would be.
RELATION_SETS["blind"] = (
    ROOT / "evaluation" / "blind" / "articles",
    ROOT / "evaluation" / "blind" / "gold",
)
QUERIES = (
    "cast",
    "characters",
    "appearances",
    "credits",
    "series",
    "spinoffs",
    "franchise",
    "similar",
    "relationships",
    "reviews",
)

Row = tuple[str, ...]


class GoldError(Exception):
    """A gold file line that does not fit its query's columns."""


def norm(value: str) -> str:
    """Compare values folded, accent-free, case-free, without quotes or extra spaces."""
    plain = unicodedata.normalize("NFD", fold(value))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
    return " ".join(plain.casefold().replace('"', "").replace("'", "").split())


def read_gold(path: Path) -> set[Row]:
    """Rows of one gold file; a cell may hold alternatives separated by '|'."""
    rows: set[Row] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, *cells = line.split("\t")
        if kind not in FACT_KINDS or len(cells) != len(FACT_KINDS[kind]):
            raise GoldError(f"{path}:{number}: expected {kind} with {FACT_KINDS.get(kind)}")
        rows.add((kind, *("|".join(sorted(c.split("|"))) for c in cells)))
    return implied(rows)


def gold_for(folder: Path) -> set[Row]:
    """The set's gold rows; rows of two articles that may name one fact become one row."""
    merged: list[Row] = []
    for article in sorted(folder.glob("*.txt")):
        gold = GOLD / f"{article.stem}.tsv"
        for row in sorted(read_gold(gold)) if gold.exists() else ():
            for i, other in enumerate(merged):
                if other[0] == row[0] and all(
                    {norm(a) for a in x.split("|")} & {norm(a) for a in y.split("|")}
                    for x, y in zip(row[1:], other[1:], strict=True)
                ):
                    merged[i] = (
                        row[0],
                        *(
                            "|".join(sorted(set(x.split("|")) | set(y.split("|"))))
                            for x, y in zip(row[1:], other[1:], strict=True)
                        ),
                    )
                    break
            else:
                merged.append(row)
    return set(merged)


#: The console script installed beside this Python (as the tests run it), else the one on PATH.
BOSCH_KG = str(Path(sys.executable).with_name("bosch-kg"))
if not Path(BOSCH_KG).exists():
    BOSCH_KG = shutil.which("bosch-kg") or "bosch-kg"


def _run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def rows_from_queries(results: dict[str, list[dict[str, str]]]) -> set[Row]:
    """Fact rows from the saved queries' CSV rows."""
    rows: set[Row] = set()
    for name, table in results.items():
        for r in table:
            if name == "series":
                if r.get("network"):
                    rows.add(("series_network", r["series"], r["network"]))
                for date in filter(None, (r.get("premiered") or "").split("; ")):
                    rows.add(("series_premiered", r["series"], date))
                for count in filter(None, (r.get("episodes") or "").split("; ")):
                    rows.add(("series_episodes", r["series"], count))
            elif name == "reviews":
                rows.add(("reviews_series", r["article"], r["series"]))
                if r.get("author"):
                    rows.add(("reviews_author", r["article"], r["author"]))
                if r.get("rating"):
                    rows.add(
                        ("reviews_rating", r["article"], r["rating"], r.get("best_rating", ""))
                    )
                if r.get("verdict"):
                    rows.add(("reviews_verdict", r["article"], r["verdict"]))
            elif name in FACT_KINDS:
                rows.add((name, *(r.get(col, "") for col in FACT_KINDS[name])))
    return implied(rows)


def system_rows(folder: Path) -> set[Row]:
    """Build the set's graph with the CLI and read the facts back with its saved queries."""
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph.ttl"
        _run([BOSCH_KG, "build", "--articles", str(folder), "--output", str(graph), "--quiet"])
        results = {}
        for name in QUERIES:
            text = _run([BOSCH_KG, "query", name, "--graph", str(graph), "--format", "csv"])
            results[name] = list(csv.DictReader(io.StringIO(text)))
    return rows_from_queries(results)


def direct_rows(folder: Path) -> set[Row]:
    """The same facts straight from the extractors' claims (no graph, no merging)."""
    from bosch_kg.extract.pipeline import extract_article

    rows: set[Row] = set()
    for article in sorted(folder.glob("*.txt")):
        rows |= rows_from_claims(extract_article(article))
    return rows


def _matches(gold: Row, found: Row) -> bool:
    return gold[0] == found[0] and all(
        norm(value) in {norm(alt) for alt in cell.split("|")}
        for cell, value in zip(gold[1:], found[1:], strict=True)
    )


def compare(gold: set[Row], found: set[Row]) -> tuple[list[Row], list[Row], list[Row]]:
    """True positives, false negatives (gold rows missed), false positives (rows not in gold)."""
    unmatched = set({tuple(map(norm, row)): row for row in sorted(found)}.values())
    tp, fn = [], []
    for row in sorted(gold):
        hit = next((f for f in sorted(unmatched) if _matches(row, f)), None)
        if hit:
            unmatched.discard(hit)
            tp.append(row)
        else:
            fn.append(row)
    # a second spelling of a fact already found (direct mode: no graph merged them) is no error
    fp = [f for f in sorted(unmatched) if not any(_matches(row, f) for row in tp)]
    return tp, fn, fp


def _prf(tp: int, fn: int, fp: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(
    name: str, tp: list[Row], fn: list[Row], fp: list[Row], verbose: bool
) -> tuple[float, float]:
    """Print one set's table; return its overall precision and recall."""
    counts = {k: Counter() for k in ("tp", "fn", "fp")}
    for key, rows in (("tp", tp), ("fn", fn), ("fp", fp)):
        counts[key].update(r[0] for r in rows)
    print(f"\n== {name}")
    print(f"{'kind':<18}{'gold':>6}{'found':>7}{'tp':>5}{'P':>7}{'R':>7}{'F1':>7}")
    for kind in FACT_KINDS:
        t, n, f = counts["tp"][kind], counts["fn"][kind], counts["fp"][kind]
        if t + n + f:
            p, r, f1 = _prf(t, n, f)
            print(f"{kind:<18}{t + n:>6}{t + f:>7}{t:>5}{p:>7.2f}{r:>7.2f}{f1:>7.2f}")
    p, r, f1 = _prf(len(tp), len(fn), len(fp))
    print(
        f"{'overall':<18}{len(tp) + len(fn):>6}{len(tp) + len(fp):>7}{len(tp):>5}"
        f"{p:>7.2f}{r:>7.2f}{f1:>7.2f}"
    )
    if verbose:
        for label, rows in (("missed (false negatives)", fn), ("wrong (false positives)", fp)):
            if rows:
                print(f"-- {label}:")
                for row in rows:
                    print("   " + "\t".join(row))
    return p, r


def relation_report(name: str, verbose: bool) -> tuple[float, float]:
    """Score a relation-format set with `relation_score.py`; print its table; return P and R."""
    folder, gold = RELATION_SETS[name]
    scorer = Path(__file__).with_name("relation_score.py")
    text = subprocess.run(
        [sys.executable, str(scorer), str(folder), str(gold)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BKG_CMD": BOSCH_KG},
    ).stdout
    lines = text.splitlines()
    print(f"\n== {name}")
    print("\n".join(ln for ln in lines if verbose or not ln.startswith("    ")))
    found = re.search(r"recall ([\d.]+) .* precision ([\d.]+) ", lines[-1])
    assert found, text
    return float(found[2]), float(found[1])


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=sorted(SETS | RELATION_SETS),
        help="article set to score (repeatable; default: all)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list FPs and FNs")
    parser.add_argument(
        "--direct", action="store_true", help="score the claims directly, without building a graph"
    )
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--min-precision", type=float, default=0.0)
    args = parser.parse_args(list(argv) if argv is not None else None)
    ok = True
    for name in args.sets or [*SETS, *RELATION_SETS]:
        if name in RELATION_SETS:
            p, r = relation_report(name, args.verbose)
            ok &= p >= args.min_precision and r >= args.min_recall
            continue
        folder = SETS[name]
        found = direct_rows(folder) if args.direct else system_rows(folder)
        p, r = report(name, *compare(gold_for(folder), found), verbose=args.verbose)
        ok &= p >= args.min_precision and r >= args.min_recall
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
