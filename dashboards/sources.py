"""What the figures rest on: the seeds of each mart, published or modelled (gold/sources.json,
written by the gold export from the dbt manifest and the seeds' own metadata).

Every chart or table whose tables come from a mart resting on a modelled seed gets a 推計
(Estimate) line under it, linked to the location's methods page; the list is derived from the
seeds' metadata (rows' ``certainty``, yml ``meta``), never kept by hand here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .disclosure.table import Table
from .i18n import Text
from .io import Location
from .render import Estimate, Section

SOURCES = "sources.json"
METHODS_PAGE = "methods.html"


@dataclass(frozen=True)
class Seed:
    name: str
    title: Text
    description: str
    path: str
    rows: int
    published_rows: int
    modelled_rows: int
    estimate: bool
    labels_only: bool
    source_urls: tuple[str, ...]

    @property
    def basis(self) -> Text:
        if self.modelled_rows == 0:
            return Text("公表値", "Published")
        if self.published_rows == 0:
            return Text("モデル値（推計）", "Modelled (estimate)")
        return Text(f"一部推計（{self.rows:,}行中{self.modelled_rows:,}行がモデル値）",
                    f"Partly modelled ({self.modelled_rows:,} of {self.rows:,} rows)")


@dataclass
class Sources:
    seeds: dict[str, Seed] = field(default_factory=dict)
    marts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def seeds_of(self, marts) -> list[Seed]:
        """The seeds under any of ``marts``, in name order."""
        names = sorted({s for m in marts for s in self.marts.get(m, ())})
        return [self.seeds[n] for n in names if n in self.seeds]

    def estimates(self, marts) -> list[Seed]:
        return [s for s in self.seeds_of(marts) if s.estimate]


def parse(data: dict) -> Sources:
    seeds = {name: Seed(name, Text(f["title_ja"], f["title_en"]), f["description"], f["path"], int(f["rows"]),
                        int(f["published_rows"]), int(f["modelled_rows"]), bool(f["estimate"]),
                        bool(f["labels_only"]), tuple(f["source_urls"]))
             for name, f in data.get("seeds", {}).items()}
    return Sources(seeds, {m: tuple(s) for m, s in data.get("marts", {}).items()})


def load(gold: Location) -> Sources:
    """gold/sources.json; empty (no seed known, no 推計 label) when the run wrote none."""
    path = gold.path(SOURCES)
    if not gold.fs.exists(path):
        return Sources()
    return parse(json.loads(gold.fs.cat_file(path)))


def _table_ids(block) -> list[str]:
    """The tables a chart or table block shows, or a downloads line offers: their CSV links name
    them (tables/<id>.csv)."""
    links = block.links if block.kind == "downloads" else getattr(block, "csv", None) or []
    return [link.href.rsplit("/", 1)[-1].removesuffix(".csv") for link in links]


def estimate_block(seeds: list[Seed], depth: int) -> Estimate:
    names = Text("、".join(s.title.ja for s in seeds), ", ".join(s.title.en for s in seeds))
    return Estimate(Text(f"モデルで補った基礎データ（{names.ja}）を使った推計です。",
                         f"Rests on modelled reference data ({names.en})."),
                    f"{'../' * depth}{METHODS_PAGE}#estimates", tuple(s.name for s in seeds))


def mark(sections: list[Section], tables: list[Table], sources: Sources, depth: int) -> list[Section]:
    """Each chart or table block whose tables rest on a modelled seed followed by its 推計 line;
    a downloads line too (a project page's tables carry no CSV link of their own: the section's
    downloads name them), unless a block of its section was marked already."""
    marts = {t.id: t.marts for t in tables}
    for section in sections:
        blocks, marked = [], False
        for block in section.blocks:
            blocks.append(block)
            if block.kind not in ("chart", "table", "downloads") or (block.kind == "downloads" and marked):
                continue
            seeds = sources.estimates([m for t in _table_ids(block) for m in marts.get(t, ())])
            if seeds:
                blocks.append(estimate_block(seeds, depth))
                marked = True
        section.blocks = blocks
    return sections
