-- Reconciliation checks: the API's own statements (expected) against the ledger marts (actual).
-- requires: books_rows, company.fiscal_year_start_month, company.vat_period_months, statement_lines
--
-- One row per company, month, statement and account (cash flow: line key). Only months for which
-- the API returned that statement are compared; within them, a line missing on either side counts
-- as zero. The runner writes the rows that differ to the `reconciliation` table.
CREATE VIEW {dataset}.int_reconcile_statements AS
WITH expected AS (
    SELECT customer_id, period, statement_kind AS check_name,
        CASE WHEN statement_kind = 'cashflow' THEN line_key ELSE account_code END AS line_key,
        SUM(amount_cents) AS amount_cents
    FROM {dataset}.int_statement_lines
    WHERE statement_kind IN ('income_statement', 'balance_sheet', 'cashflow')
    GROUP BY customer_id, period, statement_kind,
        CASE WHEN statement_kind = 'cashflow' THEN line_key ELSE account_code END
), compared AS (
    SELECT DISTINCT customer_id, period, check_name FROM expected
), ledger AS (
    SELECT customer_id, period, 'income_statement' AS check_name, account_code AS line_key,
        net_cents AS amount_cents
    FROM {dataset}.mart_profit_and_loss
    UNION ALL
    SELECT customer_id, period, 'balance_sheet', account_code, amount_cents FROM {dataset}.mart_balance_sheet
    UNION ALL
    SELECT customer_id, period, 'cashflow', 'opening_cash', opening_cash_cents FROM {dataset}.mart_monthly_trend
    UNION ALL
    SELECT customer_id, period, 'cashflow', 'cash_in', cash_in_cents FROM {dataset}.mart_monthly_trend
    UNION ALL
    SELECT customer_id, period, 'cashflow', 'cash_out', cash_out_cents FROM {dataset}.mart_monthly_trend
    UNION ALL
    SELECT customer_id, period, 'cashflow', 'closing_cash', closing_cash_cents FROM {dataset}.mart_monthly_trend
), actual AS (
    SELECT l.*
    FROM ledger AS l
    JOIN compared AS c ON c.customer_id = l.customer_id AND c.period = l.period AND c.check_name = l.check_name
)
SELECT
    COALESCE(e.customer_id, a.customer_id) AS customer_id,
    COALESCE(e.period, a.period) AS period,
    COALESCE(e.check_name, a.check_name) AS check_name,
    COALESCE(e.line_key, a.line_key) AS line_key,
    CAST(COALESCE(e.amount_cents, 0) AS BIGINT) AS expected_cents,
    CAST(COALESCE(a.amount_cents, 0) AS BIGINT) AS actual_cents
FROM expected AS e
FULL OUTER JOIN actual AS a
    ON a.customer_id = e.customer_id AND a.period = e.period AND a.check_name = e.check_name
    AND a.line_key = e.line_key;
