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
