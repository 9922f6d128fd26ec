"""The published data of a location (outputs.md "Published data"), as bytes ready to write.

- ``tables/<table_id>.csv``: UTF-8 with BOM (Excel opens it), Japanese headers, the figures of
  the page: a suppressed cell is ``X`` and a count of nothing ``-``, as in e-Stat tables; a
  figure that does not exist (a median of nobody) is ``…``. Rates are percentages with one
  decimal, as on the page.
- ``cells.csv``: every cell in long form (table_id, row_key, measure, unit, value — empty when
  suppressed — and suppressed: primary / secondary / empty).
- ``relations.csv``: one row per relation and member (relation_id, role, table_id, row_key,
  measure); roles ``total``/``part`` (total = Σ parts) or ``rate``/``numerator``/``denominator``.
- ``manifest.json``: audience, as-of date, pages, tables (titles in both languages, source
  marts, CSV file) and the counts of primary and secondary suppressions.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from .cells import CellSet
from .table import Table

BOM = "\ufeff"
SUPPRESSED, ZERO, NOT_AVAILABLE = "X", "-", "…"
CELL_COLUMNS = ("table_id", "row_key", "measure", "unit", "value", "suppressed")
RELATION_COLUMNS = ("relation_id", "role", "table_id", "row_key", "measure")


def csv_bytes(rows: list[list]) -> bytes:
    """Rows as a CSV file: UTF-8 with BOM, CRLF."""
    return _csv(rows)


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + out.getvalue()).encode("utf-8")


def value_text(value, fmt: str) -> str:
    """A published value as cells.csv writes it."""
    if value is None:
        return ""
    if fmt == "rate":
        return f"{value:.3f}"
    if fmt == "hours":
        return f"{value:.1f}"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def table_value(cell, fmt: str) -> str:
    """A figure as a table CSV writes it: X, -, …, or the number (a rate in %)."""
    if cell is None:
        return ""
    if cell.suppressed:
        return SUPPRESSED
    if cell.value is None:
        return NOT_AVAILABLE
    if cell.is_zero:
        return ZERO
    if fmt == "rate":
        return f"{cell.value * 100:.1f}"
    return value_text(cell.value, fmt)


def table_csv(table: Table) -> bytes:
    """Key columns as codes (``*`` in a total row, empty for unknown), the row's name (名称), then
    the measures."""
    headers = [k.header.ja for k in table.keys] + ["名称"] + [
        m.header.ja + ("（%）" if m.format == "rate" else "") for m in table.measures]
    rows = [headers]
    for row in table.rows:
        keys = ["" if row.key.get(k.name) is None else str(row.key.get(k.name)) for k in table.keys]
        rows.append(keys + [row.label.ja] + [table_value(row.cells.get(m.name), m.format) for m in table.measures])
    return _csv(rows)


def cells_csv(cells: CellSet, formats: dict[tuple[str, str], str]) -> bytes:
    """``formats``: {(table_id, measure): format}."""
    rows = [list(CELL_COLUMNS)]
    for cell in cells:
        fmt = formats.get((cell.table_id, cell.measure), "count")
        rows.append([cell.table_id, cell.key[1], cell.measure, cell.unit,
                     "" if cell.suppressed else value_text(cell.value, fmt), cell.suppressed])
    return _csv(rows)


def relations_csv(cells: CellSet) -> bytes:
    rows = [list(RELATION_COLUMNS)]
    for relation in cells.relations:
        for role, (table_id, row_key, measure) in relation.roles():
            rows.append([relation.id, role, table_id, row_key, measure])
    return _csv(rows)


def manifest_json(*, audience: str, unit: str | None, as_of: date | None, pages: list[str],
                  tables: list[Table], cells: CellSet, extra: dict | None = None) -> bytes:
    counts = cells.counts()
    data = {
        "audience": audience,
        "unit": unit,
        "as_of": as_of.isoformat() if as_of else None,
        "pages": pages,
        "tables": [{"id": t.id, "title": {"ja": t.title.ja, "en": t.title.en}, "marts": list(t.marts),
                    "csv": f"tables/{t.id}.csv"} for t in tables],
        "cells": len(cells.cells),
        "relations": len(cells.relations),
        "suppressed": {"primary": counts["primary"], "secondary": counts["secondary"]},
        **(extra or {}),
    }
    return json_document(data)


def json_document(data: dict) -> bytes:
    """A JSON object written one key per line, each value on its line: readable in an editor,
    and written by json's C encoder (``indent`` falls back to the pure-Python one, which cost a
    millisecond per manifest: tens of thousands of locations at national scale)."""
    lines = (f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
             for key, value in data.items())
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def files(*, audience: str, unit: str | None, as_of: date | None, pages: list[str], tables: list[Table],
          cells: CellSet, extra: dict | None = None) -> dict[str, bytes]:
    """{path relative to the location: bytes} of the location's published data."""
    formats = {(t.id, m.name): m.format for t in tables for m in t.measures}
    out = {f"tables/{t.id}.csv": table_csv(t) for t in tables}
    out["cells.csv"] = cells_csv(cells, formats)
    out["relations.csv"] = relations_csv(cells)
    out["manifest.json"] = manifest_json(audience=audience, unit=unit, as_of=as_of, pages=pages, tables=tables,
                                         cells=cells, extra=extra)
    return out
