"""Run `lint-imports` (the layers contract in pyproject.toml) on the package as it installs.

import-linter finds a package's modules by walking its folder, but setuptools maps
folders of the checkout (extract/, graph/, ...) into `bosch_kg`, so the folder
bosch_kg/ alone lacks them.  This lays the package out as installed, in a
temporary folder of links made from `[tool.setuptools.package-dir]`, and runs
lint-imports there.  Usage: python tests/lint_imports.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lay_out(project: Path, target: Path) -> None:
    """Link each package's folder where its import name puts it under `target`."""
    config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    for package, folder in sorted(mapping.items()):  # parents before their subpackages
        place = target.joinpath(*package.split("."))
        place.mkdir(parents=True, exist_ok=True)
        for module in (project / folder).glob("*.py"):
            (place / module.name).symlink_to(module)


def main() -> int:
    linter = shutil.which("lint-imports")
    if linter is None:
        print("lint-imports is not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bosch-kg-layers-") as folder:
        lay_out(ROOT, Path(folder))
        # run from the laid-out folder, which lint-imports puts first on the import path
        command = [linter, "--no-cache", str(ROOT / "pyproject.toml")]
        return subprocess.run(command, cwd=folder, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
