"""The bench's table: one column per scale, one row per figure (— where a step did not run)."""
from __future__ import annotations


def table(results: list[dict]) -> str:
    rows = []

    def add(label, key, fmt):
        cells = []
        for res in results:
            try:
                v = key(res)
            except (KeyError, TypeError, ZeroDivisionError):
                v = None
            cells.append("—" if v is None else fmt(v))
        rows.append((label, cells))

    s = lambda v: f"{v:,.1f} s"          # noqa: E731
    mb = lambda v: f"{v:,.0f} MB"        # noqa: E731
    n = lambda v: f"{v:,.0f}"            # noqa: E731
    x = lambda v: f"{v}×"                # noqa: E731
    add("simulated rows", lambda r: r["simulate"]["rows"], n)
    add("simulate time", lambda r: r["simulate"]["seconds"], s)
    add("simulator rows/s (all feeds)", lambda r: r["simulate"]["rows_per_s"], n)
    add("simulator attendance rows/s", lambda r: r["simulate"]["attendance_rows_per_s"], n)
    add("simulate peak RSS", lambda r: r["simulate"]["peak_rss_mb"], mb)
    add("pipeline rows (ingested)", lambda r: r["initial"]["ingest"]["rows"], n)
    add("ingest time", lambda r: r["initial"]["ingest"]["seconds"], s)
    add("ingest rows/s", lambda r: r["initial"]["ingest"]["rows_per_s"], n)
    add("ingest peak RSS", lambda r: r["initial"]["ingest"]["peak_rss_mb"], mb)
    add("dbt build time", lambda r: r["initial"]["dbt"]["seconds"], s)
    add("dbt build peak RSS", lambda r: r["initial"]["dbt"]["peak_rss_mb"], mb)
    add("publish time", lambda r: r["initial"]["publish"]["seconds"], s)
    add("publish peak RSS", lambda r: r["initial"]["publish"]["peak_rss_mb"], mb)
    add("dbt on Spark (models+seeds, JVM start)", lambda r: r["spark"]["seconds"], s)
    add("dbt on Spark peak RSS", lambda r: r["spark"]["peak_rss_mb"], mb)
    add("Spark marts = DuckDB gold", lambda r: r["spark"]["equal_to_duckdb_gold"], str)
    add("dbt on Spark ÷ dbt on DuckDB", lambda r: r["ratios"]["spark_dbt_vs_duckdb_dbt"], x)
    add("Spark cluster start (Master, 2 Workers, Thrift)", lambda r: r["spark_cluster"]["cluster_start_seconds"], s)
    add("dbt on the Spark cluster (models+seeds)", lambda r: r["spark_cluster"]["seconds"], s)
    add("  peak RSS (dbt + cluster JVMs)", lambda r: r["spark_cluster"]["peak_rss_mb"], mb)
    add("  cluster marts = DuckDB gold", lambda r: r["spark_cluster"]["equal_to_duckdb_gold"], str)
    add("dbt on the cluster ÷ dbt on DuckDB", lambda r: r["ratios"]["spark_cluster_dbt_vs_duckdb_dbt"], x)
    add("end-to-end (ingest+dbt+publish)", lambda r: r["initial"]["end_to_end"]["seconds"], s)
    add("baseline: DuckDB SQL on bronze", lambda r: r["baseline"]["seconds"], s)
    add("baseline peak RSS", lambda r: r["baseline"]["peak_rss_mb"], mb)
    add("baseline = pipeline (adoption_national)", lambda r: r["baseline"]["matches_gold_adoption_national"], str)
    add("baseline from the inbox (CSV → result)", lambda r: r["baseline_raw"]["seconds"], s)
    add("baseline from the inbox = pipeline", lambda r: r["baseline_raw"]["matches_gold_adoption_national"], str)
    add("baseline: every model's SQL, plain DuckDB", lambda r: r["baseline_models"]["seconds"], s)
    add("  marts equal to gold", lambda r: f'{r["baseline_models"]["marts_equal_gold"]}/{r["baseline_models"]["marts"]}', str)
    add("dbt build ÷ every-model baseline", lambda r: r["ratios"]["dbt_build_vs_models_baseline"], x)
    add("end-to-end ÷ (inbox + every-model baselines)",
        lambda r: r["ratios"]["end_to_end_vs_raw_and_models_baseline"], x)
    add("dbt build ÷ baseline", lambda r: r["ratios"]["dbt_build_vs_baseline"], x)
    add("end-to-end ÷ baseline", lambda r: r["ratios"]["end_to_end_vs_baseline"], x)
    add("end-to-end ÷ baseline from the inbox", lambda r: r["ratios"]["end_to_end_vs_raw_baseline"], x)
    add("daily: rows ingested", lambda r: r["daily"]["ingest"]["rows"], n)
    add("daily: ingest", lambda r: r["daily"]["ingest"]["seconds"], s)
    add("daily: dbt build", lambda r: r["daily"]["dbt"]["seconds"], s)
    add("daily: publish", lambda r: r["daily"]["publish"]["seconds"], s)
    add("daily: end-to-end", lambda r: r["daily"]["end_to_end"]["seconds"], s)
    add("daily: peak RSS", lambda r: r["daily"]["end_to_end"]["peak_rss_mb"], mb)
    add("daily: baseline", lambda r: r["daily_baseline"]["seconds"], s)
    add("daily ÷ baseline", lambda r: r["ratios"]["daily_vs_baseline"], x)
    add("daily: every-model baseline", lambda r: r["daily_baseline_models"]["seconds"], s)
    add("daily ÷ every-model baseline (the daily one, else the initial)",
        lambda r: r["ratios"]["daily_vs_models_baseline"], x)
    width = max(len(label) for label, _ in rows)
    cols = [max([len(res["scale"])] + [len(cells[k]) for _, cells in rows]) for k, res in enumerate(results)]
    lines = [" " * width + " | " + " | ".join(res["scale"].rjust(w) for res, w in zip(results, cols))]
    lines.append("-" * len(lines[0]))
    for label, cells in rows:
        lines.append(label.ljust(width) + " | " + " | ".join(c.rjust(w) for c, w in zip(cells, cols)))
    return "\n".join(lines)
