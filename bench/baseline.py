"""The baseline: the pipeline's core aggregations as plain DuckDB SQL over the same bronze
Parquet, no Dagster, no dbt — what one engineer would write by hand in an afternoon.

    python bench/baseline.py --lakehouse DIR [--out result.parquet] [--threads 2] [--memory 4GB]

Computes, with the platform's rules (committed files only, latest file version, the latest
record per record_id, the latest registry row per key):

- work-history days (就業履歴日): one row per (worker_key, site_id, work_date), as
  int_work_history_days;
- adoption_national: the national monthly series of the mart of the same name (businesses net
  of withdrawals by the rule of metrics.md §1; 一人親方 from the current registry row, which the
  simulator never changes).

Prints one JSON line with the seconds of each part and the row counts; with --compare, whether
the result equals gold/adoption_national.parquet of the pipeline.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

SQL = {
    "committed": """
        CREATE TEMP TABLE committed AS
        SELECT sha256 FROM read_parquet('{root}/bronze/ingest_audit/*/*.parquet', union_by_name = true)
        WHERE status = 'ingested'
    """,
    # 就業履歴: committed rows of the latest version of each file date, the latest row per record_id
    "attendance": """
        CREATE TEMP TABLE attendance AS
        WITH rows AS (
            SELECT * FROM read_parquet('{root}/bronze/attendance/*/*.parquet', union_by_name = true)
            WHERE _file_sha256 IN (SELECT sha256 FROM committed)
        ),
        current AS (
            SELECT * FROM rows
            QUALIFY _file_version = max(_file_version) OVER (PARTITION BY _file_date)
        )
        SELECT record_id, worker_key, site_id, employer_business_id, work_date, entered_at, exited_at,
               role, occupation_code, input_method, received_at
        FROM current
        QUALIFY row_number() OVER (PARTITION BY record_id
                                   ORDER BY received_at DESC, _file_date DESC, _file_version DESC,
                                            _source_line DESC) = 1
    """,
    # 就業履歴日: one row per worker, site and day
    "work_history_days": """
        CREATE TEMP TABLE work_history_days AS
        SELECT worker_key, site_id, work_date, work_month, entered_at, exited_at, touch_count,
               first_touch.employer_business_id, first_touch.occupation_code, first_touch.input_method, role
        FROM (
            SELECT worker_key, site_id, work_date,
                   CAST(date_trunc('month', work_date) AS DATE) AS work_month,
                   min(entered_at) AS entered_at,
                   max(exited_at) AS exited_at,
                   count(*) AS touch_count,
                   -- the earliest touch (ties: received_at, record_id)
                   arg_min(struct_pack(employer_business_id := employer_business_id,
                                       occupation_code := occupation_code, input_method := input_method),
                           (entered_at, received_at, record_id)) AS first_touch,
                   CASE max(CASE role WHEN 'foreman' THEN 3 WHEN 'subforeman' THEN 2 WHEN 'general' THEN 1 END)
                        WHEN 3 THEN 'foreman' WHEN 2 THEN 'subforeman' WHEN 1 THEN 'general' END AS role
            FROM attendance
            GROUP BY worker_key, site_id, work_date
        )
    """,
    # registries: the latest row per key
    "registries": """
        CREATE TEMP TABLE workers AS
        SELECT worker_key, registered_on FROM read_parquet('{root}/bronze/workers/*/*.parquet', union_by_name = true)
        WHERE _file_sha256 IN (SELECT sha256 FROM committed)
        QUALIFY row_number() OVER (PARTITION BY worker_key
                 ORDER BY updated_at DESC, _file_date DESC, _file_version DESC, _source_line DESC) = 1;
        CREATE TEMP TABLE businesses AS
        SELECT business_id, registered_on, is_sole_proprietor
        FROM read_parquet('{root}/bronze/businesses/*/*.parquet', union_by_name = true)
        WHERE _file_sha256 IN (SELECT sha256 FROM committed)
        QUALIFY row_number() OVER (PARTITION BY business_id
                 ORDER BY updated_at DESC, _file_date DESC, _file_version DESC, _source_line DESC) = 1;
        -- every row of a business (one per updated_at: the later file's), for its withdrawals
        CREATE TEMP TABLE business_rows AS
        SELECT business_id, updated_at, is_withdrawn
        FROM read_parquet('{root}/bronze/businesses/*/*.parquet', union_by_name = true)
        WHERE _file_sha256 IN (SELECT sha256 FROM committed)
        QUALIFY row_number() OVER (PARTITION BY business_id, updated_at
                 ORDER BY _file_date DESC, _file_version DESC, _source_line DESC) = 1;
        CREATE TEMP TABLE sites AS
        SELECT site_id, registered_on, card_reader_installed
        FROM read_parquet('{root}/bronze/sites/*/*.parquet', union_by_name = true)
        WHERE _file_sha256 IN (SELECT sha256 FROM committed)
        QUALIFY row_number() OVER (PARTITION BY site_id
                 ORDER BY updated_at DESC, _file_date DESC, _file_version DESC, _source_line DESC) = 1;
    """,
    # withdrawals (metrics.md §1): the state at a month end is the latest reported is_withdrawn
    # (a NULL does not reinstate, an explicit false does); +1 in the month a business becomes
    # withdrawn, -1 in the month it is reinstated, never before the month it registered
    "business_withdrawals": """
        CREATE TEMP TABLE business_withdrawals AS
        WITH states AS (
            SELECT business_id, updated_at, CAST(date_trunc('month', updated_at) AS DATE) AS month,
                   coalesce(last_value(is_withdrawn IGNORE NULLS) OVER (
                       PARTITION BY business_id ORDER BY updated_at
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), false) AS withdrawn
            FROM business_rows
        ),
        month_ends AS (
            SELECT business_id, month, withdrawn FROM states
            QUALIFY row_number() OVER (PARTITION BY business_id, month ORDER BY updated_at DESC) = 1
        ),
        changes AS (
            SELECT business_id, month, withdrawn,
                   lag(withdrawn, 1, false) OVER (PARTITION BY business_id ORDER BY month) AS before
            FROM month_ends
        )
        SELECT c.business_id,
               greatest(c.month, CAST(date_trunc('month', b.registered_on) AS DATE)) AS month,
               CASE WHEN c.withdrawn THEN 1 ELSE -1 END AS withdrawals,
               CASE WHEN b.is_sole_proprietor THEN 0 ELSE 1 END AS excl
        FROM changes c JOIN businesses b USING (business_id)
        WHERE c.withdrawn <> c.before
    """,
    # 普及状況 (national), as marts/adoption_national
    "adoption_national": """
        CREATE TEMP TABLE adoption_national AS
        WITH bounds AS (
            SELECT CAST(date_trunc('month', min(r)) AS DATE) AS first_month,
                   CAST(date_trunc('month', greatest(max(r), coalesce((SELECT max(work_date) FROM work_history_days), max(r)))) AS DATE) AS last_month
            FROM (SELECT registered_on AS r FROM businesses UNION ALL SELECT registered_on FROM workers
                  UNION ALL SELECT registered_on FROM sites)
        ),
        months AS (
            SELECT CAST(m AS DATE) AS month, CAST(last_day(m) AS DATE) AS month_end,
                   CAST(last_day(m) - INTERVAL 29 DAY AS DATE) AS window_start
            FROM bounds, generate_series(first_month, last_month, INTERVAL 1 MONTH) AS g(m)
        ),
        biz AS (
            SELECT CAST(date_trunc('month', registered_on) AS DATE) AS reg_month,
                   CASE WHEN is_sole_proprietor THEN 0 ELSE 1 END AS excl
            FROM businesses
        ),
        active AS (
            SELECT m.month, count(DISTINCT d.worker_key) AS active_workers
            FROM (SELECT DISTINCT worker_key, work_date, work_month FROM work_history_days) d
            JOIN months m ON m.month IN (d.work_month, CAST(d.work_month + INTERVAL 1 MONTH AS DATE))
            WHERE d.work_date BETWEEN m.window_start AND m.month_end
            GROUP BY m.month
        ),
        monthly AS (
            SELECT m.month,
                (SELECT count(*) FROM workers w WHERE date_trunc('month', w.registered_on) = m.month) AS new_workers,
                (SELECT count(*) FROM biz WHERE reg_month = m.month) AS new_businesses,
                (SELECT count(*) FILTER (excl = 1) FROM biz WHERE reg_month = m.month) AS new_excl,
                (SELECT coalesce(sum(withdrawals), 0) FROM business_withdrawals w WHERE w.month = m.month) AS wd,
                (SELECT coalesce(sum(withdrawals * excl), 0) FROM business_withdrawals w WHERE w.month = m.month) AS wd_excl,
                (SELECT count(*) FROM sites s WHERE date_trunc('month', s.registered_on) = m.month) AS new_sites,
                (SELECT count(*) FILTER (card_reader_installed) FROM sites s
                  WHERE date_trunc('month', s.registered_on) = m.month) AS new_sites_reader,
                (SELECT count(*) FROM work_history_days d WHERE d.work_month = m.month) AS work_history_days,
                coalesce((SELECT active_workers FROM active a WHERE a.month = m.month), 0) AS active_workers
            FROM months m
        )
        SELECT month,
               CAST(sum(new_workers) OVER w AS BIGINT) AS registered_workers,
               CAST(sum(new_businesses - wd) OVER w AS BIGINT) AS registered_businesses,
               CAST(sum(new_excl - wd_excl) OVER w AS BIGINT) AS registered_businesses_excl_sole,
               CAST(new_workers AS BIGINT) AS new_workers,
               CAST(new_businesses AS BIGINT) AS new_businesses,
               CAST(active_workers AS BIGINT) AS active_workers,
               CAST(work_history_days AS BIGINT) AS work_history_days,
               CAST(sum(new_sites) OVER w AS BIGINT) AS sites_registered,
               CAST(sum(new_sites_reader) OVER w AS BIGINT) AS sites_with_card_reader
        FROM monthly
        WINDOW w AS (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    """,
}

COLUMNS = ["month", "registered_workers", "registered_businesses", "registered_businesses_excl_sole",
           "new_workers", "new_businesses", "active_workers", "work_history_days", "sites_registered",
           "sites_with_card_reader"]


def run(lakehouse: str, threads: int = 2, memory: str = "4GB", compare: bool = False,
        out: str | None = None) -> dict:
    root = str(Path(lakehouse).resolve())
    tmp = Path(root) / ".baseline_tmp"
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}; SET memory_limit = '{memory}'; SET temp_directory = '{tmp}'; "
                "SET preserve_insertion_order = false")
    seconds = {}
    started = time.perf_counter()
    for name, sql in SQL.items():
        t = time.perf_counter()
        con.execute(sql.format(root=root))
        seconds[name] = round(time.perf_counter() - t, 3)
    total = round(time.perf_counter() - started, 3)
    result = {
        "ok": True, "seconds": total, "parts": seconds,
        "attendance_rows": con.execute("SELECT count(*) FROM attendance").fetchone()[0],
        "work_history_days": con.execute("SELECT count(*) FROM work_history_days").fetchone()[0],
        "months": con.execute("SELECT count(*) FROM adoption_national").fetchone()[0],
    }
    if out:
        con.execute(f"COPY (SELECT * FROM adoption_national ORDER BY month) TO '{out}' (FORMAT parquet)")
    if compare:
        gold = Path(root) / "gold" / "adoption_national.parquet"
        if gold.exists():
            cols = ", ".join(COLUMNS)
            diff = con.execute(f"""
                SELECT count(*) FROM (
                    (SELECT {cols} FROM adoption_national EXCEPT ALL SELECT {cols} FROM read_parquet('{gold}'))
                    UNION ALL
                    (SELECT {cols} FROM read_parquet('{gold}') EXCEPT ALL SELECT {cols} FROM adoption_national))
            """).fetchone()[0]
            result["matches_gold_adoption_national"] = diff == 0
            result["rows_differing_from_gold"] = diff
        else:
            result["matches_gold_adoption_national"] = None
        warehouse = Path(root) / "warehouse.duckdb"
        if warehouse.exists():      # the dbt work-history days, read-only
            try:
                con.execute(f"ATTACH '{warehouse}' AS wh (READ_ONLY)")
                mine = con.execute("SELECT count(*), sum(hash(worker_key, site_id, work_date, touch_count)) "
                                   "FROM work_history_days").fetchone()
                theirs = con.execute("SELECT count(*), sum(hash(worker_key, site_id, work_date, touch_count)) "
                                     "FROM wh.intermediate.int_work_history_days").fetchone()
                result["matches_dbt_work_history_days"] = tuple(mine) == tuple(theirs)
            except duckdb.Error as e:
                result["matches_dbt_work_history_days"] = f"not compared: {str(e).splitlines()[0][:200]}"
    con.close()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lakehouse", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory", default="4GB")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.lakehouse, args.threads, args.memory, args.compare, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
