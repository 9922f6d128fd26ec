"""Type and check a parsed file in one vectorised DuckDB pass.

For each contract column the SQL computes a typed value and a reason code when the text is not
acceptable; row rules (end before start, exit before entry, …) and duplicate keys inside the
file come after. A row with any reason is quarantined with the first reason, its line and the
column at fault; every other row is accepted, typed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ccus.feeds import contract as c
from ccus.feeds.reference import occupation_codes, qualification_codes
from ccus.feeds.reader import ParsedFile

TIMESTAMP_PATTERN = (
    r"^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
TRUE_WORDS = ("true", "1", "はい")
FALSE_WORDS = ("false", "0", "いいえ")


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in_list(values) -> str:
    return "(" + ", ".join(_q(v) for v in values) + ")"


def _typed_and_error(col: c.Column) -> tuple[str, str]:
    """SQL for (typed value, reason code or NULL) of one column; `v` is the trimmed text or NULL."""
    v = f'v_{col.name}'
    k = col.kind
    if k in (c.TEXT,):
        return v, "NULL"
    if k == c.ID14:
        return v, f"CASE WHEN NOT regexp_full_match({v}, '[0-9]{{14}}') THEN 'bad_id' END"
    if k == c.BUSINESS_REF:
        return v, f"CASE WHEN NOT regexp_full_match({v}, '[0-9]{{14}}|L[0-9]+') THEN 'bad_ref' END"
    if k == c.PERSON_REF:
        return v, f"CASE WHEN NOT regexp_full_match({v}, '[0-9]{{14}}|P[0-9]+') THEN 'bad_ref' END"
    if k == c.DATE:
        typed = (f"CASE WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|[0-9]{{4}}/[0-9]{{2}}/[0-9]{{2}}') "
                 f"THEN CAST(try_strptime(replace({v}, '/', '-'), '%Y-%m-%d') AS DATE) END")
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_date' END"
    if k == c.TIMESTAMP:
        m = f"m_{col.name}"  # the regexp groups, extracted once per value in the first CTE
        # Local wall time as written, then moved to Japan time: no offset means Japan time
        # (+09:00 = 540 minutes); Z is UTC.
        wall = (f"try_strptime({m}.y || '-' || {m}.mo || '-' || {m}.d || ' ' || {m}.h || ':' || {m}.mi || ':' "
                f"|| coalesce(nullif({m}.s, ''), '00'), '%Y-%m-%d %H:%M:%S')")
        tz = f"{m}.tz"
        offset_min = (f"CASE WHEN {tz} = '' THEN 540 WHEN {tz} = 'Z' THEN 0 ELSE "
                      f"(CASE WHEN left({tz}, 1) = '-' THEN -1 ELSE 1 END) * "
                      f"(CAST(substr({tz}, 2, 2) AS INTEGER) * 60 + "
                      f"CASE WHEN length(replace({tz}, ':', '')) = 5 "
                      f"THEN CAST(substr(replace({tz}, ':', ''), 4, 2) AS INTEGER) ELSE 0 END) END")
        typed = f"CASE WHEN {m}.y <> '' THEN {wall} + to_minutes(540 - ({offset_min})) END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_timestamp' END"
    if k == c.BOOL:
        lv = f"lower({v})"
        typed = f"CASE WHEN {lv} IN {_in_list(TRUE_WORDS)} THEN true WHEN {lv} IN {_in_list(FALSE_WORDS)} THEN false END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_bool' END"
    if k == c.INT:
        typed = f"CASE WHEN regexp_full_match({v}, '[0-9]{{1,18}}') THEN CAST({v} AS BIGINT) END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_int' END"
    if k == c.LEVEL:
        typed = f"CASE WHEN {v} IN ('1','2','3','4') THEN CAST({v} AS INTEGER) END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_level' END"
    if k == c.ENUM:
        whens = " ".join(
            f"WHEN lower({v}) = {_q(code)} OR {v} = {_q(label)} THEN {_q(code)}" for code, label in col.values)
        typed = f"CASE {whens} END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_enum' END"
    if k == c.PREFECTURE:
        return v, f"CASE WHEN NOT regexp_full_match({v}, '0[1-9]|[1-3][0-9]|4[0-7]') THEN 'bad_prefecture' END"
    if k == c.OCCUPATION:
        return v, f"CASE WHEN {v} NOT IN {_in_list(occupation_codes())} THEN 'unknown_occupation' END"
    if k in (c.CODE_LIST, c.QUALIFICATION_LIST):
        items = f"list_filter(list_transform(string_split(coalesce({v}, ''), ';'), lambda x: trim(x)), lambda x: x <> '')"
        if k == c.CODE_LIST:
            bad = f"len(list_filter({items}, lambda x: NOT regexp_full_match(x, '[A-Za-z0-9_-]+'))) > 0"
            return items, f"CASE WHEN {bad} THEN 'bad_code' END"
        bad = f"len(list_filter({items}, lambda x: x NOT IN {_in_list(qualification_codes())})) > 0"
        return items, f"CASE WHEN {bad} THEN 'unknown_qualification' END"
    if k == c.YEAR_MONTH:
        typed = (f"CASE WHEN regexp_full_match({v}, '[0-9]{{4}}[-/](0[1-9]|1[0-2])') "
                 f"THEN CAST(strptime(replace({v}, '/', '-') || '-01', '%Y-%m-%d') AS DATE) END")
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_year_month' END"
    raise ValueError(f"unknown column kind {k}")


# Row rules per feed: (reason, column named in the message, SQL condition on typed values t_*).
ROW_RULES: dict[str, list[tuple[str, str, str]]] = {
    "sites": [("end_before_start", "end_on", "t_end_on < t_start_on")],
    "site_contracts": [("registration_mismatch", "is_ccus_registered",
                        "t_is_ccus_registered <> regexp_full_match(t_business_ref, '[0-9]{14}')")],
    "rosters": [
        ("work_date_mismatch", "work_date", "t_work_date <> $file_date"),
        ("registration_mismatch", "is_ccus_registered",
         "t_is_ccus_registered <> regexp_full_match(t_person_ref, '[0-9]{14}')"),
    ],
    "attendance": [("exit_before_entry", "exited_at", "t_exited_at < t_entered_at")],
    "workers": [("level_requires_detailed", "level", "t_registration_type = 'simple' AND t_level > 1")],
}


@dataclass
class Validated:
    accepted: pa.Table      # typed contract columns + _source_line
    quarantined: pa.Table   # _source_line, column, column_position, reason, value


def validate(feed: c.Feed, parsed: ParsedFile, file_date: dt.date) -> Validated:
    n = len(parsed.lines)
    arrays = {"_source_line": pa.array(parsed.lines, pa.int64())}
    for col in feed.columns:
        values = parsed.columns.get(col.name)
        arrays[f"raw_{col.name}"] = pa.array(values if values is not None else [None] * n, pa.string())
    table = pa.table(arrays)

    select_v = ", ".join(f"nullif(trim(raw_{col.name}), '') AS v_{col.name}" for col in feed.columns)
    groups = [f"regexp_extract(nullif(trim(raw_{col.name}), ''), {_q(TIMESTAMP_PATTERN)}, "
              f"['y','mo','d','h','mi','s','tz']) AS m_{col.name}"
              for col in feed.columns if col.kind == c.TIMESTAMP]
    select_v = ", ".join([select_v, *groups])
    typed_parts, error_parts = [], []
    for col in feed.columns:
        typed, error = _typed_and_error(col)
        typed_parts.append(f"{typed} AS t_{col.name}")
        missing = "NULL" if col.nullable else f"CASE WHEN v_{col.name} IS NULL THEN 'missing_value' END"
        error_parts.append(f"coalesce({missing}, {error}) AS e_{col.name}")

    rules = ROW_RULES.get(feed.name, [])
    rule_sql = " ".join(f"WHEN {cond} THEN {_q(reason)}" for reason, _, cond in rules)
    rule_col = " ".join(f"WHEN {cond} THEN {_q(column)}" for _, column, cond in rules)
    column_errors = ", ".join(f"e_{col.name}" for col in feed.columns)
    first_column = " ".join(f"WHEN e_{col.name} IS NOT NULL THEN {_q(col.name)}" for col in feed.columns)
    # The offending value is echoed for operators, except personal data and worker ids (the raw
    # file, kept in the raw zone, has them at the line and column given).
    first_value = " ".join(f"WHEN e_{col.name} IS NOT NULL THEN v_{col.name}" for col in feed.columns
                           if not col.personal and col.name not in c.PSEUDONYMISED)
    key = ", ".join(f"t_{k}" for k in feed.file_key)
    duplicate = (f"CASE WHEN reason0 IS NULL AND row_number() OVER (PARTITION BY reason0 IS NULL, {key} "
                 f"ORDER BY _source_line) > 1 THEN 'duplicate_in_file' END") if key else "NULL"
    positions = " ".join(f"WHEN {_q(name)} THEN {pos}" for name, pos in parsed.column_positions.items())

    sql = f"""
    WITH v AS (SELECT _source_line, {select_v} FROM input),
    t AS (SELECT *, {', '.join(typed_parts)} FROM v),
    e AS (SELECT *, {', '.join(error_parts)} FROM t),
    r AS (
        SELECT *,
            coalesce({column_errors}{', CASE ' + rule_sql + ' END' if rules else ''}) AS reason0,
            CASE {first_column}{' ' + rule_col if rules else ''} END AS column0,
            CASE {first_value or 'WHEN false THEN NULL'} END AS value0
        FROM e
    ),
    d AS (SELECT *, {duplicate} AS dup FROM r)
    SELECT *, coalesce(reason0, dup) AS reason,
           CASE WHEN reason0 IS NULL AND dup IS NOT NULL THEN {_q(', '.join(feed.file_key))} ELSE column0 END AS err_column
    FROM d
    """
    con = duckdb.connect()
    try:
        con.register("input", table)
        con.execute(f"CREATE TEMP TABLE checked AS {sql}", {"file_date": file_date} if "$file_date" in sql else None)
        typed_cols = ", ".join(f"t_{col.name} AS {col.name}" for col in feed.columns)
        accepted = con.sql(
            f"SELECT _source_line, {typed_cols} FROM checked WHERE reason IS NULL ORDER BY _source_line"
        ).to_arrow_table()
        pos_sql = f"CASE err_column {positions} END" if positions else "NULL"
        quarantined = con.sql(
            f"""SELECT _source_line, err_column AS column_name, CAST({pos_sql} AS INTEGER) AS column_position,
                       reason, value0 AS value
                FROM checked WHERE reason IS NOT NULL ORDER BY _source_line"""
        ).to_arrow_table()
    finally:
        con.close()
    return Validated(accepted, quarantined)
