"""The README's examples, run and compared with what the README shows they print.

As sqlite-utils keeps its docs true with cog, this test reads README.md and runs its
examples, so a README that drifts from the tool fails here. When the tool's output changes on
purpose (a new rule finds more facts, so the counts change), the fix is the README:

    python tests/test_readme.py --update    # write what the commands print into README.md
    python -m pytest tests/test_readme.py   # check

How the README is read:

- An example is a line of a fenced block that starts with `$ `: the command is the rest of
  the line. It goes on over the next lines while a quote is open or the line ends in `\\`.
- The lines after a command, up to the next command or the end of the block, are what it
  prints: standard output and standard error together, as a terminal shows them. The exit
  code is not compared (the README's table of exit codes is covered by the CLI's tests).
- A block right after the line `<!-- not run -->` is not run: the server, the browser, and
  examples with the reader's own paths.
- `…` alone on a line means "the rest of this command's output is omitted": the lines
  before it must be the first lines printed. A line that ends in `…` (after text) stands for a
  longer line that starts with the text before the `…`.

How the commands run: with bash, one after the other in README order, in one temporary
project folder that holds a copy of `seeds/`; the README says to run them from the project
folder. `python -m evaluation.score` finds the checkout's `evaluation/` (PYTHONPATH).
`bosch-kg` there is the installed command, except that its defaults (`seeds/`,
`output/graph.ttl`) are those of the temporary folder, so the checkout's own `output/` is
never touched. HOME is an empty temporary folder.

What is normalised, and only that, on both sides: the temporary folder's path is written
`~/bosch-kg` (where the README's reader cloned the project); a duration `in 0.3 s` is
`in N s`; spaces at the ends of lines are dropped (a table pads its last column).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NOT_RUN = "<!-- not run -->"
OMITTED = "…"
#: How the README writes the project folder.
PROJECT = "~/bosch-kg"

#: A `bosch-kg` whose default folders are those of $BOSCH_KG_README_ROOT.
SHIM = f"""#!{sys.executable}
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    import bosch_kg.paths

    bosch_kg.paths.PROJECT_ROOT = Path(os.environ["BOSCH_KG_README_ROOT"])
    from bosch_kg.cli import cli

    sys.exit(cli())
"""


@dataclass
class Example:
    """One `$ command` of the README and the output shown under it."""

    line: int  # 1-based line of the `$ ` in README.md
    command: str
    shown: list[str] = field(default_factory=list)
    shown_at: int = 0  # index in the README's lines of the first output line

    @property
    def id(self) -> str:
        first = self.command.splitlines()[0]
        return f"README.md:{self.line} {first[:60]}"


def _open(command: str) -> bool:
    """Whether the command goes on at the next line (an open quote, or a trailing backslash)."""
    if command.endswith("\\"):
        return True
    try:
        shlex.split(command)
    except ValueError:  # "No closing quotation"
        return True
    return False


def examples(text: str) -> list[Example]:
    """The examples of the README's fenced blocks that are run, in order."""
    lines = text.split("\n")
    found: list[Example] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        skip = i > 0 and lines[i - 1].strip() == NOT_RUN
        end = i + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        j = i + 1
        current: Example | None = None
        while j < end:
            if lines[j].startswith("$ "):
                command = lines[j][2:]
                start = j
                while _open(command) and j + 1 < end:
                    j += 1
                    command += "\n" + lines[j]
                current = Example(start + 1, command, shown_at=j + 1)
                if not skip:
                    found.append(current)
            elif current is not None:
                current.shown.append(lines[j])
            j += 1
        i = end + 1
    return found


def printed_lines(text: str, root: Path) -> list[str]:
    """A command's output as lines, with the project folder written as the README writes it."""
    for path in {str(root.resolve()), str(root)}:
        text = text.replace(path, PROJECT)
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []


