"""`python -m bosch_kg` runs the `bosch-kg` command."""

from bosch_kg.cli import cli

cli(prog_name="bosch-kg")
