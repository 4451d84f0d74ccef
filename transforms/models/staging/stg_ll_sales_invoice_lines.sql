{{ lac_staging(source('ledgerlou', 'll_sales_invoice_lines'),
    {'tenant_id': 'varchar', 'invoice_record_id': 'varchar', 'line_index': 'bigint'}) }}
