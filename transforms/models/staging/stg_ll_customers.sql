{{ lac_staging(source('ledgerlou', 'll_customers'),
    {'tenant_id': 'varchar', 'record_id': 'varchar'}) }}