def same(want: str, got: str) -> bool:
    """Whether a README line is the printed line, durations aside."""
    duration = re.compile(r"\bin \d+(?:\.\d+)? s\b")
    return duration.sub("in N s", want.rstrip()) == duration.sub("in N s", got)


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the README's lines show what was printed (with the `…` rules)."""
    for k, want in enumerate(shown):
        if want.strip() == OMITTED:
            return True  # the rest omitted
        if k >= len(printed):
            return False
        got = printed[k]
        if want.rstrip().endswith(OMITTED):
            if not got.startswith(want.rstrip()[: -len(OMITTED)]):
                return False
        elif not same(want, got):
            return False
    return len(printed) == len(shown)


def rewrite(shown: list[str], printed: list[str]) -> list[str]:
    """What the README should show: the printed lines, trimmed where the README trims."""
    out: list[str] = []
    for k, want in enumerate(shown):
        if want.strip() == OMITTED:
            return out + [want]
        if k >= len(printed):
            return out
        got = printed[k]
        cut = len(want.rstrip()) - len(OMITTED)
        if want.rstrip().endswith(OMITTED) and len(got) > cut:
            out.append(got[:cut] + OMITTED)
        else:
            out.append(want if same(want, got) else got)
    return out + printed[len(shown) :]


def project(base: Path) -> tuple[Path, dict[str, str]]:
    """A temporary project folder with the seeds, and the environment to run commands in."""
    root = base / "bosch-kg"
    root.mkdir()
    shutil.copytree(ROOT / "seeds", root / "seeds")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "bosch-kg"
    shim.write_text(SHIM)
    shim.chmod(0o755)
    home = base / "home"
    home.mkdir()
    env = dict(os.environ)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        BOSCH_KG_README_ROOT=str(root),
        HOME=str(home),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return root, env


def run(example: Example, root: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        ["bash", "-c", example.command],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=300,
    )
    return printed_lines(done.stdout, root)


EXAMPLES = examples(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[str]]:
    """What every example prints, run in README order in one project folder."""
    root, env = project(tmp_path_factory.mktemp("readme"))
    return {example.line: run(example, root, env) for example in EXAMPLES}


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 10
    assert EXAMPLES[0].command == "bosch-kg build", "the tour starts by building the seeds"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_example_prints_what_the_readme_shows(
    example: Example, printed: dict[int, list[str]]
) -> None:
    got = printed[example.line]
    if not matches(example.shown, got):
        shown = "\n".join(example.shown)
        pytest.fail(
            f"README.md line {example.line}: `{example.command}` prints\n"
            + "\n".join(got)
            + f"\n\nbut the README shows\n{shown}\n\n"
            "If the change is meant, update the README: python tests/test_readme.py --update",
            pytrace=False,
        )


def test_the_readme_names_no_machine_path() -> None:
    text = README.read_text(encoding="utf-8")
    assert str(ROOT) not in text
    assert not re.search(r"(?<![\w~.])/(?:home|root|tmp|work|Users)/", text)


def update(readme: Path = README) -> int:
    """Write what each example prints into the README; return how many changed."""
    import tempfile

    lines = readme.read_text(encoding="utf-8").split("\n")
    found = examples("\n".join(lines))
    changed = 0
    with tempfile.TemporaryDirectory() as tmp:
        root, env = project(Path(tmp))
        new: dict[int, list[str]] = {}
        for example in found:
            got = run(example, root, env)
            if any(line.startswith("Traceback (most recent call last)") for line in got):
                raise SystemExit(
                    f"README.md line {example.line}: `{example.command}` crashed; README not"
                    " changed:\n" + "\n".join(got)
                )
            if not matches(example.shown, got):
                new[example.shown_at] = rewrite(example.shown, got)
    for example in reversed(found):  # from the end, so earlier indices stay right
        if example.shown_at in new:
            start = example.shown_at
            lines[start : start + len(example.shown)] = new[start]
            changed += 1
    if changed:
        readme.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_readme.py --update")
    n = update()
    print(f"Updated {n} example{'s' * (n != 1)} in README.md." if n else "README.md is current.")
