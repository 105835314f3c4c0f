"""The `bosch-kg` command: parses options, calls the library, prints, maps errors to exit codes.

Exit codes: 0 success, 1 an error the tool reports in one line (bad input,
missing graph, unknown query, an output it refuses to write, a file the
system cannot read or write), 2 a usage error (click's own), and for
`validate` a check that could not run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from bosch_kg import __version__, paths
from bosch_kg.errors import BoschKGError
from bosch_kg.outputs import check_output

F = TypeVar("F", bound=Callable[..., Any])


_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def shown(text: object) -> str:
    """Text as one terminal line: control characters escaped (\\n, \\x1b), and the bytes
    of a file name that are not UTF-8 (Python keeps them as surrogates) as \\xNN."""
    return _UNSHOWABLE.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


class Failure(click.ClickException):
    """An error reported in one line, with the command's exit code for it."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(shown(message))
        self.exit_code = exit_code


def reports_errors(command: F, exit_code: int = 1) -> F:
    """Turn the library's typed errors, and the system's faults (a file that cannot be
    read or written, a full disk), into one line on stderr and `exit_code`: never a
    traceback.  The one place the CLI catches them."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BoschKGError as error:
            raise Failure(str(error), exit_code) from error
        except OSError as error:
            raise Failure(os_fault(error), exit_code) from error

    return wrapper  # type: ignore[return-value]


def os_fault(error: OSError) -> str:
    """A system fault as one line: the file, when there is one, and what the system said."""
    if error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return error.strerror or str(error) or type(error).__name__


def check_made_from(output: Path, graph: Path) -> Path:
    """Check a file made from the graph: never the graph itself, nor a file the next build
    would read as an article (an article's ending in the folder the graph was built from)."""
    from bosch_kg.graph.build import ARTICLE_SUFFIXES
    from bosch_kg.graph.state import built_from

    articles = built_from(graph) if output.suffix in ARTICLE_SUFFIXES else None
    return check_output(output, reads=[graph], articles=articles)


def graph_option(command: F) -> F:
    """The `--graph FILE` option every command that reads the graph takes."""
    return click.option(
        "--graph",
        "graph",
        type=click.Path(path_type=Path, readable=False),  # one line of ours when it is not
        default=None,
        help="Graph file (Turtle). Default: output/graph.ttl in the project.",
    )(command)


def _graph(path: Path | None) -> Path:
    return path or paths.default_graph()


def _emit(data: bytes, output: Path | None) -> None:
    """Write a command's result to standard output, or atomically to the -o file."""
    from bosch_kg.graph.store import atomic_write

    if output is None:
        sys.stdout.buffer.write(data)
    else:
        atomic_write(output, data)
        click.echo(f"Wrote {shown(output)}", err=True)


def endpoint_options(command: F) -> F:
    """`--endpoint URL` and `--graph-iri IRI`: where on a SPARQL server the graph lives."""
    command = click.option(
        "--graph-iri",
        metavar="IRI",
        default=None,
        help="The server's named graph that holds the graph. Default: its default graph.",
    )(command)
    return click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="A SPARQL 1.1 server: its base URL (Oxigraph: /query, /store) or query endpoint.",
    )(command)


@click.group()
@click.version_option(__version__, prog_name="bosch-kg")
def cli() -> None:
    """A knowledge graph of the Bosch TV universe, built from articles and queried with SPARQL."""


@cli.command()
@click.option(
    "--articles",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of articles (.txt/.md). Default: the project's seeds/.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Graph file to write (Turtle); its folder is made if missing. "
    "Default: output/graph.ttl in the project.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--infer",
    is_flag=True,
    help="Also write the graph with its entailments beside it (graph.inferred.ttl), OWL 2 RL.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes extracting articles in parallel. Default: one per core.",
)
@reports_errors
def build(
    articles: Path | None, output: Path | None, quiet: bool, workers: int | None, infer: bool
) -> None:
    """Read the articles, extract their facts and write the graph."""
    from bosch_kg.graph.build import build as run_build
    from bosch_kg.graph.progress import ProgressReport

    articles = articles or paths.default_articles()
    output = output or paths.default_graph()
    if infer:  # the graph's own output is checked by the build
        from bosch_kg.graph.infer import inferred_path

        check_output(inferred_path(output), articles=articles, make_folders=True)
    report = run_build(
        articles,
        output,
        workers=workers,
        progress=None if quiet else ProgressReport(sys.stderr),
    )
    if infer:
        from bosch_kg.graph.infer import write_inferred

        inferred = write_inferred(report.output)
    if quiet:
        return
    entities = ", ".join(f"{n} {name}" for name, n in report.entities.items() if n)
    state = "written" if report.changed else "unchanged"
    click.echo(f"Read {report.articles} articles: {report.claims} claims, {report.facts} facts.")
    click.echo(f"Entities: {entities}.")
    click.echo(f"Graph: {shown(report.output)} ({report.triples} triples, {state}).")
    if infer:
        click.echo(
            f"Inferred: {shown(inferred.output)} ({inferred.inferred} triples inferred, "
            f"{inferred.triples} in all)."
        )
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} lines that state no facts:")
        for line in report.skipped:
            click.echo(f"  {shown(line)}")


