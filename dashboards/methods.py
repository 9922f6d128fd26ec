"""A location's methods and sources page (methods.html): each seed its figures rest on (source,
published or modelled), the rules of its topics, the suppression rule and how to read 秘匿 / X
and -. Rendered from templates/methods.html (autoescaped); every page of the location links to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from . import render
from .disclosure.table import Table
from .i18n import Text
from .sources import METHODS_PAGE, Seed, Sources
from .topics import TOPICS

TITLE = Text("方法と出典", "Methods and sources")
SOURCE_LINKS = 4        # the first addresses of a seed; the seed file lists every one


@dataclass(frozen=True)
class SeedRow:
    seed: Seed
    links: list[render.Link]
    more: int                     # addresses not listed
    used_by: list[Text]           # the location's tables resting on it


@dataclass(frozen=True)
class Rule:
    heading: Text
    text: Text
    marts: tuple[str, ...]


def _domain(url: str) -> str:
    return urlparse(url).netloc or url


def _seed_rows(sources: Sources, tables: list[Table]) -> list[SeedRow]:
    rows = []
    for seed in sources.seeds_of({m for t in tables for m in t.marts}):
        used = [t.title for t in tables if seed in sources.seeds_of(t.marts)]
        links = [render.Link(u, Text(_domain(u), _domain(u))) for u in seed.source_urls[:SOURCE_LINKS]]
        rows.append(SeedRow(seed, links, max(0, len(seed.source_urls) - SOURCE_LINKS), used))
    return rows


def _rules(tables: list[Table]) -> list[Rule]:
    """The topics whose marts the location's tables read, each with its rule (the topic's lead)."""
    marts = {m for t in tables for m in t.marts}
    return [Rule(t.heading, t.lead, t.marts) for t in TOPICS.values() if marts & set(t.marts)]


def suppression_text(thresholds) -> Text:
    if thresholds is None:
        return Text(
            "この場所の数値は秘匿処理をしていません。工事のページは、その工事の発注者と元請にのみ公開されます"
            "（CCUSの開示のルールにより、両者は自らの現場の技能者を見ることができます）。技能者を特定する情報は含みません。"
            "「-」は該当なし（0）、空欄はデータなしです。",
            "Nothing here is suppressed: a site's pages are published to its orderer and its prime only (who may see "
            "the workers on their own sites under CCUS's disclosure rules). Nothing identifies a worker. '-' means "
            "none (0); an empty cell means no data.")
    w, b = thresholds.min_workers, thresholds.min_businesses
    return Text(
        f"技能者{w}人未満、または事業者{b}社未満の数値から成るセルは公表しません（一次秘匿）。他の公表値"
        "（合計・内訳・別の表やグラフ）から差し引きで秘匿値が分かってしまう場合は、その計算に使えるセルも秘匿します"
        f"（二次秘匿）。公表したすべてのセルについて、秘匿値が取りうる範囲が{w}人・{b}社より狭くならないことを線形計画法で"
        "確かめています。ページでは「秘匿」、CSV（tables/）では「X」と表示し、「-」は該当なし（0）です。"
        "事業者数・現場数は事業者の基準、人日・日数・時間・金額は値の10%を範囲の基準にしています。"
        "公表値・目標値などこの基盤のデータでない数値は対象外です。",
        f"A cell counting fewer than {w} workers or fewer than {b} businesses is not published (primary "
        "suppression). When a suppressed value could be worked out by subtraction from other published figures "
        "(a total, its parts, another table or chart), cells of that sum are suppressed too (secondary "
        "suppression). For every suppressed cell a linear programme checks that what is published leaves its "
        f"value a range no narrower than {w} workers or {b} businesses. Pages show 'suppressed', the CSV files "
        "(tables/) 'X'; '-' means none (0). Counts of businesses and sites follow the business threshold; "
        "person-days, days, hours and amounts a range of 10 % of the value. Figures that are not the platform's "
        "(official figures, targets) are exempt.")


ESTIMATE_TEXT = Text(
    "「推計」の付いたグラフ・表は、公表されていない値をモデルで補った基礎データ（下の表で「モデル値」「一部推計」のもの）"
    "を使っています。たとえば能力評価のレベル判定基準は一部の分野しか公表されておらず、ほかの分野は鉄筋の基準にならって"
    "補っています。公表値だけを使う表には付きません。",
    "Charts and tables marked 'Estimate' rest on reference data whose missing published values were modelled "
    "(the seeds marked modelled or partly modelled below): e.g. the skill-level criteria are published for a few "
    "fields only; the others follow the 鉄筋 pattern. A table built from published reference data only carries "
    "no mark.")

SIMULATION_TEXT = Text(
    "このデータは{ja}です。実在の技能者・事業者ではなく、公表値に合わせて作った標本で、全国の値を表すものではありません。",
    "These data are {en}: a sample made to resemble the published figures, not real workers or businesses, and "
    "not the national totals.")


def page(*, audience: Text, tables: list[Table], sources: Sources, thresholds, as_of: date | None,
         simulation: Text | None = None, notes: list[tuple[Text, Text]] | None = None) -> str:
    """methods.html of a location (at its root). ``thresholds`` None: an unsuppressed location
    (orderers, primes). ``notes``: (heading, text) of the location's own methods (the ministry's
    progress against the targets). Tables with no rows show no figure: left out."""
    tables = [t for t in tables if not t.empty]
    return render.page(
        title=Text(f"{TITLE.ja} — {audience.ja}", f"{TITLE.en} — {audience.en}"), sections=[], as_of=as_of,
        depth=0, template="methods.html", simulation=simulation, methods=False,   # not a link to itself
        simulation_text=None if simulation is None else Text(
            SIMULATION_TEXT.ja.format(ja=simulation.ja),
            SIMULATION_TEXT.en.format(en=simulation.en[:1].lower() + simulation.en[1:])),
        seed_rows=_seed_rows(sources, tables), rules=_rules(tables), notes=notes or [],
        suppression=suppression_text(thresholds), estimate_text=ESTIMATE_TEXT, sources_known=bool(sources.seeds),
        back=render.Link("index.html", Text("このページの一覧へ戻る", "Back to the pages")))


__all__ = ["METHODS_PAGE", "page", "suppression_text"]
