-- The ingestion's audit, one row per delivered file (path + sha256), straight from bronze.
-- A file delivered twice appears with status 'duplicate' and no accepted rows.

select
    feed,
    file,
    path,
    sha256,
    file_date,
    file_version,
    encoding,
    rows_read,
    rows_accepted,
    rows_quarantined,
    status,
    reason,
    message,
    warnings,
    quarantine_reasons,
    ingested_at
from {{ ref('stg_ingest_audit') }}