@cli.command()
@click.argument("query")
@click.option(
    "--graph",
    "graphs",
    metavar="FILE",
    multiple=True,
    help="Graph to query, in any RDF syntax its extension names (.ttl .nt .nq .trig .jsonld "
    ".rdf), or - for Turtle on standard input. Repeatable. Default: output/graph.ttl.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "nq", "trig", "jsonld"]),
    default=None,
    help="Output: a text table or a W3C SPARQL results format; for CONSTRUCT and DESCRIBE an "
    "RDF syntax (json: JSON-LD, xml: RDF/XML). Default: from the -o file's extension, else a "
    "table (Turtle for a graph).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write the result to (atomically), in a folder that exists. "
    "Default: standard output.",
)
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Bind the query's variable ?NAME (a string literal, or <IRI>). Repeatable.",
)
@endpoint_options
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Run a query that reaches other servers (SERVICE, LOAD, FROM <http://...>).",
)
@reports_errors
def query(
    query: str,
    graphs: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    params: tuple[tuple[str, str], ...],
    endpoint: str | None,
    graph_iri: str | None,
    allow_remote: bool,
) -> None:
    """Run a saved query by NAME, a query file, or - for standard input.

    With --endpoint, the query runs on a SPARQL server (see `bosch-kg push`).
    A query that would reach another server is refused unless --allow-remote.
    """
    from bosch_kg.queries import runner

    if query == runner.STDIN and runner.STDIN in graphs:
        raise Failure("standard input can hold the query or a graph, not both")
    graphs = graphs or (str(paths.default_graph()),)
    if output is not None:
        local = [Path(g) for g in graphs if g != runner.STDIN]
        check_output(output, reads=local)
        for graph in local:  # nor an article file in the folder a graph was built from
            check_made_from(output, graph)
    saved = runner.find_query(query)
    reached = [] if allow_remote else runner.remote_parts(saved.text)
    if reached:
        raise Failure(
            f"query {saved.name!r} would reach the network ({', '.join(reached)}); "
            "queries run offline, pass --allow-remote to run it"
        )
    if endpoint is not None:
        from bosch_kg.queries.remote import Endpoint, run_remote

        result = run_remote(saved, Endpoint.parse(endpoint), dict(params), graph_iri)
    else:
        store = runner.open_graphs(list(graphs))
        bound, notes = runner.resolve_names(saved, store, dict(params))
        for note in notes:
            click.echo(shown(note), err=True)
        result = runner.run_query(saved, store, bound)
    data = runner.result_bytes(result, runner.result_format(result, fmt, output))
    _emit(data, output)


@cli.command()
@click.option("--show", metavar="NAME", default=None, help="Print one saved query's text.")
@reports_errors
def queries(show: str | None) -> None:
    """List the saved queries with their descriptions and parameters."""
    from bosch_kg.queries import runner

    if show is not None:
        saved = runner.find_query(show)
        params = ", ".join(p.name for p in saved.params) or "none"
        click.echo(f"{saved.title}: {saved.description}\nParameters: {params}\n")
        click.echo(saved.text, nl=False)
        return
    for saved in runner.saved_queries().values():
        click.echo(f"{saved.name:<14} {saved.description}")
        for param in saved.params:
            click.echo(f"{'':<14}   -p {param.name} VALUE   {param.description}")


@cli.command()
@graph_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "xml", "graphml"]),
    default=None,
    help="RDF syntax, or graphml (the drawn graph, for Gephi). Default: from the -o file's "
    "extension, else Turtle.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (atomically), in a folder that exists. Default: standard output.",
)
@click.option(
    "--infer", is_flag=True, help="Export the asserted triples plus what the ontology entails."
)
@reports_errors
def export(graph: Path | None, fmt: str | None, output: Path | None, infer: bool) -> None:
    """Write the graph in a standard RDF syntax for other tools."""
    from bosch_kg.export import export_bytes
    from bosch_kg.graph.store import require_graph

    if output is not None:
        check_made_from(output, require_graph(_graph(graph)))
    data = export_bytes(_graph(graph), fmt, output, infer=infer)
    _emit(data, output)


