-- Ledger marts: periods, general ledger, profit and loss, balance sheet, monthly trend.
-- requires: books_rows, company.fiscal_year_start_month, company.vat_period_months
--
-- Accounting model (the LAC books, as the sandbox simulates them): every books row is a P&L posting
-- settled through the bank; signed amounts (sales positive, purchases negative). Balance accounts are
-- derived: 1910 bank = cumulative gross, 2939 VAT payable = cumulative VAT, equity 2370 = result of
-- the current fiscal year, 2251 = results of prior fiscal years. Balances (and cash) are anchored at
-- the API's own balance sheet (cash flow) of the first loaded month (`int_ledger_anchors`), so a
-- load starting after the books' first month still has the right opening balances; with the full
-- history loaded the anchors are zero. Account sections follow the Finnish chart of accounts by
-- first digit.

-- One row per company and month with books rows: calendar, fiscal and VAT period.
-- fiscal_year = the calendar year in which the fiscal year ENDS (FY 2025-07..2026-06 is 2026);
-- fiscal_period = month number within the fiscal year (1 = the fiscal_year_start_month).
-- vat_period = `YYYY-MM` (monthly), `YYYY-Qn` (quarterly), `YYYY` (yearly), like the filings table.
CREATE VIEW {dataset}.int_periods AS
WITH months AS (
    SELECT DISTINCT customer_id, period FROM {dataset}.int_books_rows
), parts AS (
    SELECT
        m.customer_id,
        m.period,
        CAST(SUBSTR(m.period, 1, 4) AS INTEGER) AS year_number,
        CAST(SUBSTR(m.period, 6, 2) AS INTEGER) AS month_number,
        COALESCE(CAST(c.fiscal_year_start_month AS INTEGER), 1) AS fy_start_month,
        COALESCE(CAST(c.vat_period_months AS INTEGER), 1) AS vat_period_months
    FROM months AS m
    LEFT JOIN {dataset}.stg_company AS c ON c.customer_id = m.customer_id
)
SELECT
    customer_id,
    period,
    year_number,
    month_number,
    fy_start_month,
    vat_period_months,
    CASE WHEN fy_start_month = 1 OR month_number < fy_start_month THEN year_number ELSE year_number + 1 END
        AS fiscal_year,
    CASE WHEN month_number >= fy_start_month THEN month_number - fy_start_month + 1
        ELSE month_number - fy_start_month + 13 END AS fiscal_period,
    CASE
        WHEN vat_period_months = 12 THEN SUBSTR(period, 1, 4)
        WHEN vat_period_months = 3 THEN SUBSTR(period, 1, 4) || '-Q' || CAST(
            CASE WHEN month_number <= 3 THEN 1 WHEN month_number <= 6 THEN 2 WHEN month_number <= 9 THEN 3 ELSE 4 END
            AS VARCHAR)
        WHEN vat_period_months = 1 THEN period
        ELSE SUBSTR(period, 1, 5)
            || LPAD(CAST(month_number - (month_number - 1) % vat_period_months AS VARCHAR), 2, '0')
    END AS vat_period
FROM parts;

