"""The dbt layers over the parsed manifest: only staging reads bronze (sources), staging reads no
intermediate or mart model, intermediate reads no mart; a model's name says its layer (stg_ in
staging/, int_ in intermediate/). Marts may build on marts (as jaffle-shop's customers on orders)."""
import json

from assets.dbt_project import ensure_manifest

ORDER = {"staging": 0, "intermediate": 1, "marts": 2}
PREFIX = {"staging": "stg_", "intermediate": "int_"}


def layer(unique_id: str, manifest: dict) -> str:
    kind = unique_id.split(".")[0]
    return manifest["nodes"][unique_id]["fqn"][1] if kind == "model" else kind   # else source, seed


def layer_violations(manifest: dict) -> list[str]:
    wrong = []
    for unique_id, node in manifest["nodes"].items():
        if not unique_id.startswith("model."):
            continue
        own = layer(unique_id, manifest)
        if own not in ORDER:
            wrong.append(f"{node['name']}: not in staging/, intermediate/ or marts/")
            continue
        if own in PREFIX and not node["name"].startswith(PREFIX[own]):
            wrong.append(f"{node['name']} ({own}): named without {PREFIX[own]}")
        for upstream in node["depends_on"]["nodes"]:
            theirs = layer(upstream, manifest)
            if (theirs == "source" and own != "staging") or ORDER.get(theirs, -1) > ORDER[own]:
                wrong.append(f"{node['name']} ({own}) reads {upstream} ({theirs})")
    return wrong


def test_every_model_reads_only_its_own_layer_or_below_and_is_named_for_it():
    manifest = json.loads(ensure_manifest().read_text())
    assert sum(k.startswith("model.") for k in manifest["nodes"]) > 50
    assert layer_violations(manifest) == []


def test_the_rules_catch_a_model_out_of_its_layer():
    def model(name, folder, *upstream):
        return f"model.ccus.{name}", {"name": name, "fqn": ["ccus", folder, name],
                                      "depends_on": {"nodes": list(upstream)}}

    manifest = {"nodes": dict([
        model("int_reads_bronze", "intermediate", "source.ccus.bronze.workers"),
        model("stg_reads_a_mart", "staging", "model.ccus.adoption"),
        model("adoption", "marts", "model.ccus.int_reads_bronze", "seed.ccus.prefectures"),
        model("workers_clean", "staging", "source.ccus.bronze.workers"),
    ])}
    assert layer_violations(manifest) == [
        "int_reads_bronze (intermediate) reads source.ccus.bronze.workers (source)",
        "stg_reads_a_mart (staging) reads model.ccus.adoption (marts)",
        "workers_clean (staging): named without stg_",
    ]
