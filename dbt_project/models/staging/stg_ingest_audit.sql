-- One row per delivered file (path + sha256) from the ingestion's audit log.
-- The latest audit row wins, except that an 'ingested' row is never hidden by a later
-- row for the same path and content (e.g. a re-run that saw the file again): the file's rows
-- are in bronze, and the audit must say so.

with audit as (

    select * from {{ source('bronze', 'ingest_audit') }}

),

ranked as (

    select
        audit.*,
        row_number() over (
            partition by path, sha256
            order by
                case when status = 'ingested' then 0 else 1 end,
                ingested_at desc
        ) as _recency_rank
    from audit

)

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
from ranked
where _recency_rank = 1
