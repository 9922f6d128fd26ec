"""File writers in forked children (copy-on-write views of the generated arrays), at most
`max_children` at a time beside the generating parent; results come back through a pipe.
With 0 children every call runs in the parent. The bytes are the same either way."""
from __future__ import annotations

import os
import pickle
import traceback


class ForkPool:
    def __init__(self, max_children: int = 0):
        self.max = max_children if hasattr(os, "fork") else 0
        self.running: list[tuple[int, int]] = []     # (pid, read fd)
        self.results: list = []

    def submit(self, fn, *args) -> None:
        if self.max <= 0:
            self.results.append(fn(*args))
            return
        while len(self.running) >= self.max:
            self._reap_one()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # child
            os.close(r)
            code = 0
            try:
                payload = pickle.dumps(("ok", fn(*args)))
            except BaseException as e:                 # noqa: BLE001 - reported to the parent
                payload = pickle.dumps(("error", f"{e!r}\n{traceback.format_exc()}"))
                code = 1
            with os.fdopen(w, "wb") as f:
                f.write(payload)
            os._exit(code)
        os.close(w)
        self.running.append((pid, r))

    def _reap_one(self) -> None:
        pid, r = self.running.pop(0)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        status, value = pickle.loads(data) if data else ("error", "writer process died")
        if status != "ok":
            raise RuntimeError(f"simulator writer failed: {value}")
        self.results.append(value)

    def join(self) -> list:
        while self.running:
            self._reap_one()
        out, self.results = self.results, []
        return out
