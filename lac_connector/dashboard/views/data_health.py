"""Data health: when each table last synced, how complete the warehouse is, the reconciliation verdict."""

import pandas as pd
import streamlit as st

from lac_connector.dashboard import data, queries
from lac_connector.dashboard.health import complete_as_of, not_ok, utc_minute

st.title("Data health")
present = data.relation_columns()

st.subheader("Syncs")
if "sync_runs" in present:
    runs = data.load(queries.sync_runs)
    if runs.empty:
        st.info("No sync recorded yet.")
    else:
        last = runs.iloc[0]
        kpis = st.columns(3)
        finished = last["finished_at"]
        kpis[0].metric("Last sync (UTC)", utc_minute(finished) if pd.notna(finished) else "running")
        kpis[1].metric("Last sync status", str(last["status"]))
        if "sync_coverage" in present:
            coverage = data.load(queries.coverage)
            kpis[2].metric(
                "Complete as of (UTC)",
                complete_as_of(coverage),
                help="every table that syncs last synced ok at or after this time (skipped tables aside)",
            )
            st.markdown("**Per table** (latest outcome; complete as of = last ok sync)")
            st.dataframe(coverage, hide_index=True)
        st.markdown("**Latest runs**")
        st.dataframe(runs, hide_index=True)
else:
    st.info("No `sync_runs` table in this dataset.")

st.subheader("Reconciliation")
if "reconciliation" not in present:
    st.info("Not run yet: `lac run` reconciles after loading (`lac transform` on demand).")
    st.stop()
params = data.load(queries.transform_params) if "transform_params" in present else pd.DataFrame()
checks = data.load(queries.reconciliation)
failing = not_ok(checks)
run_at = params["run_at"].iloc[0] if "run_at" in params and len(params) else None
when = f" (transforms run at {utc_minute(run_at)} UTC)" if run_at is not None else ""
if checks.empty:
    st.success(f"Reconciliation ok: the ledger agrees with the API's statements and VAT sheet{when}.")
elif failing.empty:
    st.success(f"Reconciliation ok: {len(checks)} differences, all within tolerance{when}.")
else:
    st.error(f"Reconciliation: {len(failing)} differences beyond tolerance{when}.")
st.dataframe(failing, hide_index=True)
