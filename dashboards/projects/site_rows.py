"""A site-level mart split by site once, for tens of thousands of project pages.

Selecting one site's rows from a DataFrame costs pandas hundreds of microseconds per operation
(a boolean mask, a groupby part, ``sort_values``, ``to_dict``), several per section: at national
scale (about 81 000 sites) that alone took most of the publish time. Here the mart is sorted
once by site (and by the order the page shows the rows in), kept as one NumPy array per column,
and a site's rows are a slice of each array turned into plain dicts — the same Python values
``DataFrame.to_dict("records")`` gives (int, float, bool, str, date, nan for a missing string).
String columns are kept as codes into their distinct values (see _Codes).

Each row also has a 64-bit hash of its values (pandas' hash_pandas_object, one vectorised pass
per mart): a site's rows are then digested by their hashes, not by formatting every value
(dashboards/projects/unchanged.py: whether a page or a location needs building again).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


class SiteRows:
    """The rows of one mart per ``site_id``, in ``order`` (columns, each ascending or not)."""

    def __init__(self, frame: pd.DataFrame, order: tuple[tuple[str, bool], ...] = (), unhashed: tuple[str, ...] = ()):
        """``unhashed``: columns left out of the rows' hashes (a date every row carries that
        moves every day, while the page shows the site's own)."""
        by = ["site_id", *(column for column, _ in order if column in frame.columns)]
        ascending = [True, *(up for column, up in order if column in frame.columns)]
        # stable: rows equal in every ordering column keep the mart's order, as a groupby part does
        frame = frame.sort_values(by, ascending=ascending, kind="stable", na_position="last")
        self.columns: tuple[str, ...] = tuple(frame.columns)
        self._arrays = [_Codes.of(frame[column]) if isinstance(frame[column].dtype, pd.StringDtype)
                        else frame[column].to_numpy() for column in self.columns]
        self._hashes = pd.util.hash_pandas_object(
            frame.drop(columns=[c for c in unhashed if c in frame.columns]), index=False).to_numpy()
        site_ids = frame["site_id"].to_numpy()
        starts = np.flatnonzero(site_ids[1:] != site_ids[:-1]) + 1
        # site i's rows are bounds[i]:bounds[i + 1]; ids interned: the same string in every mart
        self._bounds = np.concatenate(([0], starts, [len(site_ids)])) if len(site_ids) else np.zeros(1, dtype=int)
        self._index = {sys.intern(site_id): i for i, site_id in enumerate(site_ids[self._bounds[:-1]].tolist())}

    def __contains__(self, site_id: str) -> bool:
        return site_id in self._index

    def rows(self, site_id: str) -> list[dict]:
        """The site's rows as dicts (an empty list when the mart has none for it)."""
        i = self._index.get(site_id)
        if i is None:
            return []
        a, b = self._bounds[i:i + 2].tolist()
        columns = self.columns
        return [dict(zip(columns, values)) for values in zip(*(array[a:b].tolist() for array in self._arrays))]

    def hashes(self, site_id: str) -> bytes:
        """The hashes of the site's rows, in row order, as bytes (empty when it has none)."""
        i = self._index.get(site_id)
        if i is None:
            return b""
        a, b = self._bounds[i:i + 2].tolist()
        return self._hashes[a:b].tobytes()


class _Codes:
    """A string column as codes into its distinct values: ``to_numpy()`` would make one Python
    string per row (site attributes repeat on every month of every site: ~250 MB at national
    scale); the values come back the same, a missing one as the column's own missing value."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self._codes, self._values = codes, values

    @classmethod
    def of(cls, column: pd.Series) -> "_Codes":
        codes, uniques = pd.factorize(column)      # a missing value: code -1, the last of values
        values = np.empty(len(uniques) + 1, dtype=object)
        values[:-1] = [sys.intern(value) for value in uniques.to_numpy(dtype=object)]
        values[-1] = column.dtype.na_value
        return cls(codes.astype(np.int32), values)

    def __getitem__(self, rows: slice) -> np.ndarray:
        return self._values[self._codes[rows]]
