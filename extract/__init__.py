"""Curated extractors: articles -> claims with evidence."""
