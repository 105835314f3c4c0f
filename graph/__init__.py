"""The graph: claims -> RDF under the ontology, stored as Turtle."""
