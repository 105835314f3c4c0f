"""build(): articles -> claims -> graph -> Turtle file, with a summary of what happened.

Extraction runs per article, in worker processes, and is cached per article
by content hash.  Names are then resolved once across all the claims, and each
article's part of the graph is rendered (or taken from the cache) and checked
against the shapes before the file is written (graph/parts.py).  One build
at a time may write an output: a lock file beside it makes a second one stop
with a clear line.  The lock is a POSIX record lock (fcntl.lockf), not flock:
forked workers do not inherit it, so a build killed with -9 never leaves it
held by orphans.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bosch_kg.errors import BoschKGError, InputError, notice
from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article
from bosch_kg.graph import cache, parts
from bosch_kg.graph.change import Change
from bosch_kg.graph.names import Mentions
from bosch_kg.graph.parallel import in_workers
from bosch_kg.graph.query_store import (
    FreshStore,
    can_update,
    first_line,
    is_current,
    store_damage,
    store_path,
    update_store,
    write_store,
)
from bosch_kg.graph.state import Inconsistent, State
from bosch_kg.graph.store import atomic_writer, prefetch
from bosch_kg.graph.update import (
    Rendered,
    focus_turtles,
    graph_head,
    update,
    write_graph,
)
from bosch_kg.graph.validate import check_build
from bosch_kg.outputs import OutputError, check_output

#: The file endings read as articles.
ARTICLE_SUFFIXES = (".txt", ".md")

#: Extracted claims are committed to the cache this often.
COMMIT_EVERY = 200

#: Called with (articles done, articles in all) as extraction goes.
Progress = Callable[[int, int], None]

_ENTITY_CLASSES = ("Series", "Person", "Character", "Role", "Franchise", "Network", "Review")


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
    #: articles read and extracted anew (the others came from the cache)
    extracted: int = 0


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in a stable order.

    Every name with an article's ending is an article: one that is no readable file
    (a broken link, a folder, a FIFO) or whose name gives no id is refused, not
    skipped, so no article drops out of the graph unsaid.
    """
    if not folder.is_dir():
        raise InputError(folder, "no such folder of articles")
    files = [p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES]
    for path in files:
        if path.is_file() and not path.stem.strip():
            raise InputError(path, "the file name gives no article id; rename the file")
        if path.is_file():
            continue
        if path.is_symlink():
            why = f"a link to {os.readlink(path)}, which is no file"
        elif path.is_dir():
            why = "a folder, not an article file"
        else:
            why = "not a regular file (a device, FIFO or socket)"
        raise InputError(path, f"{why}; rename or move it")
    files.sort(key=lambda p: p.name)  # comparing Paths is ten times slower
    if not files:
        raise InputError(folder, f"no articles ({', '.join(ARTICLE_SUFFIXES)} files) here")
    return files


