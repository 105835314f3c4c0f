"""bosch-kg: a knowledge graph of the Bosch TV universe, built from articles."""

__version__ = "0.1.0"