-- One row per books row.
CREATE VIEW {dataset}.mart_general_ledger AS
SELECT
    b.customer_id,
    b.period,
    b.entry_date,
    p.fiscal_year,
    p.fiscal_period,
    p.vat_period,
    b.row_index,
    b.account_code,
    b.account_name,
    CASE
        WHEN b.account_code LIKE '1%' THEN 'assets'
        WHEN b.account_code LIKE '2%' THEN 'equity_and_liabilities'
        WHEN b.account_code LIKE '3%' THEN 'revenue'
        WHEN SUBSTR(b.account_code, 1, 1) IN ('4', '5', '6', '7', '8', '9') THEN 'expenses'
        ELSE 'other'
    END AS account_section,
    b.vat_code,
    b.vat_rate_basis_points,
    CAST(CAST(b.vat_rate_basis_points AS DECIMAL(18,0)) * 0.01 AS DECIMAL(10,2)) AS vat_rate_percent,
    b.description,
    b.counterparty,
    b.category,
    b.status,
    b.net_cents,
    b.vat_cents,
    b.gross_cents,
    CAST(CAST(b.net_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS net,
    CAST(CAST(b.vat_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS vat,
    CAST(CAST(b.gross_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS gross
FROM {dataset}.int_books_rows AS b
JOIN {dataset}.int_periods AS p ON p.customer_id = b.customer_id AND p.period = b.period;

-- One row per company: opening balances (before the first loaded month) implied by the API's own
-- statements of the first loaded month: API balance at the end of that month minus the ledger's
-- movement in it. Zero when the API returned no balance sheet for that month, or `statement_lines`
-- is not loaded (`int_statement_lines` is then an empty view). The 2370 opening is the result of
-- the first month's fiscal year so far: it stays in 2370 during that fiscal year and belongs to
-- 2251 from the next one on. Opening cash is the API cash flow's `opening_cash` of the first month
-- if the API returned one, else the 1910 opening.
CREATE VIEW {dataset}.int_ledger_anchors AS
WITH first_month AS (
    SELECT customer_id, MIN(period) AS period FROM {dataset}.int_periods GROUP BY customer_id
), movement AS (
    SELECT
        g.customer_id,
        g.period,
        g.fiscal_year,
        COALESCE(SUM(g.net_cents), 0) AS net_cents,
        COALESCE(SUM(g.vat_cents), 0) AS vat_cents,
        COALESCE(SUM(g.gross_cents), 0) AS gross_cents
    FROM {dataset}.mart_general_ledger AS g
    JOIN first_month AS f ON f.customer_id = g.customer_id AND f.period = g.period
    GROUP BY g.customer_id, g.period, g.fiscal_year
), api_balance AS (
    SELECT
        s.customer_id,
        COALESCE(SUM(CASE WHEN s.account_code = '1910' THEN s.amount_cents END), 0) AS bank_cents,
        COALESCE(SUM(CASE WHEN s.account_code = '2939' THEN s.amount_cents END), 0) AS vat_payable_cents,
        COALESCE(SUM(CASE WHEN s.account_code = '2251' THEN s.amount_cents END), 0) AS prior_years_cents,
        COALESCE(SUM(CASE WHEN s.account_code = '2370' THEN s.amount_cents END), 0) AS current_year_cents
    FROM {dataset}.int_statement_lines AS s
    JOIN first_month AS f ON f.customer_id = s.customer_id AND f.period = s.period
    WHERE s.statement_kind = 'balance_sheet'
    GROUP BY s.customer_id
), api_cash AS (
    SELECT s.customer_id, SUM(s.amount_cents) AS opening_cash_cents
    FROM {dataset}.int_statement_lines AS s
    JOIN first_month AS f ON f.customer_id = s.customer_id AND f.period = s.period
    WHERE s.statement_kind = 'cashflow' AND s.line_key = 'opening_cash'
    GROUP BY s.customer_id
), openings AS (
    SELECT
        m.customer_id,
        m.period AS first_period,
        m.fiscal_year AS first_fiscal_year,
        -- no API balance sheet for the first month: opening balances zero
        CASE WHEN b.customer_id IS NULL THEN 0 ELSE b.bank_cents - m.gross_cents END AS bank_opening_cents,
        CASE WHEN b.customer_id IS NULL THEN 0 ELSE b.vat_payable_cents - m.vat_cents END
            AS vat_payable_opening_cents,
        CASE WHEN b.customer_id IS NULL THEN 0 ELSE b.prior_years_cents END AS prior_years_opening_cents,
        CASE WHEN b.customer_id IS NULL THEN 0 ELSE b.current_year_cents - m.net_cents END
            AS current_year_opening_cents,
        c.opening_cash_cents AS api_opening_cash_cents
    FROM movement AS m
    LEFT JOIN api_balance AS b ON b.customer_id = m.customer_id
    LEFT JOIN api_cash AS c ON c.customer_id = m.customer_id
)
SELECT
    customer_id,
    first_period,
    first_fiscal_year,
    CAST(bank_opening_cents AS BIGINT) AS bank_opening_cents,
    CAST(vat_payable_opening_cents AS BIGINT) AS vat_payable_opening_cents,
    CAST(prior_years_opening_cents AS BIGINT) AS prior_years_opening_cents,
    CAST(current_year_opening_cents AS BIGINT) AS current_year_opening_cents,
    CAST(COALESCE(api_opening_cash_cents, bank_opening_cents) AS BIGINT) AS opening_cash_cents
FROM openings;

-- One row per company, month and P&L account with rows in that month; ytd = fiscal year to date.
CREATE VIEW {dataset}.mart_profit_and_loss AS
WITH monthly AS (
    SELECT
        customer_id,
        fiscal_year,
        fiscal_period,
        period,
        account_code,
        MAX(account_name) AS account_name,
        account_section,
        SUM(net_cents) AS net_cents,
        COUNT(*) AS row_count
    FROM {dataset}.mart_general_ledger
    WHERE account_section IN ('revenue', 'expenses')
    GROUP BY customer_id, fiscal_year, fiscal_period, period, account_code, account_section
), with_ytd AS (
    SELECT
        monthly.*,
        SUM(net_cents) OVER (
            PARTITION BY customer_id, account_code, fiscal_year ORDER BY fiscal_period
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS ytd_net_cents
    FROM monthly
)
SELECT
    customer_id,
    fiscal_year,
    fiscal_period,
    period,
    account_code,
    account_name,
    account_section,
    CAST(row_count AS BIGINT) AS row_count,
    CAST(net_cents AS BIGINT) AS net_cents,
    CAST(CAST(net_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS net,
    CAST(ytd_net_cents AS BIGINT) AS ytd_net_cents,
    CAST(CAST(ytd_net_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS ytd_net
FROM with_ytd;

-- One row per company, month (end of month balances) and balance account.
CREATE VIEW {dataset}.mart_balance_sheet AS
WITH monthly AS (
    SELECT
        customer_id,
        period,
        fiscal_year,
        SUM(net_cents) AS net_cents,
        SUM(vat_cents) AS vat_cents,
        SUM(gross_cents) AS gross_cents
    FROM {dataset}.mart_general_ledger
    GROUP BY customer_id, period, fiscal_year
), cumulative AS (
    SELECT
        p.customer_id,
        p.period,
        p.fiscal_year,
        p.fiscal_period,
        SUM(m.gross_cents) AS bank_cents,
        SUM(m.vat_cents) AS vat_payable_cents,
        SUM(CASE WHEN m.fiscal_year < p.fiscal_year THEN m.net_cents ELSE 0 END) AS prior_years_cents,
        SUM(CASE WHEN m.fiscal_year = p.fiscal_year THEN m.net_cents ELSE 0 END) AS current_year_cents
    FROM {dataset}.int_periods AS p
    JOIN monthly AS m ON m.customer_id = p.customer_id AND m.period <= p.period
    GROUP BY p.customer_id, p.period, p.fiscal_year, p.fiscal_period
), anchored AS (
    -- the 2370 opening stays in 2370 during the first loaded month's fiscal year, then is in 2251
    SELECT
        c.customer_id,
        c.period,
        c.fiscal_year,
        c.fiscal_period,
        a.bank_opening_cents + c.bank_cents AS bank_cents,
        a.vat_payable_opening_cents + c.vat_payable_cents AS vat_payable_cents,
        a.prior_years_opening_cents + c.prior_years_cents
            + CASE WHEN c.fiscal_year = a.first_fiscal_year THEN 0 ELSE a.current_year_opening_cents END
            AS prior_years_cents,
        c.current_year_cents
            + CASE WHEN c.fiscal_year = a.first_fiscal_year THEN a.current_year_opening_cents ELSE 0 END
            AS current_year_cents
    FROM cumulative AS c
    JOIN {dataset}.int_ledger_anchors AS a ON a.customer_id = c.customer_id
), lines AS (
    SELECT customer_id, period, fiscal_year, fiscal_period, 1 AS line_order, '1910' AS account_code,
        'Bank account' AS account_name, 'assets' AS section, bank_cents AS amount_cents
    FROM anchored
    UNION ALL
    SELECT customer_id, period, fiscal_year, fiscal_period, 2, '2939', 'VAT payable', 'liabilities',
        vat_payable_cents
    FROM anchored
    UNION ALL
    SELECT customer_id, period, fiscal_year, fiscal_period, 3, '2251', 'Result of prior fiscal years', 'equity',
        prior_years_cents
    FROM anchored
    UNION ALL
    SELECT customer_id, period, fiscal_year, fiscal_period, 4, '2370', 'Result of the fiscal year', 'equity',
        current_year_cents
    FROM anchored
)
SELECT
    customer_id,
    period,
    fiscal_year,
    fiscal_period,
    line_order,
    account_code,
    account_name,
    section,
    CAST(amount_cents AS BIGINT) AS amount_cents,
    CAST(CAST(amount_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS amount
FROM lines;

-- One row per company and month with books rows: revenue, expenses, result and cash.
CREATE VIEW {dataset}.mart_monthly_trend AS
WITH monthly AS (
    SELECT
        customer_id,
        period,
        fiscal_year,
        fiscal_period,
        SUM(CASE WHEN account_section = 'revenue' THEN net_cents ELSE 0 END) AS revenue_cents,
        SUM(CASE WHEN account_section = 'expenses' THEN net_cents ELSE 0 END) AS expenses_cents,
        SUM(CASE WHEN gross_cents >= 0 THEN gross_cents ELSE 0 END) AS cash_in_cents,
        SUM(CASE WHEN gross_cents < 0 THEN gross_cents ELSE 0 END) AS cash_out_cents,
        SUM(gross_cents) AS net_cash_flow_cents,
        COUNT(*) AS row_count
    FROM {dataset}.mart_general_ledger
    GROUP BY customer_id, period, fiscal_year, fiscal_period
), with_cash AS (
    SELECT
        monthly.*,
        a.opening_cash_cents + SUM(net_cash_flow_cents) OVER (
            PARTITION BY monthly.customer_id ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS closing_cash_cents
    FROM monthly
    JOIN {dataset}.int_ledger_anchors AS a ON a.customer_id = monthly.customer_id
)
SELECT
    customer_id,
    period,
    fiscal_year,
    fiscal_period,
    CAST(row_count AS BIGINT) AS row_count,
    CAST(revenue_cents AS BIGINT) AS revenue_cents,
    CAST(expenses_cents AS BIGINT) AS expenses_cents,
    CAST(revenue_cents + expenses_cents AS BIGINT) AS result_cents,
    CAST(closing_cash_cents - net_cash_flow_cents AS BIGINT) AS opening_cash_cents,
    CAST(cash_in_cents AS BIGINT) AS cash_in_cents,
    CAST(cash_out_cents AS BIGINT) AS cash_out_cents,
    CAST(closing_cash_cents AS BIGINT) AS closing_cash_cents,
    CAST(CAST(revenue_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS revenue,
    CAST(CAST(expenses_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS expenses,
    CAST(CAST(revenue_cents + expenses_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS result,
    CAST(CAST(closing_cash_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS closing_cash
FROM with_cash;
