"""Building blocks shared by the sources: HTTP client, errors, settings, landing, dispositions, run report.

Sources import from here and nothing else of `lac_connector`; the pipeline and the CLI import
the sources. See docs/architecture.md.
"""
