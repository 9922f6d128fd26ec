"""Duplicate file keys across the chunks of one file: validate() finds a key repeated inside a
chunk; this finds an accepted row whose key an earlier chunk of the same file already accepted,
and quarantines it as duplicate_in_file, exactly as if the file had been one chunk.

The keys seen so far stay in Arrow tables and each chunk is matched against them with a hash
semi-join, instead of a Python set of tuples filled row by row. Key columns are never null in
accepted rows (every file_key column is required, so an empty one is missing_value), so the join's
null semantics never differ from tuple equality.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ccus.feeds.contract import Feed
from ccus.feeds.validate import Validated

ROW = "__row"


class EarlierKeys:
    """The accepted keys of the chunks of one file seen so far."""

    def __init__(self, feed: Feed):
        self.key = list(feed.file_key)
        self.seen: pa.Table | None = None

    def quarantine_repeats(self, checked: Validated, positions: dict[str, int]) -> Validated:
        """This chunk without the rows whose key an earlier chunk accepted (they move to the
        quarantine, in line order); remembers this chunk's accepted keys."""
        if not self.key or checked.accepted.num_rows == 0:
            return checked
        keys = checked.accepted.select(self.key)
        repeated = np.zeros(keys.num_rows, dtype=bool)
        if self.seen is not None:
            numbered = keys.append_column(ROW, pa.array(np.arange(keys.num_rows)))
            hits = numbered.join(self.seen, self.key, join_type="left semi").column(ROW)
            repeated[hits.to_numpy()] = True
        fresh = keys.filter(pa.array(~repeated))
        self.seen = fresh if self.seen is None else pa.concat_tables([self.seen, fresh])
        if not repeated.any():
            return checked
        return Validated(checked.accepted.filter(pa.array(~repeated)),
                         _with_duplicates(checked.quarantined, checked.accepted, repeated, self.key, positions))


def _with_duplicates(quarantined: pa.Table, accepted: pa.Table, repeated: np.ndarray, key: list[str],
                     positions: dict[str, int]) -> pa.Table:
    """The chunk's quarantine plus one duplicate_in_file row per repeated row, by line."""
    n = int(repeated.sum())
    name = ", ".join(key)
    duplicates = pa.table({
        "_source_line": accepted.column("_source_line").filter(pa.array(repeated)),
        "column_name": pa.array([name] * n, pa.string()),
        # as validate() reports it: the column's position when the key is one column (CSV)
        "column_position": pa.array([positions.get(name)] * n, pa.int32()),
        "reason": pa.array(["duplicate_in_file"] * n, pa.string()),
    })
    return pa.concat_tables([quarantined.cast(duplicates.schema), duplicates]).sort_by("_source_line")
