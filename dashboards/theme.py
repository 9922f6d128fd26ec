"""Colours and fonts shared by every page.

Colours: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
Fonts: system fonts only (pages work offline from file://, nothing fetched from the web);
Noto Sans CJK JP is what Debian's fonts-noto-cjk installs.
"""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
COLORWAY = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange",
                                   "reddish_purple", "sky_blue", "black", "yellow")]
GRID = "#DDDDDD"
MUTED = "#555555"

FONT_FAMILY = ('"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", '
               '"Hiragino Sans", "Yu Gothic", Meiryo, "Source Han Sans JP", sans-serif')
