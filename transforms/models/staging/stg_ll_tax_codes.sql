{{ lac_staging(source('ledgerlou', 'll_tax_codes'),
    {'tenant_id': 'varchar', 'code': 'varchar'}) }}
