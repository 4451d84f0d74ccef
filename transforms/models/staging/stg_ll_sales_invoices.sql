{{ lac_staging(source('ledgerlou', 'll_sales_invoices'),
    {'tenant_id': 'varchar', 'record_id': 'varchar'}) }}
