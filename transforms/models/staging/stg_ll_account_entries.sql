{{ lac_staging(source('ledgerlou', 'll_account_entries'),
    {'tenant_id': 'varchar', 'account_number': 'varchar', 'period': 'varchar', 'line_index': 'bigint'}) }}
