"""The BI dashboard: a Streamlit app over the warehouse marts (`lac dashboard`)."""

from lac_connector.dashboard.launcher import launch

__all__ = ["launch"]
