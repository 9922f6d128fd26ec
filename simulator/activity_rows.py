"""The columns of the daily feeds (rosters, attendance) as value containers for the renderer."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.codes import INPUT
from simulator.crews import Crews
from simulator.population import World
from simulator.render import Lookup, Stamps
from simulator.stream import from_fixed
from simulator.text import digits, join, strings


def device_table(w: World) -> pa.Array:
    """All device ids: per site CR-…-01, CR-…-02, FR-…; per worker SP-xxxxxxxx; four API vendors."""
    S, W = w.S, w.W
    last6 = pc.utf8_slice_codeunits(S.ids, 8, 14)
    cr1 = join("CR-", last6, "-01")
    cr2 = join("CR-", last6, "-02")
    fr = join("FR-", last6)
    h = (np.arange(W.n, dtype=np.uint64) * np.uint64(2654435761)) % np.uint64(1 << 32)
    hexd = np.frombuffer(b"0123456789abcdef", np.uint8)
    mat = np.empty((W.n, 11), np.uint8)
    mat[:, 0], mat[:, 1], mat[:, 2] = ord("S"), ord("P"), ord("-")
    for i in range(8):
        mat[:, 3 + i] = hexd[((h >> np.uint64(4 * (7 - i))) & np.uint64(15)).astype(np.int64)]
    sp = from_fixed(mat, None, None)
    api = strings(f"API-VENDOR{v}" for v in range(1, 5))
    return pa.concat_arrays([cr1, cr2, fr, sp, api])


def devices(w: World, table: pa.Array, method: np.ndarray, site: np.ndarray, worker: np.ndarray, gen) -> Lookup:
    """The device of each record: the site's card reader (one of two) or face terminal, the
    worker's phone, the API vendor; none for entries by hand."""
    S, W = w.S, w.W
    unit = gen.integers(0, 2, len(method))
    idx = np.select(
        [method == INPUT["card_reader"], method == INPUT["face_recognition"], method == INPUT["smartphone_app"],
         method == INPUT["api"]],
        [unit * S.n + site, 2 * S.n + site, 3 * S.n + worker, 3 * S.n + W.n + site % 4], default=-1)
    return Lookup(idx, table)


def roster_data(w: World, K: Crews, rows: np.ndarray, d: int) -> dict:
    person = K.person[rows]
    return {
        "site_id": Lookup(K.site[rows], w.S.ids),
        "work_date": np.full(len(rows), d, np.int64),
        "business_ref": Lookup(K.contract[rows], w.C.ref),
        "person_ref": Lookup(person, w.Pn.ref),
        "is_ccus_registered": K.registered[rows],
        "role": K.role[rows],
        "occupation_code": Lookup(w.Pn.occ[person].astype(np.int64), w.occ_table),
        "insurance_check": K.check[rows],
        "health_insurance": K.ins[rows, 0],
        "pension_insurance": K.ins[rows, 1],
        "employment_insurance": K.ins[rows, 2],
        "admitted": K.admitted[rows],
    }


def attendance_data(w: World, device_ids: pa.Array, a: dict, gen) -> dict:
    utc = a["method"] == INPUT["api"]       # API deliveries stamp in UTC
    return {
        "record_id": join("WH", digits(a["rid"], 12)),
        "site_id": Lookup(a["site"], w.S.ids),
        "worker_id": Lookup(a["worker"], w.W.ids),
        "employer_business_id": Lookup(w.W.employer[a["worker"]], w.B.ids),
        "work_date": a["day"],
        "entered_at": Stamps(a["entered"], utc),
        "exited_at": Stamps(a["exited"], utc),
        "role": a["role"],
        "occupation_code": Lookup(w.W.occ[a["worker"]].astype(np.int64), w.occ_table),
        "input_method": a["method"],
        "device_id": devices(w, device_ids, a["method"], a["site"], a["worker"], gen),
        "received_at": Stamps(a["recv"], utc),
    }
