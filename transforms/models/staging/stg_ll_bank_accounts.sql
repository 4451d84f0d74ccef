{{ lac_staging(source('ledgerlou', 'll_bank_accounts'),
    {'tenant_id': 'varchar', 'record_id': 'varchar'}) }}
