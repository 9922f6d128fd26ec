{#
  Committed bronze rows of one feed.

  The ingestion writes a bronze Parquet file first and its ingest_audit row second. A bronze
  row is *committed* only when its file's sha256 has an audit row with status 'ingested', so a
  crash between the two writes never shows half an ingestion downstream.
#}
{% macro committed_bronze(feed) -%}
    select bronze_rows.*
    from {{ source('bronze', feed) }} as bronze_rows
    where bronze_rows._file_sha256 in (
        select audit.sha256
        from {{ source('bronze', 'ingest_audit') }} as audit
        where audit.status = 'ingested'
    )
{%- endmacro %}


{#
  Rows of the latest delivered version of each file date: a corrected file
  (`<feed>_YYYYMMDD_N.csv`) supersedes every earlier version of the same date, so only rows whose
  _file_date has its highest _file_version present are kept. `relation` is a CTE name holding
  committed rows.
#}
{% macro latest_file_version(relation) -%}
    select versioned.*
    from {{ relation }} as versioned
    inner join (
        select _file_date, max(_file_version) as _max_file_version
        from {{ relation }}
        group by _file_date
    ) as latest
        on versioned._file_date = latest._file_date
        and versioned._file_version = latest._max_file_version
{%- endmacro %}