@cli.command()
@graph_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (atomically), in a folder that exists. "
    "Default: beside the graph, e.g. output/graph.html.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "graphml"]),
    default="html",
    show_default=True,
    help="An interactive offline page, or GraphML for Gephi.",
)
@click.option("--focus", metavar="NAME", default=None, help="Show only the neighbourhood of NAME.")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: how many edges away from NAME to show.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the written file.")
@reports_errors
def view(
    graph: Path | None,
    output: Path | None,
    fmt: str,
    focus: str | None,
    depth: int,
    open_page: bool,
) -> None:
    """Draw the graph: one HTML page to explore offline (search, filters, evidence)."""
    from bosch_kg.graph.store import require_graph
    from bosch_kg.view import FORMATS, write_view

    graph = require_graph(_graph(graph))
    output = check_made_from(output or graph.with_suffix(FORMATS[fmt]), graph)
    path = write_view(graph, output, fmt, focus, depth)
    click.echo(shown(path))
    if open_page:
        from bosch_kg.view import open_page as open_in_browser

        problem = open_in_browser(path)
        if problem:
            click.echo(shown(problem), err=True)


@cli.command()
@graph_option
@endpoint_options
@click.option(
    "--store",
    metavar="URL",
    default=None,
    help="The server's Graph Store endpoint, when --endpoint is a query endpoint.",
)
@reports_errors
def push(
    graph: Path | None, endpoint: str | None, graph_iri: str | None, store: str | None
) -> None:
    """Send the graph and the ontology to a SPARQL server, replacing the graph there.

    SPARQL 1.1 Graph Store Protocol (HTTP PUT), so any SPARQL 1.1 store takes it;
    then `bosch-kg query NAME --endpoint URL` runs saved queries on it.
    """
    from bosch_kg.queries.remote import Endpoint
    from bosch_kg.queries.remote import push as push_graph

    if endpoint is None:
        raise click.UsageError("Missing option '--endpoint'.")
    report = push_graph(_graph(graph), Endpoint.parse(endpoint, store), graph_iri)
    click.echo(f"Pushed {report.sent} triples (graph and ontology) to {report.target}.")
    click.echo(f"The server holds {report.held} triples in that graph.")


@cli.command()
@graph_option
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port on 127.0.0.1 (the server is never reachable from other machines).",
)
@click.option(
    "--allow-writes",
    is_flag=True,
    help="Take SPARQL UPDATE and Graph Store writes (from no web page but the server's own).",
)
@reports_errors
def serve(graph: Path | None, port: int, allow_writes: bool) -> None:
    """Serve the graph with Oxigraph's SPARQL server on 127.0.0.1 until Ctrl-C.

    Read-only unless --allow-writes; requests naming another Host are refused.
    """
    import signal
    import tempfile

    from bosch_kg.queries.server import running_server

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the server on kill too
    with (
        tempfile.TemporaryDirectory(prefix="bosch-kg-oxigraph-") as location,
        running_server(_graph(graph), port, Path(location), allow_writes) as server,
    ):
        mode = "writable" if server.writable else "read-only"
        click.echo(f"Serving {server.triples} triples at {server.url}/ (query page).")
        click.echo(f"SPARQL endpoint {server.url}/query, Graph Store {server.url}/store ({mode}).")
        click.echo("Press Ctrl-C to stop.")
        try:
            code = server.wait()
        except KeyboardInterrupt:
            click.echo("Stopped.")
            return
    raise Failure(f"the oxigraph server stopped by itself (exit code {code})")


@cli.command()
@graph_option
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs", "owlrl"]),
    default="none",
    show_default=True,
    help="Expand the graph with the ontology before checking (SHACL counts subclasses anyway).",
)
@partial(reports_errors, exit_code=2)
def validate(graph: Path | None, inference: str) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl).

    Exit codes, as pySHACL's: 0 conforms, 1 violations, 2 the check could not run.
    """
    from bosch_kg.graph.validate import validate_file

    report = validate_file(_graph(graph), inference)
    click.echo(report.text(), nl=False)
    sys.exit(0 if report.conforms else 1)
