"""Saved SPARQL queries and the code that runs them."""
