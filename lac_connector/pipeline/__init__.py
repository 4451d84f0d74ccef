"""Run any source (`lac_connector.kit.protocol.SourceRun`) into a dlt destination."""
