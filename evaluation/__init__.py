"""Gold facts and the scorer that measures the extractors through the real CLI."""
