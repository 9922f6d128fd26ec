"""Prefecture shapes for the maps, offline: the 47 prefectures' outlines shipped by the PyPI
package ``japanmap`` (Apache-2.0; its ``japan.json``: longitude / latitude border lines, each
prefecture's main land — the part holding its capital; small islands left out), read at build
time, as GeoJSON that plotly draws with no base map.

plotly.js still asks for its world topojson (from a CDN) before it draws any geo chart, even
with the base map switched off: the page hands it an empty one (``window.PlotlyGeoAssets``, the
hook plotly.js reads first; see templates/page.js), so nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache

import japanmap

KEEP_EVERY = 3          # of the border points (a 1-km step at most; invisible on a 400-px map)
OKINAWA_MOVED = True    # 沖縄県 drawn nearer Kyushu, as Japanese maps inset it


@lru_cache(maxsize=1)
def prefecture_shapes() -> dict:
    """A GeoJSON FeatureCollection, one Polygon per prefecture, ``id`` its two-digit JIS code.

    Each border line is shared by the two prefectures it separates; points are kept by their
    index on the line (every ``KEEP_EVERY``-th and both ends), so both keep the same points and
    no gap opens between them."""
    points, borders = japanmap.get_data(move_okinawa=OKINAWA_MOVED)
    features = []
    for number, lines in enumerate(borders, start=1):
        ring: list[list[float]] = []
        for _, line in lines:
            for position, index in enumerate(line):
                if position in (0, len(line) - 1) or index % KEEP_EVERY == 0:
                    lon, lat = points[index][0]
                    point = [round(lon, 3), round(lat, 3)]
                    if not ring or ring[-1] != point:
                        ring.append(point)
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        features.append({"type": "Feature", "id": f"{number:02d}", "properties": {},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    if len(features) != 47:
        raise RuntimeError(f"japanmap gave {len(features)} prefecture shapes, not 47")
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def centres() -> dict[str, tuple[float, float]]:
    """{code: (lon, lat)}: the mean of a prefecture's outline points (where a map writes its X)."""
    out = {}
    for feature in prefecture_shapes()["features"]:
        ring = feature["geometry"]["coordinates"][0][:-1]
        out[feature["id"]] = (round(sum(p[0] for p in ring) / len(ring), 3), round(sum(p[1] for p in ring) / len(ring), 3))
    return out
