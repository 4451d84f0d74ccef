"""Scheduled runs on Dagster: one partition per company, each with its own pipeline state.

`companies` reads which companies to sync and their credentials, `runs` syncs and transforms one
company through `lac_connector.pipeline` and `lac_connector.transform`; `definitions` (needs the
`dagster` extra) turns them into Dagster assets, a check, a job and a schedule
(docs/orchestration.md).
"""
