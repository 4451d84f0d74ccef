-- Receivables: open sales invoices aged as of transform_params.as_of_date (the run date unless
-- overridden), and the totals per aging bucket.
-- requires: invoices.id, invoices.number, invoices.status, invoices.issue_date, invoices.due_date
-- requires: invoices.net_cents, invoices.vat_cents, invoices.gross_cents, invoices.is_deleted
-- requires: invoices.customer__name
--
-- Open = status 'sent' or 'overdue' and not deleted (drafts are not issued; paid and credited
-- invoices are settled). The API gives no partial payments, so the open amount is the gross.

-- One row per open invoice.
CREATE VIEW {dataset}.mart_receivables_aging AS
WITH open_invoices AS (
    SELECT
        i.customer_id,
        i.id AS invoice_id,
        i.number AS invoice_number,
        i.status,
        i.customer__name AS party_name,
        CAST(SUBSTR(CAST(i.issue_date AS VARCHAR), 1, 10) AS DATE) AS issue_date,
        CAST(SUBSTR(CAST(i.due_date AS VARCHAR), 1, 10) AS DATE) AS due_date,
        i.net_cents,
        i.vat_cents,
        i.gross_cents,
        t.as_of_date
    FROM {dataset}.stg_invoices AS i
    CROSS JOIN {dataset}.transform_params AS t
    WHERE i.is_deleted IS NOT TRUE AND i.status IN ('sent', 'overdue')
), aged AS (
    SELECT open_invoices.*, CAST(as_of_date - due_date AS INTEGER) AS days_overdue
    FROM open_invoices
)
SELECT
    customer_id,
    invoice_id,
    invoice_number,
    status,
    party_name,
    issue_date,
    due_date,
    as_of_date,
    days_overdue,
    CASE
        WHEN days_overdue <= 0 THEN 'current'
        WHEN days_overdue <= 30 THEN '1-30'
        WHEN days_overdue <= 60 THEN '31-60'
        WHEN days_overdue <= 90 THEN '61-90'
        ELSE '90+'
    END AS aging_bucket,
    CASE
        WHEN days_overdue <= 0 THEN 1
        WHEN days_overdue <= 30 THEN 2
        WHEN days_overdue <= 60 THEN 3
        WHEN days_overdue <= 90 THEN 4
        ELSE 5
    END AS bucket_order,
    net_cents,
    vat_cents,
    gross_cents,
    CAST(CAST(net_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS net,
    CAST(CAST(vat_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS vat,
    CAST(CAST(gross_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS gross
FROM aged;

-- One row per company and aging bucket that has open invoices.
CREATE VIEW {dataset}.mart_receivables_summary AS
SELECT
    customer_id,
    as_of_date,
    aging_bucket,
    bucket_order,
    CAST(COUNT(*) AS BIGINT) AS invoice_count,
    CAST(SUM(gross_cents) AS BIGINT) AS gross_cents,
    CAST(CAST(SUM(gross_cents) AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS gross
FROM {dataset}.mart_receivables_aging
GROUP BY customer_id, as_of_date, aging_bucket, bucket_order;
