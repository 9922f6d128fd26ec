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
  _file_date has its highest _file_version present are kept. `relation` holds committed rows: a
  CTE's name, or a parenthesised query (read twice: for the latest versions, only the two
  columns they need).
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


{#
  The keys held more than once by `keys_source` (a query over at least every row to be ranked:
  a superset only sends more keys to the ranking, never a wrong row), for ranked_where_repeated.
#}
{% macro repeated_keys(keys, keys_source) -%}
    select {{ keys | join(', ') }}
    from ({{ keys_source }}) as key_rows
    group by {{ keys | join(', ') }}
    having count(*) > 1
{%- endmacro %}


{#
  The rows of `rows_sql` (a parenthesised query) with `_recency_rank`: 1 for the row each key
  keeps (the first by `order_by`), more for the rows it supersedes.

  Ranking sorts every row it is given, with all its columns, yet most keys have one row: in the
  full-adoption month no attendance record was delivered twice, and ranking its 55 M rows spilled
  20-22 GB to disk to keep all of them. So only the keys of `repeated` (a relation of the keys
  that may have several rows, see repeated_keys) are ranked; every other row is its key's only
  row, rank 1 as it is. `rows_sql` is read twice (the single rows, the ranked ones): it is a
  query, not a CTE, because DuckDB materialises a CTE read twice with every column (a full copy
  on disk); read twice, the Parquet scan under it streams. Plain joins, so Spark runs it too.
#}
{% macro ranked_where_repeated(rows_sql, keys, order_by, repeated) -%}
    {%- set on_keys -%}
        {%- for key in keys %}{{ ' and ' if not loop.first }}rows_of_key.{{ key }} = repeated.{{ key }}{% endfor -%}
    {%- endset -%}
    select rows_of_key.*, 1 as _recency_rank
    from {{ rows_sql }} as rows_of_key
    left join {{ repeated }} as repeated
        on {{ on_keys }}
    where repeated.{{ keys[0] }} is null

    union all

    select
        rows_of_key.*,
        row_number() over (
            partition by {% for key in keys %}rows_of_key.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            order by {{ order_by }}
        ) as _recency_rank
    from {{ rows_sql }} as rows_of_key
    inner join {{ repeated }} as repeated
        on {{ on_keys }}
{%- endmacro %}
