{{ lac_staging(source('ledgerlou', 'll_journal_intents'),
    {'tenant_id': 'varchar', 'intent_id': 'varchar', 'period': 'varchar'}) }}
