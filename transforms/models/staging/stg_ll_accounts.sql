{{ lac_staging(source('ledgerlou', 'll_accounts'),
    {'tenant_id': 'varchar', 'account_number': 'varchar'}) }}
