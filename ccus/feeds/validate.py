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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds import contract as c
from ccus.feeds.reference import occupation_codes, qualification_codes
from ccus.feeds.reader import ParsedFile

TIMESTAMP_PATTERN = (
    r"^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
# The shape nearly every timestamp has: seconds, no fraction, no space, offset none, Z or ±HH:MM.
# Every such value matches TIMESTAMP_PATTERN with its groups at fixed places.
PLAIN_TIMESTAMP = r"[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?"
TRUE_WORDS = ("true", "1", "はい")
FALSE_WORDS = ("false", "0", "いいえ")


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in_list(values) -> str:
    return "(" + ", ".join(_q(v) for v in values) + ")"


def _japan_time(wall_text: str, tz: str) -> str:
    """SQL: the wall time 'YYYY-MM-DD HH:MM:SS' at offset tz ('', 'Z', ±HH, ±HHMM, ±HH:MM) as a
    Japan-time TIMESTAMP (NULL when the wall time is not a calendar time)."""
    offset_min = (f"CASE WHEN {tz} = '' THEN 540 WHEN {tz} = 'Z' THEN 0 ELSE "
                  f"(CASE WHEN left({tz}, 1) = '-' THEN -1 ELSE 1 END) * "
                  f"(CAST(substr({tz}, 2, 2) AS INTEGER) * 60 + "
                  f"CASE WHEN length(replace({tz}, ':', '')) = 5 "
                  f"THEN CAST(substr(replace({tz}, ':', ''), 4, 2) AS INTEGER) ELSE 0 END) END")
    return f"try_strptime({wall_text}, '%Y-%m-%d %H:%M:%S') + to_minutes(540 - ({offset_min}))"


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
        m, f = f"m_{col.name}", f"f_{col.name}"  # regexp groups / plain-shape flag, once per value (CTEs)
        # Local wall time as written, then moved to Japan time: no offset means Japan time
        # (+09:00 = 540 minutes); Z is UTC. A value of the plain shape (f_) has its groups at
        # fixed places, so substrings stand in for the regexp groups there: the same text, the
        # same result, at a third of the cost.
        general = _japan_time(f"{m}.y || '-' || {m}.mo || '-' || {m}.d || ' ' || {m}.h || ':' || {m}.mi || ':' "
                              f"|| coalesce(nullif({m}.s, ''), '00')", f"{m}.tz")
        plain = _japan_time(f"substr({v}, 1, 4) || '-' || substr({v}, 6, 2) || '-' || substr({v}, 9, 2) || ' ' "
                            f"|| substr({v}, 12, 8)", f"substr({v}, 20)")
        typed = f"CASE WHEN {f} THEN {plain} WHEN {m}.y <> '' THEN {general} END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_timestamp' END"
    if k == c.BOOL:
        lv = f"lower({v})"
        typed = f"CASE WHEN {lv} IN {_in_list(TRUE_WORDS)} THEN true WHEN {lv} IN {_in_list(FALSE_WORDS)} THEN false END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_bool' END"
    if k == c.INT:
        # Digits are an integer; more than 18 significant ones do not fit BIGINT and lie beyond
        # every bound, so they are out of range rather than not a number.
        digits = f"regexp_full_match({v}, '[0-9]+')"
        typed = f"CASE WHEN {digits} AND length(ltrim({v}, '0')) <= 18 THEN CAST({v} AS BIGINT) END"
        return typed, (f"CASE WHEN {v} IS NOT NULL AND NOT {digits} THEN 'bad_int' "
                       f"WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'out_of_range' END")
    if k == c.LEVEL:
        typed = f"CASE WHEN {v} IN ('1','2','3','4') THEN CAST({v} AS INTEGER) END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_level' END"
    if k == c.ENUM:
        whens = " ".join(
            f"WHEN lower({v}) = {_q(code)} OR {v} = {_q(label)} THEN {_q(code)}" for code, label in col.values)
        typed = f"CASE {whens} END"
        return typed, f"CASE WHEN {v} IS NOT NULL AND t_{col.name} IS NULL THEN 'bad_enum' END"
    if k == c.ORDERER_CODE:
        return v, f"CASE WHEN NOT regexp_full_match({v}, '[0-9A-Za-z-]{{1,20}}') THEN 'bad_orderer_code' END"
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


def _literal(value) -> str:
    return f"DATE '{value.isoformat()}'" if isinstance(value, dt.date) else str(int(value))


def _bound_error(col: c.Column) -> str:
    """SQL: 'out_of_range' when the typed value lies outside the column's plausibility bound
    (a timestamp by its date; `$file_date` is the file's own date)."""
    bound = col.bound
    if bound is None:
        return "NULL"
    t = f"CAST(t_{col.name} AS DATE)" if col.kind == c.TIMESTAMP else f"t_{col.name}"
    outside = []
    if bound.low is not None:
        outside.append(f"{t} < {_literal(bound.low)}")
    if bound.high is not None:
        outside.append(f"{t} > {_literal(bound.high)}")
    if bound.days_after_file is not None:
        outside.append(f"{t} > CAST($file_date AS DATE) + {int(bound.days_after_file)}")
    return f"CASE WHEN {' OR '.join(outside)} THEN 'out_of_range' END"


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
    "attendance": [
        ("exit_before_entry", "exited_at", "t_exited_at < t_entered_at"),
        # feeds.md, "Plausibility bounds": entered on the work date (Japan time) or the day before,
        # at most MAX_HOURS_ON_SITE on site
        ("out_of_range", "entered_at", "CAST(t_entered_at AS DATE) NOT BETWEEN t_work_date - 1 AND t_work_date"),
        ("out_of_range", "exited_at", f"t_exited_at > t_entered_at + INTERVAL {c.MAX_HOURS_ON_SITE} HOUR"),
    ],
    "workers": [("level_requires_detailed", "level", "t_registration_type = 'simple' AND t_level > 1")],
}


