"""The site's top page: a link to every location published under the site root (a location
elsewhere — another folder, an s3:// prefix — is only counted)."""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n, render
from .i18n import Text

KINDS = {
    "ministry": (Text("国土交通省（全国・都道府県の集計）", "Ministry (MLIT): national and prefecture aggregates"),
                 Text("全国の普及状況と目標に対する進捗、内訳、賃金、遵守状況。",
                      "National adoption against the targets, breakdowns, wages and compliance.")),
    "associations": (Text("建設業団体（会員事業者の報告）", "Construction associations: member reports"),
                     Text("団体ごとに会員事業者だけを集計。", "Per association, its members only.")),
    "orderers": (Text("発注者（自らの公共工事）", "Orderers: their own public works"),
                 Text("発注者ごとに、その公共工事だけ: 概要、工事の一覧、工事ごとのページ（モデル工事の3つの率と加減点、建退共、"
                      "社会保険の確認、労働時間、4週8休）。",
                      "Per orderer, its own public works only: summary, list, one page per project (model-project "
                      "rates and points, retirement-allowance mutual aid, insurance checks, working time, 8 closed days in 4 weeks).")),
    "primes": (Text("元請（自らの公共工事）", "Prime contractors: their own public works"),
               Text("元請ごとに、その公共工事だけ（発注者と同じ工事ごとのページ）。",
                    "Per prime contractor, its own public works only (the same project pages as its orderers').")),
}


@dataclass
class Entry:
    kind: str
    links: list[render.Link]
    elsewhere: int = 0


def build_page(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        name, description = KINDS[entry.kind]
        blocks.append(render.Heading(name))
        blocks.append(render.Note(description))
        if entry.links:
            blocks.append(render.Links(entry.links))
        if entry.elsewhere:
            blocks.append(render.Note(Text(f"ほか{entry.elsewhere}か所はこのサイトの外に公開しています。",
                                           f"{entry.elsewhere} more published outside this site.")))
    section = render.Section("audiences", Text("利用者別のページ", "Pages by audience"), blocks,
                             Text("公開範囲は利用者ごとに異なります。各ページは静的HTMLで、オフラインでも閲覧できます。",
                                  "Each audience sees its own pages. Every page is static HTML, readable offline."))
    return render.page(title=i18n.SITE_TITLE, sections=[section], as_of=None, depth=0, home=True)
