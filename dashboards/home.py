"""The site's top page: one link per audience that has pages."""

from __future__ import annotations

from . import i18n, layout
from .i18n import Text

# (folder, name, description, published yet)
AUDIENCES = [
    ("ministry", Text("国土交通省（全国・都道府県の集計）", "Ministry (MLIT): national and prefecture aggregates"),
     Text("全国の普及状況と目標に対する進捗。", "National adoption and progress against the targets."), True),
    ("associations", Text("建設業団体（会員事業者の報告）", "Construction associations: member reports"),
     Text("団体ごとに会員事業者だけを集計: レベル構成、レベルアップ候補、レベル別賃金、会員が元請の工事。",
          "Per association, its members only: level mix, level-up candidates, wages by level, "
          "members' projects."), True),
    ("projects", Text("発注者・元請（工事ごとのページ）", "Orderers and prime contractors: one page per project"),
     Text("公共工事ごと: モデル工事の3つの率と加減点、建退共、社会保険の確認、労働時間、4週8休。",
          "Per public-works project: model-project rates and points, 建退共, insurance checks, working "
          "time, 4週8休."), True),
]


def build_page(published: set[str], listed=None) -> str:
    """``published``: the audience folders whose pages this publication wrote; ``listed``: the
    audiences this location serves (all by default) — a location of its own lists only its own."""
    items = []
    for folder, name, description, _ in AUDIENCES:
        if listed is not None and folder not in listed:
            continue
        if folder in published:
            head = f'<a href="{folder}/index.html" data-keep-lang>{name.html()}</a>'
        else:
            head = f"<strong>{name.html()}</strong>"
        items.append(f"<li>{head}<p>{description.html()}</p></li>")
    body = layout.section("audiences", Text("利用者別のページ", "Pages by audience"),
                          '<ul class="audiences">' + "".join(items) + "</ul>",
                          lead=Text("公開範囲は利用者ごとに異なります。各ページは静的HTMLで、オフラインでも閲覧できます。",
                                    "Each audience sees its own pages. Every page is static HTML, readable offline."))
    return layout.page(title=i18n.SITE_TITLE, body=body, as_of=None, depth=0, home=True)