@dataclass
class Validated:
    accepted: pa.Table      # typed contract columns + _source_line
    quarantined: pa.Table   # _source_line, column_name, column_position, reason


def _as_string_array(values, n: int) -> pa.Array:
    """A column of raw text: the reader's list of str, or an Arrow array the fast CSV path made."""
    if values is None:
        return pa.nulls(n, pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.string() else values.cast(pa.string())
    return pa.array(values, pa.string())


def validate(feed: c.Feed, parsed: ParsedFile, file_date: dt.date,
             con: duckdb.DuckDBPyConnection | None = None) -> Validated:
    """Typed accepted rows and quarantined rows of one chunk, both in line order.

    Two queries instead of one wide one: the typing pass keeps only the typed columns and the
    first reason, and the duplicate-key window then sorts only the key columns of the rows that
    passed (a window over every intermediate column cost more than the typing itself).
    `con`: a DuckDB connection to reuse across the chunks of a file (a fresh one if None)."""
    n = len(parsed.lines)
    arrays = {"_source_line": pa.array(parsed.lines, pa.int64())}
    for col in feed.columns:
        arrays[f"raw_{col.name}"] = _as_string_array(parsed.columns.get(col.name), n)
    table = pa.table(arrays)

    # trim() was a third of the rosters' typing pass: a chunk known to have no value with a space
    # at either end (ParsedFile.trimmed) skips it, with the same result
    text = {col.name: f"raw_{col.name}" if parsed.trimmed else f"trim(raw_{col.name})" for col in feed.columns}
    select_v = ", ".join(f"nullif({text[col.name]}, '') AS v_{col.name}" for col in feed.columns)
    stamps = [col.name for col in feed.columns if col.kind == c.TIMESTAMP]
    plain = ", ".join(["*"] + [f"regexp_full_match(v_{n}, {_q(PLAIN_TIMESTAMP)}) AS f_{n}" for n in stamps])
    groups = ", ".join(["*"] + [f"CASE WHEN NOT f_{n} THEN regexp_extract(v_{n}, {_q(TIMESTAMP_PATTERN)}, "
                                f"['y','mo','d','h','mi','s','tz']) END AS m_{n}" for n in stamps])
    typed_parts, error_parts = [], []
    for col in feed.columns:
        typed, error = _typed_and_error(col)
        typed_parts.append(f"{typed} AS t_{col.name}")
        missing = "NULL" if col.nullable else f"CASE WHEN v_{col.name} IS NULL THEN 'missing_value' END"
        error_parts.append(f"coalesce({missing}, {error}, {_bound_error(col)}) AS e_{col.name}")

    rules = ROW_RULES.get(feed.name, [])
    rule_sql = " ".join(f"WHEN {cond} THEN {_q(reason)}" for reason, _, cond in rules)
    rule_col = " ".join(f"WHEN {cond} THEN {_q(column)}" for _, column, cond in rules)
    column_errors = ", ".join(f"e_{col.name}" for col in feed.columns)
    first_column = " ".join(f"WHEN e_{col.name} IS NOT NULL THEN {_q(col.name)}" for col in feed.columns)
    # No offending value is kept: a misplaced field may hold a person's data whatever the column
    # (feeds.md: a quarantine message names file, line, column and reason only). The raw file,
    # in the raw zone, has it at the line and column given.
    positions = " ".join(f"WHEN {_q(name)} THEN {pos}" for name, pos in parsed.column_positions.items())
    typed_cols = ", ".join(f"t_{col.name} AS {col.name}" for col in feed.columns)

    typing_sql = f"""
    WITH v AS (SELECT _source_line, {select_v} FROM input),
    p AS (SELECT {plain} FROM v),
    g AS (SELECT {groups} FROM p),
    t AS (SELECT *, {', '.join(typed_parts)} FROM g),
    e AS (SELECT *, {', '.join(error_parts)} FROM t)
    SELECT _source_line, {typed_cols},
        coalesce({column_errors}{', CASE ' + rule_sql + ' END' if rules else ''}) AS reason0,
        CASE {first_column}{' ' + rule_col if rules else ''} END AS column0
    FROM e
    """
    own = con is None
    con = duckdb.connect() if own else con
    try:
        con.register("input", table)
        checked = con.sql(typing_sql, params={"file_date": file_date} if "$file_date" in typing_sql else None
                          ).to_arrow_table()
        con.unregister("input")
        con.register("checked", checked)
        # A row whose key an earlier row of the chunk (in line order) already had, among the rows
        # with no other reason: row_number() > 1 per key, as before, on the key columns only.
        key = ", ".join(f'"{k}"' for k in feed.file_key)
        dup_lines = con.sql(
            f"""SELECT _source_line FROM (
                    SELECT _source_line, row_number() OVER (PARTITION BY {key} ORDER BY _source_line) AS rn
                    FROM checked WHERE reason0 IS NULL)
                WHERE rn > 1"""
        ).to_arrow_table().column(0) if key else pa.array([], pa.int64())
        con.register("dup_lines", pa.table({"line": dup_lines}))
        pos_sql = "CASE column_name " + positions + " END" if positions else "NULL"
        quarantined = con.sql(
            f"""SELECT _source_line, column_name, CAST({pos_sql} AS INTEGER) AS column_position, reason
                FROM (SELECT _source_line,
                             CASE WHEN reason0 IS NULL THEN {_q(', '.join(feed.file_key))} ELSE column0 END AS column_name,
                             coalesce(reason0, 'duplicate_in_file') AS reason
                      FROM checked
                      WHERE reason0 IS NOT NULL OR _source_line IN (SELECT line FROM dup_lines))
                ORDER BY _source_line"""
        ).to_arrow_table()
        for name in ("checked", "dup_lines"):
            con.unregister(name)
    finally:
        if own:
            con.close()
    rejected = pc.or_(pc.is_valid(checked.column("reason0")), pc.is_in(checked.column("_source_line"), dup_lines))
    accepted = checked.filter(pc.invert(rejected)).drop_columns(["reason0", "column0"])
    return Validated(_in_line_order(accepted), quarantined)


def _in_line_order(table: pa.Table) -> pa.Table:
    """The typing pass keeps the input's order (lines ascending); sorted only if it did not."""
    lines = table.column("_source_line").to_numpy()
    if len(lines) > 1 and not bool(np.all(lines[1:] > lines[:-1])):
        return table.sort_by("_source_line")
    return table
