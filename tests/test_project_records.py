"""dashboards.projects.data.records: the values of DataFrame.to_dict("records"), faster."""

from datetime import date
import math

import pandas as pd

from dashboards.projects.data import records


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def test_records_give_the_values_of_to_dict():
    frame = pd.DataFrame({
        "site_id": pd.array(["S1", "S2", None], dtype="string"),       # a missing string
        "name": pd.Series(["a", None, "c"], dtype="str"),
        "days": [1.5, float("nan"), 3.0],                                # nan stays nan
        "count": [1, 2, 3],                                              # numpy ints come back as int
        "flag": [True, False, True],
        "start_on": [date(2025, 4, 1), None, date(2025, 6, 30)],         # objects as they are
    })
    expected, got = frame.to_dict("records"), records(frame)
    assert len(got) == 3
    for want, have in zip(expected, got):
        assert list(want) == list(have)
        assert all(_same(want[k], have[k]) for k in want), (want, have)
    assert type(got[0]["count"]) is int and got[1]["start_on"] is None


def test_site_rows_give_each_sites_rows_in_any_order():
    """SiteRows (a mart split by site once): whatever order the sites are asked in, each gets
    exactly its own rows, sorted as the page shows them, with to_dict's values; a site without
    rows gets none."""
    import random

    from dashboards.projects.site_rows import SiteRows

    sites = [f"S{i:03d}" for i in range(150)]
    rows = [{"site_id": s, "month": date(2025, m, 1), "workers": i * 10 + m,
             "name": None if (i + m) % 7 == 0 else f"n{i}", "rate": float("nan") if m == 2 else m / 4}
            for i, s in enumerate(sites) if i % 5 != 3 for m in (3, 1, 2)]
    frame = pd.DataFrame(rows).astype({"site_id": "str", "name": "str"})
    by_site = SiteRows(frame, (("month", False),))       # newest month first
    expected = {s: sorted((r for r in frame.to_dict("records") if r["site_id"] == s),
                          key=lambda r: r["month"], reverse=True) for s in sites}
    orders = [sites, sites[::-1], random.Random(7).sample(sites, len(sites)), sites[60:70] + sites[:5]]
    for order in orders:
        for s in order:
            got = by_site.rows(s)
            assert len(got) == len(expected[s]) == (0 if int(s[1:]) % 5 == 3 else 3), s
            for want, have in zip(expected[s], got):
                assert list(want) == list(have) and all(_same(want[k], have[k]) for k in want), (s, want, have)
    assert by_site.rows("S999") == []


def test_site_rows_hashes_change_with_a_sites_own_rows_only():
    """The rows' hashes (a site's part of its page's input digest): a changed value changes its
    site's hashes and no other site's; a column left out of the hashes (the data's as-of date)
    changes nothing; a site without rows has none; the order of the rows counts."""
    from dashboards.projects.site_rows import SiteRows

    def frame(changes=None):
        rows = [{"site_id": s, "month": date(2025, m, 1), "days": 10 * m + i, "as_of_date": date(2025, 3, 31)}
                for i, s in enumerate(("S1", "S2")) for m in (1, 2)]
        for (site, month), values in (changes or {}).items():
            next(r for r in rows if r["site_id"] == site and r["month"].month == month).update(values)
        return pd.DataFrame(rows).astype({"site_id": "str"})

    def hashes(data, order=(("month", True),)):
        by_site = SiteRows(data, order, unhashed=("as_of_date",))
        return {s: by_site.hashes(s) for s in ("S1", "S2", "S3")}

    base = hashes(frame())
    assert len(base["S1"]) == len(base["S2"]) == 2 * 8 and base["S3"] == b"" and base["S1"] != base["S2"]
    changed = hashes(frame({("S2", 2): {"days": 99}}))
    assert changed["S1"] == base["S1"] and changed["S2"] != base["S2"]
    moved_date = hashes(frame({("S1", 1): {"as_of_date": date(2025, 4, 1)}}))
    assert moved_date == base
    newest_first = hashes(frame(), order=(("month", False),))
    assert newest_first["S1"] == base["S1"][8:] + base["S1"][:8]
