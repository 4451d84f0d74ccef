"""SQL transforms: staging views, accounting marts and the reconciliation check."""
