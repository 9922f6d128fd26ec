"""Processes known by pid *and* kernel start time (/proc, Linux), so that a pid the kernel has
since given to another program is never signalled: what ccus/spark_cluster.py starts and stops,
and what the benchmark measures."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

# The processes this Python process started, kept so that they are reaped (not left as zombies).
_SPAWNED: dict[int, subprocess.Popen] = {}


def spawn(args: list[str], log: Path, env: dict[str, str], cwd: Path) -> tuple[int, int]:
    """Start a long-running process in a session of its own (a Ctrl-C in the operator's shell
    does not reach it), output appended to `log`; its (pid, start ticks)."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
    _SPAWNED[proc.pid] = proc
    return proc.pid, start_ticks(proc.pid)


def stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start ticks) of a process, None when there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[19])


def start_ticks(pid: int) -> int:
    found = stat(pid)
    if found is None:
        raise ProcessLookupError(f"process {pid} exited at once")
    return found[2]


def is_running(pid: int, ticks: int) -> bool:
    """The same process (pid and start time) is still there; a zombie we spawned is reaped."""
    found = stat(pid)
    if found is None or found[2] != ticks:
        return False
    if found[0] == "Z":
        spawned = _SPAWNED.pop(pid, None)
        if spawned is not None:
            spawned.poll()
        return False
    return True


def children_of() -> dict[int, list[int]]:
    """parent pid -> its children's pids, for every process of the machine."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = stat(int(entry))
            if found is not None:
                tree.setdefault(found[1], []).append(int(entry))
    return tree


def descendants(pids: list[int]) -> list[tuple[int, int]]:
    """(pid, start ticks) of every living descendant of `pids`."""
    tree, found, stack = children_of(), [], list(pids)
    while stack:
        for child in tree.get(stack.pop(), []):
            child_stat = stat(child)
            if child_stat is not None:
                found.append((child, child_stat[2]))
                stack.append(child)
    return found


def signal_all(targets: list[tuple[int, int]], sig: int) -> None:
    for pid, ticks in targets:
        if is_running(pid, ticks):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass


def wait_gone(targets: list[tuple[int, int]], seconds: float) -> list[tuple[int, int]]:
    """Wait up to `seconds` for the targets to end; those still running."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [t for t in targets if is_running(*t)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def terminate(targets: list[tuple[int, int]], seconds: float) -> None:
    """SIGTERM, then SIGKILL for what is still running after `seconds`."""
    signal_all(targets, signal.SIGTERM)
    left = wait_gone(targets, seconds)
    signal_all(left, signal.SIGKILL)
    wait_gone(left, 10)


def listening_addresses(pids: list[int]) -> dict[int, list[str]]:
    """pid -> the local addresses ('ip:port') of its listening TCP sockets (/proc/net/tcp{,6})."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue
    found: dict[int, list[str]] = {pid: [] for pid in pids}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:      # 0A: LISTEN
                    found[inodes[cols[9]]].append(_address(cols[1]))
    return found


def _address(hex_address: str) -> str:
    """'0100007F:1F90' or the 32-digit IPv6 form as '127.0.0.1:8080' (IPv4-mapped shown as IPv4)."""
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))   # 32-bit words, little-endian
    if len(packed) == 16 and packed[:12] == b"\0" * 10 + b"\xff\xff":
        packed = packed[12:]
    ip = socket.inet_ntop(socket.AF_INET if len(packed) == 4 else socket.AF_INET6, packed)
    return f"{ip}:{int(port, 16)}"
