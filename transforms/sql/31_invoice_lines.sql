-- Invoice lines with the invoice header, euro amounts and VAT.
-- requires: invoices.id, invoices.number, invoices.status, invoices.issue_date, invoices.is_deleted
-- requires: invoices.customer__name
-- requires: invoice_lines.invoice_id, invoice_lines.line_index, invoice_lines.description
-- requires: invoice_lines.quantity, invoice_lines.vat_code
-- requires: invoice_lines.unit_price_cents, invoice_lines.vat_rate_basis_points
-- requires: invoice_lines.net_cents, invoice_lines.vat_cents, invoice_lines.gross_cents

-- One row per line of a not deleted invoice.
CREATE VIEW {dataset}.mart_invoice_lines AS
SELECT
    l.customer_id,
    l.invoice_id,
    l.line_index,
    i.number AS invoice_number,
    i.status AS invoice_status,
    CAST(SUBSTR(CAST(i.issue_date AS VARCHAR), 1, 10) AS DATE) AS issue_date,
    i.customer__name AS party_name,
    l.description,
    CAST(l.quantity AS DECIMAL(18,4)) AS quantity,
    l.unit_price_cents,
    CAST(CAST(l.unit_price_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS unit_price,
    l.vat_code,
    l.vat_rate_basis_points,
    CAST(CAST(l.vat_rate_basis_points AS DECIMAL(18,0)) * 0.01 AS DECIMAL(10,2)) AS vat_rate_percent,
    l.net_cents,
    l.vat_cents,
    l.gross_cents,
    CAST(CAST(l.net_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS net,
    CAST(CAST(l.vat_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS vat,
    CAST(CAST(l.gross_cents AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2)) AS gross
FROM {dataset}.stg_invoice_lines AS l
JOIN {dataset}.stg_invoices AS i ON i.customer_id = l.customer_id AND i.id = l.invoice_id
WHERE i.is_deleted IS NOT TRUE;
