"""The end-to-end baseline: the same adoption_national, straight from the delivered inbox with
plain DuckDB (no Dagster, no dbt, no bronze, no audit, no pseudonyms): read the attendance CSV
and JSON Lines files and the registry exports, apply the contract checks that decide which rows
count, dedupe, aggregate.

    python bench/baseline_raw.py --inbox DIR [--threads 2] [--memory 4GB] [--compare GOLD.parquet]

DuckDB reads UTF-8 only without extensions (none can be downloaded here), so the CP932 registry
exports are read by pyarrow's CSV reader (transcoding) and handed to DuckDB as Arrow tables.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

import sys

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ccus.feeds.contract import ATTENDANCE, BUSINESSES, SITES, WORKERS  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from baseline import COLUMNS, SQL  # noqa: E402


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _rename(feed, available: list[str]) -> str:
    """SELECT list mapping English or Japanese headers onto contract names (missing -> NULL)."""
    out = []
    for col in feed.columns:
        if col.name in available:
            out.append(f"{_ident(col.name)}")
        elif col.ja in available:
            out.append(f"{_ident(col.ja)} AS {_ident(col.name)}")
        else:
            out.append(f"NULL::VARCHAR AS {_ident(col.name)}")
    return ", ".join(out)


def _enum(col, v: str) -> str:
    whens = " ".join(f"WHEN {v} = {_q(code)} OR {v} = {_q(label)} THEN {_q(code)}" for code, label in col.values)
    return f"CASE {whens} END"


def _ts(v: str) -> str:
    """Japan wall time of an ISO timestamp written with +09:00, no offset, or Z."""
    base = f"try_strptime(replace(left({v}, 19), '/', '-'), '%Y-%m-%dT%H:%M:%S')"
    return f"CASE WHEN right({v}, 1) = 'Z' THEN {base} + INTERVAL 9 HOUR ELSE {base} END"


def _date(v: str) -> str:
    return f"CAST(try_strptime(replace({v}, '/', '-'), '%Y-%m-%d') AS DATE)"


def _bool(v: str) -> str:
    return f"CASE WHEN lower({v}) IN ('true', '1', 'はい') THEN true WHEN lower({v}) IN ('false', '0', 'いいえ') THEN false END"


def load_attendance(con, inbox: Path) -> None:
    files = sorted((inbox / "attendance").glob("attendance_*"))
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for p in files:
        if p.suffix == ".jsonl":
            groups.setdefault(("jsonl", ()), []).append(str(p))
            continue
        with open(p, "rb") as f:
            head = f.readline().decode("utf-8-sig").strip()
        groups.setdefault(("csv", tuple(sorted(head.split(",")))), []).append(str(p))
    parts = []
    for (fmt, header), paths in groups.items():
        plist = "[" + ", ".join(_q(x) for x in paths) + "]"
        if fmt == "jsonl":
            cols = "{" + ", ".join(f"{_q(c.name)}: 'VARCHAR'" for c in ATTENDANCE.columns) + "}"
            src = f"read_json({plist}, format = 'newline_delimited', ignore_errors = true, columns = {cols})"
            available = [c.name for c in ATTENDANCE.columns]
        else:
            src = (f"read_csv({plist}, header = true, all_varchar = true, delim = ',', quote = '\"', "
                   f"ignore_errors = true, union_by_name = true)")
            available = list(header)
        parts.append(f"SELECT {_rename(ATTENDANCE, available)} FROM {src}")
    method = ATTENDANCE.column("input_method")
    role = ATTENDANCE.column("role")
    con.execute(f"""
        CREATE TEMP TABLE attendance AS
        WITH raw AS ({' UNION ALL BY NAME '.join(parts)}),
        typed AS (
            SELECT record_id, worker_id AS worker_key, site_id, employer_business_id,
                   {_date('work_date')} AS work_date, {_ts('entered_at')} AS entered_at,
                   {_ts('exited_at')} AS exited_at, {_enum(role, 'role')} AS role, occupation_code,
                   {_enum(method, 'input_method')} AS input_method, {_ts('received_at')} AS received_at,
                   exited_at AS exited_text
            FROM raw
            WHERE regexp_full_match(worker_id, '[0-9]{{14}}') AND regexp_full_match(site_id, '[0-9]{{14}}')
              AND regexp_full_match(employer_business_id, '[0-9]{{14}}') AND record_id IS NOT NULL
        )
        SELECT * EXCLUDE (exited_text) FROM typed
        WHERE work_date IS NOT NULL AND entered_at IS NOT NULL AND received_at IS NOT NULL
          AND input_method IS NOT NULL AND role IS NOT NULL
          AND (exited_text IS NULL OR exited_text = '' OR exited_at >= entered_at)
        QUALIFY row_number() OVER (PARTITION BY record_id ORDER BY received_at DESC) = 1
    """)


def _registry(feed, inbox: Path) -> pa.Table:
    tables = []
    for p in sorted((inbox / feed.name).glob(f"{feed.name}_*.csv")):
        head = p.open("rb").readline()
        encoding = "utf-8"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp932"
        names = head.decode(encoding).lstrip("\ufeff").strip().split(",")
        t = pacsv.read_csv(p, read_options=pacsv.ReadOptions(encoding=encoding),
                           parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: "skip"),
                           convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                                strings_can_be_null=True))
        by = {c.ja: c.name for c in feed.columns}
        t = t.rename_columns([by.get(n, n) for n in t.column_names])
        for col in feed.columns:            # optional columns (is_withdrawn: deltas only)
            if col.name not in t.column_names:
                t = t.append_column(col.name, pa.nulls(t.num_rows, pa.string()))
        t = t.append_column("_file", pa.array([p.name] * t.num_rows, pa.string()))
        tables.append(t)
    if not tables:   # no delivery of this registry in the inbox (national-full without --full-registry)
        return pa.table({**{col.name: pa.array([], pa.string()) for col in feed.columns},
                         "_file": pa.array([], pa.string())})
    return pa.concat_tables(tables, promote_options="default")


def load_registries(con, inbox: Path) -> None:
    workers = _registry(WORKERS, inbox)     # noqa: F841 (read by DuckDB by name)
    businesses = _registry(BUSINESSES, inbox)  # noqa: F841
    sites = _registry(SITES, inbox)          # noqa: F841
    con.register("workers_raw", workers)
    con.register("businesses_raw", businesses)
    con.register("sites_raw", sites)
    reg_type = WORKERS.column("registration_type")
    orderer = SITES.column("orderer_type")
    con.execute(f"""
        CREATE TEMP TABLE workers AS
        SELECT worker_id AS worker_key, {_date('registered_on')} AS registered_on
        FROM workers_raw
        WHERE regexp_full_match(worker_id, '[0-9]{{14}}') AND {_date('registered_on')} IS NOT NULL
          AND NOT ({_enum(reg_type, 'registration_type')} = 'simple' AND level IN ('2', '3', '4'))
        QUALIFY row_number() OVER (PARTITION BY worker_id ORDER BY {_ts('updated_at')} DESC, _file DESC) = 1;
        CREATE TEMP TABLE business_rows AS
        SELECT business_id, {_date('registered_on')} AS registered_on, {_bool('is_sole_proprietor')} AS is_sole_proprietor,
               {_bool('is_withdrawn')} AS is_withdrawn, {_ts('updated_at')} AS updated_at, _file
        FROM businesses_raw
        WHERE regexp_full_match(business_id, '[0-9]{{14}}') AND {_date('registered_on')} IS NOT NULL
          AND regexp_full_match(prefecture_code, '0[1-9]|[1-3][0-9]|4[0-7]')
        QUALIFY row_number() OVER (PARTITION BY business_id, {_ts('updated_at')} ORDER BY _file DESC) = 1;
        CREATE TEMP TABLE businesses AS
        SELECT business_id, registered_on, is_sole_proprietor FROM business_rows
        QUALIFY row_number() OVER (PARTITION BY business_id ORDER BY updated_at DESC, _file DESC) = 1;
        CREATE TEMP TABLE sites AS
        SELECT site_id, {_date('registered_on')} AS registered_on, {_bool('card_reader_installed')} AS card_reader_installed
        FROM sites_raw
        WHERE regexp_full_match(site_id, '[0-9]{{14}}') AND {_date('registered_on')} IS NOT NULL
          AND {_enum(orderer, 'orderer_type')} IS NOT NULL AND {_date('end_on')} >= {_date('start_on')}
        QUALIFY row_number() OVER (PARTITION BY site_id ORDER BY {_ts('updated_at')} DESC, _file DESC) = 1;
    """)


def run(inbox: str, threads: int = 2, memory: str = "4GB", compare: str | None = None) -> dict:
    inbox_p = Path(inbox).resolve()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}; SET memory_limit = '{memory}'; SET preserve_insertion_order = false")
    parts = {}
    started = time.perf_counter()
    t = time.perf_counter()
    load_attendance(con, inbox_p)
    parts["read attendance"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    load_registries(con, inbox_p)
    parts["read registries"] = round(time.perf_counter() - t, 3)
    for name in ("work_history_days", "business_withdrawals", "adoption_national"):
        t = time.perf_counter()
        con.execute(SQL[name].format(root=""))
        parts[name] = round(time.perf_counter() - t, 3)
    result = {"ok": True, "seconds": round(time.perf_counter() - started, 3), "parts": parts,
              "attendance_rows": con.execute("SELECT count(*) FROM attendance").fetchone()[0],
              "work_history_days": con.execute("SELECT count(*) FROM work_history_days").fetchone()[0]}
    if compare and Path(compare).exists():
        cols = ", ".join(COLUMNS)
        diff = con.execute(f"""
            SELECT count(*) FROM (
                (SELECT {cols} FROM adoption_national EXCEPT ALL SELECT {cols} FROM read_parquet({_q(compare)}))
                UNION ALL
                (SELECT {cols} FROM read_parquet({_q(compare)}) EXCEPT ALL SELECT {cols} FROM adoption_national))
        """).fetchone()[0]
        result["matches_gold_adoption_national"] = diff == 0
        result["rows_differing_from_gold"] = diff
    con.close()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory", default="4GB")
    ap.add_argument("--compare")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.inbox, args.threads, args.memory, args.compare)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
