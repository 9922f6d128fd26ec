"""A Spark Thrift Server (the HiveServer2 protocol, through PyHive): its address, a connection,
and a table read back as Arrow with the types Spark declares (the gold export of a cluster).

Values travel in the protocol's columnar form (doubles as binary doubles, so rates and hours
arrive exact); dates come as ISO text and are parsed here. Only the types the marts use are
mapped: any other type is an error naming the table and column, not a silent guess.
"""
from __future__ import annotations

import datetime as dt
import re
import socket
from contextlib import closing

import pyarrow as pa
from pyhive import hive

THRIFT_USER = "ccus"
FETCH_ROWS = 10_000          # rows per FetchResults round trip

_SIMPLE_TYPES = {
    "bigint": pa.int64(), "int": pa.int32(), "integer": pa.int32(), "smallint": pa.int16(),
    "tinyint": pa.int8(), "double": pa.float64(), "float": pa.float32(), "boolean": pa.bool_(),
    "string": pa.string(), "date": pa.date32(),
    "timestamp": pa.timestamp("us"), "timestamp_ntz": pa.timestamp("us"),
}
_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
_TEXT = re.compile(r"(var)?char\(\d+\)")


def parse_address(address: str) -> tuple[str, int]:
    """'HOST:PORT' as (host, port), or a ValueError saying what is wrong with it."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"Spark Thrift address {address!r}: expected HOST:PORT, e.g. 127.0.0.1:10000")
    return host, int(port)


def connect(address: str, configuration: dict[str, str] | None = None) -> hive.Connection:
    host, port = parse_address(address)
    return hive.connect(host=host, port=port, username=THRIFT_USER, configuration=configuration or {})


def arrow_type(spark_type: str, where: str) -> pa.DataType:
    spark_type = spark_type.strip().lower()
    if spark_type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[spark_type]
    if _TEXT.fullmatch(spark_type):
        return pa.string()
    decimal = _DECIMAL.fullmatch(spark_type)
    if decimal:
        return pa.decimal128(int(decimal.group(1)), int(decimal.group(2)))
    raise ValueError(f"{where}: Spark type {spark_type!r} has no Arrow mapping in ccus/spark_thrift.py")


def column_types(cursor, relation: str) -> list[tuple[str, str]]:
    """(column, Spark type) in table order: DESCRIBE lists the columns, then a blank row or '#'
    sections (partition information) that repeat some of them."""
    cursor.execute(f"describe {relation}")
    columns = []
    for name, spark_type, *_ in cursor.fetchall():
        if not name or name.startswith("#"):
            break
        columns.append((name, spark_type))
    return columns


def _values(raw: list, arrow: pa.DataType) -> list:
    if pa.types.is_date32(arrow):        # DATE arrives as 'YYYY-MM-DD'
        return [None if v is None else dt.date.fromisoformat(v) for v in raw]
    return raw


def read_table(connection: hive.Connection, relation: str) -> pa.Table:
    """Every row of `relation` (schema.table) as an Arrow table of Spark's declared types."""
    with closing(connection.cursor(arraysize=FETCH_ROWS)) as cursor:
        columns = column_types(cursor, relation)
        cursor.execute(f"select {', '.join(f'`{name}`' for name, _ in columns)} from {relation}")
        rows = cursor.fetchall()
    arrays, fields = [], []
    for i, (name, spark_type) in enumerate(columns):
        arrow = arrow_type(spark_type, f"{relation}.{name}")
        arrays.append(pa.array(_values([row[i] for row in rows], arrow), type=arrow))
        fields.append(pa.field(name, arrow))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def answers(address: str) -> bool:
    """Whether the server opens a session and runs a query."""
    try:
        # the port first: PyHive logs every refused connection at ERROR
        socket.create_connection(parse_address(address), timeout=5).close()
        with closing(connect(address)) as connection, closing(connection.cursor()) as cursor:
            cursor.execute("select 1")
            return cursor.fetchall() == [(1,)]
    except Exception:  # refused, reset, still starting: not answering
        return False
