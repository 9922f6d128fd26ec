"""gold/sources.json: what each seed is (published or modelled, its source addresses) and the seeds
each mart rests on, from the dbt manifest and the seed files. The pages read it for their 推計
labels and their methods page (dashboards/sources.py); it holds no data, only reference facts.

A seed's rows say whether they are published or modelled (column ``certainty``); a seed without
that column declares it for all its rows in its yml (``config.meta.certainty``). A seed whose
modelled part names codes only (``config.meta.labels_only``, e.g. the platform's association
codes) makes no figure an estimate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

CERTAINTIES = ("published", "modelled")
GOLD_PATH = "gold/sources.json"


def _seed_rows(path: Path, declared: str | None, name: str) -> tuple[int, int, list[str]]:
    """(published rows, modelled rows, distinct source addresses in file order) of a seed file."""
    counts = dict.fromkeys(CERTAINTIES, 0)
    urls: list[str] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if "certainty" not in (reader.fieldnames or []) and declared is None:
            raise ValueError(f"seed {name} ({path.name}): no certainty column and no config.meta.certainty "
                             "in its yml: say whether its rows are published or modelled")
        for line, row in enumerate(reader, start=2):
            certainty = row.get("certainty") or declared
            if certainty not in CERTAINTIES:
                raise ValueError(f"seed {name} ({path.name}), line {line}, column certainty: "
                                 f"{certainty!r} is neither published nor modelled")
            counts[certainty] += 1
            url = (row.get("source_url") or "").strip()
            if url and url not in urls:
                urls.append(url)
    return counts["published"], counts["modelled"], urls


def _upstream_seeds(node_id: str, parents: dict[str, list[str]]) -> list[str]:
    seen, stack, seeds = set(), [node_id], set()
    while stack:
        for parent in parents.get(stack.pop(), []):
            if parent in seen:
                continue
            seen.add(parent)
            if parent.startswith("seed."):
                seeds.add(parent)
            stack.append(parent)
    return sorted(seeds)


def sources(manifest: dict, project_dir: Path) -> dict:
    """{"seeds": {name: facts}, "marts": {mart: [seed names]}} for every seed and mart of the
    project (marts: the models under models/marts/)."""
    seeds, names = {}, {}
    for node_id, node in manifest["nodes"].items():
        if node["resource_type"] != "seed":
            continue
        meta = node.get("config", {}).get("meta") or node.get("meta") or {}
        published, modelled, urls = _seed_rows(project_dir / node["original_file_path"], meta.get("certainty"),
                                               node["name"])
        labels_only = bool(meta.get("labels_only", False))
        seeds[node["name"]] = {
            "path": node["original_file_path"], "title_ja": meta.get("title_ja") or node["name"],
            "title_en": meta.get("title_en") or node["name"], "description": " ".join(node["description"].split()),
            "rows": published + modelled, "published_rows": published, "modelled_rows": modelled,
            "labels_only": labels_only, "estimate": modelled > 0 and not labels_only, "source_urls": urls}
        names[node_id] = node["name"]
    marts = {node["name"]: [names[s] for s in _upstream_seeds(node_id, manifest["parent_map"])]
             for node_id, node in manifest["nodes"].items()
             if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")}
    return {"seeds": dict(sorted(seeds.items())), "marts": dict(sorted(marts.items()))}


def sources_json(manifest_path: Path, project_dir: Path) -> bytes:
    return json.dumps(sources(json.loads(manifest_path.read_text()), project_dir), ensure_ascii=False,
                      indent=1).encode()