def lock_path(output: Path) -> Path:
    """The lock file a build of `output` holds: `<graph>.lock` beside it."""
    return output.with_name(output.name + ".lock")


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock file for a build; refuse if another build holds it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_path(output)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BoschKGError(
                f"{output}: another build is writing this graph (it holds {lock}); "
                "run again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays for the next build


@dataclass(frozen=True)
class Extracted:
    """What a build keeps of an article's extraction: its claims as the cache stores them, the
    names they mention and the lines skipped as noise.  Made in the worker process, so the
    build's own process only writes them down."""

    payload: bytes
    mentions: Mentions
    skipped: tuple[str, ...]

    @classmethod
    def of(cls, claims: ArticleClaims) -> Extracted:
        skipped = tuple(f"{claims.meta.id}: {line}" for line in claims.skipped)
        return cls(cache.claims_payload(claims), Mentions.of(claims.claims), skipped)


def _extract(path: Path) -> Extracted:
    return Extracted.of(extract_article(path))


def extract_new(
    files: dict[str, Path],
    entries: cache.Cache,
    workers: int | None = None,
    progress: Progress | None = None,
    done: int = 0,
) -> tuple[dict[str, Mentions], list[str], int]:
    """The names each article mentions, extracting those not cached (cache key -> file).

    Returns the mentions by key, the skipped lines, and how many articles were
    extracted anew.  The claims go to the cache, committed every few hundred
    articles, so a build killed now keeps what it extracted.  The first bad
    article stops the build.
    """
    mentions, skipped = {}, []
    total = done + len(files)
    missing = []
    for key in files:
        claims = cache.load_claims(entries, key)
        if claims is None:
            missing.append(key)
        else:
            mentions[key] = Mentions.of(claims.claims)
            skipped += [f"{claims.meta.id}: {line}" for line in claims.skipped]
    done += len(files) - len(missing)
    if progress:
        progress(done, total)
    fresh = in_workers(_extract, [files[key] for key in missing], workers)
    for key, extracted in zip(missing, fresh, strict=True):
        entries.write(key, "claims", extracted.payload)
        mentions[key] = extracted.mentions
        skipped += extracted.skipped
        done += 1
        if done % COMMIT_EVERY == 0:
            entries.commit()
        if progress:
            progress(done, total)
    entries.commit()
    return mentions, skipped, len(missing)


def build(
    articles: Path,
    output: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the graph of a folder of articles and write it to `output` (Turtle).

    The articles are checked first, then the output (never an input, never inside the
    articles folder, never anything but a regular file), before anything is written.
    A cache that does not check out is dropped, and the graph built from the articles.
    """
    files = article_files(articles)
    check_output(output, articles=articles, make_folders=True)
    entries = cache.cache_path(output)
    sidecars = [entries.with_name(entries.name + end) for end in cache.SIDECARS]
    for path in (lock_path(output), entries, *sidecars):
        _check_kept_file(path)
    prefetch(output)  # read from disk while names are resolved and articles rendered
    with build_lock(output):
        for stale in output.parent.glob(f".{output.name}.*.tmp"):  # left by a killed build
            stale.unlink(missing_ok=True)
        try:
            return _build(files, output, workers, progress)
        except Inconsistent as problem:
            notice(f"Cache {entries} is inconsistent ({problem}): rebuilt from the articles.")
            cache.remove(entries)
            return _build(files, output, workers, progress)


def _check_kept_file(path: Path) -> None:
    """Refuse to build beside a cache or lock path that is not a file: it is the user's to
    move (a folder may hold anything), and no rebuild can put the file there."""
    if path.exists() and not path.is_file():
        raise OutputError(
            path,
            "the build keeps a file of its own here, but this is not a regular file "
            "(a folder, device, FIFO or socket); move it away and build again",
        )


def _build(
    files: list[Path], output: Path, workers: int | None, progress: Progress | None
) -> BuildReport:
    """The build itself, from the cache as it is; `Inconsistent` if the cache does not
    check out (before anything is committed or written)."""
    with (
        cache.Cache(cache.cache_path(output)) as entries,
        # unnamed (O_TMPFILE): gone with the build, even one killed with -9
        tempfile.TemporaryFile(dir=output.parent) as spool,
    ):
        state = State(entries)
        keys = state.keys(files)
        if state.renderer() != parts.renderer_version():  # other code renders: start afresh
            state.clear()
            state.set_renderer(parts.renderer_version())
        built = state.built()
        new = {key: path for key, path in keys.items() if key not in built}
        mentions, skipped, extracted = extract_new(
            new, entries, workers, progress, done=len(keys) - len(new)
        )
        whole_file = not state.describes(output)
        # a store made anew loads the articles as they are rendered; a current one is updated
        current = not whole_file and _store_usable(output)
        fresh = None if current else _fresh_store(output)
        try:
            change = update(
                state, entries, keys, mentions, whole_file, spool, workers, _adds(fresh)
            )
            if fresh is None and not can_update(change):
                fresh = _fresh_store(output)
            if change.changed or whole_file:
                _write(change, state, output, fresh)
            elif fresh is not None:  # queries open the store instead of parsing the Turtle
                fresh.load_file(output, change)
            entries.commit()  # the parts and the state are kept only once the graph is written
            # the store last (its loader compacts it while SQLite commits): killed now, it is
            # not current for the new graph, and the next build makes it anew
            if fresh is not None:
                fresh.finish(output)
            elif change.changed or whole_file:
                _update_store(output, change)
        except BaseException:
            if fresh is not None:
                fresh.abandon()  # the old store stays, and stays current for the old graph
            raise
        entries.keep_only(set(keys))
    return BuildReport(
        output=output,
        articles=len(keys),
        claims=change.claims,
        facts=change.facts,
        triples=change.triples,
        entities={t: change.types[f"bkg:{t}"] for t in (*_ENTITY_CLASSES, "Article")},
        skipped=skipped,
        changed=change.changed or whole_file,
        extracted=extracted + change.extracted,
    )


def _store_usable(output: Path) -> bool:
    """Whether the query store is current for the graph, so the build may update it; one
    that was made from this graph but is damaged since is said so, and made anew."""
    problem = store_damage(output)
    if problem is not None:
        notice(f"Query store {store_path(output)} is damaged ({problem}): made anew.")
        return False
    return is_current(output)


def _update_store(output: Path, change: Change) -> None:
    """Update the query store in place; one that fails to open or update (damage its stamp
    could not see) is made anew from the new graph."""
    try:
        update_store(output, change)
    except (OSError, RuntimeError) as error:  # pyoxigraph reports RocksDB's faults as these
        notice(f"Query store {store_path(output)} is damaged ({first_line(error)}): made anew.")
        write_store(output, change)


def _fresh_store(output: Path) -> FreshStore:
    """A query store made anew from what this build checked: every section it loads passed
    the shapes, in this build or in the one that wrote it into the graph file."""
    return FreshStore(output, graph_head(), checked=True)


def _adds(fresh: FreshStore | None) -> Rendered | None:
    return fresh.add if fresh is not None else None


def _write(change: Change, state: State, output: Path, fresh: FreshStore | None) -> None:
    """Validate the graph and write it: a graph that breaks the shapes is never written.

    A `fresh` store loads the shared section while the file is written, and the
    rest of the new file in the background while the shapes run.
    """
    if fresh is not None:
        fresh.add_shared(state.blocks())
    with atomic_writer(output) as out:
        write_graph(change, state, out, output)
        if fresh is not None:
            fresh.load_file(Path(out.name), change)
        check_build(focus_turtles(change, state), change.checks)
    state.set_graph(output)
