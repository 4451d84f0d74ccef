{{ lac_staging(source('ledgerlou', 'll_journal_lines'),
    {'tenant_id': 'varchar', 'period': 'varchar', 'line_index': 'bigint', 'intent_id': 'varchar'}) }}
