"""LAC connector: dlt sources, pipelines and transforms for accounting APIs."""
