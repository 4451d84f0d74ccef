-- VAT from the ledger: per row, by VAT period and rate, and as the boxes of the Finnish periodic
-- VAT return (kausiveroilmoitus).
-- requires: books_rows, company.fiscal_year_start_month, company.vat_period_months
--
-- VAT treatment by LAC vat_code: S<rate> domestic sales (S0 zero-rated), EU_SALE intra-EU sales of
-- goods, P<rate> domestic purchases, EU_PURCHASE intra-EU purchases of goods (reverse charge: the
-- books carry no VAT, the return shows output VAT and the same amount as deductible input VAT, at
-- the general rate: 25.5 % from 2024-09-01, 24 % before), NONE outside VAT.

-- One row per books row that is within VAT, with the amounts the VAT sheet would show.
CREATE VIEW {dataset}.int_ledger_vat AS
WITH classified AS (
    SELECT
        customer_id,
        period,
        vat_period,
        entry_date,
        account_code,
        vat_code,
        vat_rate_basis_points,
        net_cents,
        vat_cents,
        CASE
            WHEN vat_code = 'NONE' THEN 'no_vat'
            WHEN vat_code = 'EU_SALE' THEN 'eu_sale'
            WHEN vat_code = 'EU_PURCHASE' THEN 'eu_purchase'
            WHEN vat_code LIKE 'S%' AND COALESCE(vat_rate_basis_points, 0) > 0 THEN 'domestic_sale'
            WHEN vat_code LIKE 'S%' THEN 'zero_rated_sale'
            WHEN vat_code LIKE 'P%' THEN 'domestic_purchase'
            ELSE 'unknown'
        END AS treatment,
        CAST(ROUND(CAST(ABS(net_cents) AS DECIMAL(38,0))
            * CASE WHEN entry_date < DATE '2024-09-01' THEN 0.24 ELSE 0.255 END) AS BIGINT) AS reverse_charge_cents
    FROM {dataset}.mart_general_ledger
)
SELECT
    customer_id,
    period,
    vat_period,
    entry_date,
    account_code,
    vat_code,
    vat_rate_basis_points,
    treatment,
    net_cents AS base_cents,
    CASE
        WHEN treatment IN ('domestic_sale', 'zero_rated_sale', 'eu_sale') THEN vat_cents
        WHEN treatment = 'eu_purchase' THEN reverse_charge_cents
        ELSE 0
    END AS output_vat_cents,
    CASE
        WHEN treatment = 'domestic_purchase' THEN -vat_cents
        WHEN treatment = 'eu_purchase' THEN reverse_charge_cents
        ELSE 0
    END AS input_vat_cents
FROM classified
WHERE treatment <> 'no_vat';

-- One row per company, VAT period, VAT code and rate.
CREATE VIEW {dataset}.mart_vat_by_rate AS
WITH totals AS (
    SELECT
        customer_id,
        vat_period,
        vat_code,
        treatment,
        vat_rate_basis_points,
        SUM(base_cents) AS base_cents,
        SUM(output_vat_cents) AS output_vat_cents,
        SUM(input_vat_cents) AS input_vat_cents,
        COUNT(*) AS row_count
    FROM {dataset}.int_ledger_vat
    GROUP BY customer_id, vat_period, vat_code, treatment, vat_rate_basis_points
)
SELECT
    customer_id,
    vat_period,
    vat_code,
    treatment,
    vat_rate_basis_points,
    CAST(CAST(vat_rate_basis_points AS DECIMAL(18,0)) * 0.01 AS DECIMAL(10,2)) AS vat_rate_percent,
    CAST(row_count AS BIGINT) AS row_count,
    CAST(base_cents AS BIGINT) AS base_cents,
    CAST(output_vat_cents AS BIGINT) AS output_vat_cents,
    CAST(input_vat_cents AS BIGINT) AS input_vat_cents,
    CAST(CAST(base_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS base,
    CAST(CAST(output_vat_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS output_vat,
    CAST(CAST(input_vat_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS input_vat
FROM totals;

-- One row per company, VAT period and supported box of the periodic VAT return. Amounts are
-- positive as entered on the form, except 308 (negative: refundable).
CREATE VIEW {dataset}.mart_vat_return AS
WITH totals AS (
    SELECT
        customer_id,
        vat_period,
        SUM(CASE WHEN treatment = 'domestic_sale' AND vat_rate_basis_points >= 2400
            THEN output_vat_cents ELSE 0 END) AS box_301,
        SUM(CASE WHEN treatment = 'domestic_sale' AND vat_rate_basis_points = 1400
            THEN output_vat_cents ELSE 0 END) AS box_302,
        SUM(CASE WHEN treatment = 'domestic_sale' AND vat_rate_basis_points = 1000
            THEN output_vat_cents ELSE 0 END) AS box_303,
        SUM(CASE WHEN treatment = 'eu_purchase' THEN output_vat_cents ELSE 0 END) AS box_305,
        SUM(input_vat_cents) AS box_307,
        SUM(output_vat_cents) - SUM(input_vat_cents) AS box_308,
        SUM(CASE WHEN treatment = 'zero_rated_sale' THEN base_cents ELSE 0 END) AS box_309,
        SUM(CASE WHEN treatment = 'eu_sale' THEN base_cents ELSE 0 END) AS box_311,
        -SUM(CASE WHEN treatment = 'eu_purchase' THEN base_cents ELSE 0 END) AS box_313
    FROM {dataset}.int_ledger_vat
    GROUP BY customer_id, vat_period
), boxes AS (
    SELECT customer_id, vat_period, '301' AS box, 'Tax on domestic sales, 25.5 %' AS label, box_301 AS amount_cents
    FROM totals
    UNION ALL SELECT customer_id, vat_period, '302', 'Tax on domestic sales, 14 %', box_302 FROM totals
    UNION ALL SELECT customer_id, vat_period, '303', 'Tax on domestic sales, 10 %', box_303 FROM totals
    UNION ALL SELECT customer_id, vat_period, '305', 'Tax on goods purchases from other EU countries', box_305
    FROM totals
    UNION ALL SELECT customer_id, vat_period, '307', 'Tax deductible for the tax period', box_307 FROM totals
    UNION ALL SELECT customer_id, vat_period, '308', 'Tax payable (negative: refundable)', box_308 FROM totals
    UNION ALL SELECT customer_id, vat_period, '309', 'Turnover taxed at 0 %', box_309 FROM totals
    UNION ALL SELECT customer_id, vat_period, '311', 'Sales of goods to other EU countries', box_311 FROM totals
    UNION ALL SELECT customer_id, vat_period, '313', 'Purchases of goods from other EU countries', box_313
    FROM totals
)
SELECT
    customer_id,
    vat_period,
    box,
    label,
    CAST(amount_cents AS BIGINT) AS amount_cents,
    CAST(CAST(amount_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS amount
FROM boxes;
