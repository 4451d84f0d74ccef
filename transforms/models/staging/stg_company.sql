{{ lac_staging(source('lac', 'company'), {'customer_id': 'varchar'}) }}
