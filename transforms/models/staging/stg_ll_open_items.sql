{{ lac_staging(source('ledgerlou', 'll_open_items'),
    {'tenant_id': 'varchar', 'side': 'varchar', 'position': 'bigint'}) }}
