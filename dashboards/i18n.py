"""Labels in both languages. Japanese is the page's first language, English the switch.

A page renders every label in both languages: HTML text as two elements carrying
``data-lang="ja"`` / ``data-lang="en"`` (CSS shows one set), chart labels as two label sets
that the page's script swaps with Plotly.relayout/restyle (see charts.py and layout.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

LANGS = ("ja", "en")      # Text.html writes the two out in this order
DEFAULT_LANG = "ja"


@dataclass(frozen=True)
class Text:
    """One label in Japanese and English."""

    ja: str
    en: str

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        return getattr(self, lang)

    def html(self, tag: str = "span", cls: str = "") -> str:
        """Both languages as sibling elements; CSS shows the one of the page's language."""
        # written out for LANGS == ("ja", "en"): called ~100 times per page, 81 000 project pages
        attr = f' class="{cls}"' if cls else ""
        return (f'<{tag} data-lang="ja" lang="ja"{attr}>{_escape(self.ja)}</{tag}>'
                f'<{tag} data-lang="en" lang="en"{attr}>{_escape(self.en)}</{tag}>')


# Most labels are the same on every page (headings, column names): escaped once. Bounded, as
# numbers and names change from page to page.
_escape = lru_cache(maxsize=16384)(html.escape)


# Labels shared by several pages (page-specific labels live beside the page).
SITE_TITLE = Text("CCUS 建設キャリアアップシステム データプラットフォーム",
                  "CCUS Construction Career Up System data platform")
SWITCH = Text("English", "日本語")  # the button shows the language it switches to
SWITCH_HINT = Text("表示言語を英語に切り替える", "Switch the page to Japanese")
AS_OF = Text("データ時点", "Data as of")
SOURCE = Text("出典", "Source")
NOT_AVAILABLE = Text("データがありません", "Data not available")
MART_MISSING = Text("{mart} が見つからないか、行がありません。", "{mart} is missing or has no rows.")
MARTS_MISSING = Text("{mart} が見つからないか、行がありません。", "{mart} are missing or have no rows.")
NO_DATA = Text("—（データなし）", "— (no data)")
BACK_HOME = Text("トップへ戻る", "Back to the top page")
