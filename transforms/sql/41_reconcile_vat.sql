-- Reconciliation checks: the API's VAT sheet (expected) against the ledger-based VAT (actual).
-- requires: books_rows, company.fiscal_year_start_month, company.vat_period_months, vat_rows
--
-- One row per company, month, VAT code and rate, and amount (base, output VAT, input VAT). Only
-- months with VAT sheet rows are compared.
CREATE VIEW {dataset}.int_reconcile_vat AS
WITH sheet AS (
    SELECT customer_id, period,
        vat_code || ' ' || CAST(COALESCE(vat_rate_basis_points, 0) AS VARCHAR) AS line_key,
        SUM(base_cents) AS base_cents,
        SUM(output_vat_cents) AS output_vat_cents,
        SUM(input_vat_cents) AS input_vat_cents
    FROM {dataset}.int_vat_rows
    GROUP BY customer_id, period, vat_code || ' ' || CAST(COALESCE(vat_rate_basis_points, 0) AS VARCHAR)
), ledger AS (
    SELECT v.customer_id, v.period,
        v.vat_code || ' ' || CAST(COALESCE(v.vat_rate_basis_points, 0) AS VARCHAR) AS line_key,
        SUM(v.base_cents) AS base_cents,
        SUM(v.output_vat_cents) AS output_vat_cents,
        SUM(v.input_vat_cents) AS input_vat_cents
    FROM {dataset}.int_ledger_vat AS v
    WHERE EXISTS (SELECT 1 FROM sheet AS s WHERE s.customer_id = v.customer_id AND s.period = v.period)
    GROUP BY v.customer_id, v.period, v.vat_code || ' ' || CAST(COALESCE(v.vat_rate_basis_points, 0) AS VARCHAR)
), joined AS (
    SELECT
        COALESCE(s.customer_id, l.customer_id) AS customer_id,
        COALESCE(s.period, l.period) AS period,
        COALESCE(s.line_key, l.line_key) AS line_key,
        COALESCE(s.base_cents, 0) AS sheet_base, COALESCE(l.base_cents, 0) AS ledger_base,
        COALESCE(s.output_vat_cents, 0) AS sheet_output, COALESCE(l.output_vat_cents, 0) AS ledger_output,
        COALESCE(s.input_vat_cents, 0) AS sheet_input, COALESCE(l.input_vat_cents, 0) AS ledger_input
    FROM sheet AS s
    FULL OUTER JOIN ledger AS l
        ON l.customer_id = s.customer_id AND l.period = s.period AND l.line_key = s.line_key
)
SELECT customer_id, period, 'vat_base' AS check_name, line_key,
    CAST(sheet_base AS BIGINT) AS expected_cents, CAST(ledger_base AS BIGINT) AS actual_cents
FROM joined
UNION ALL
SELECT customer_id, period, 'vat_output', line_key, CAST(sheet_output AS BIGINT), CAST(ledger_output AS BIGINT)
FROM joined
UNION ALL
SELECT customer_id, period, 'vat_input', line_key, CAST(sheet_input AS BIGINT), CAST(ledger_input AS BIGINT)
FROM joined;
