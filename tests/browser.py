"""Headless Chromium for the dashboard tests: screenshots, the DOM after JavaScript, console errors.

Uses Debian's /usr/bin/chromium (``apt-get install -y chromium fonts-noto-cjk``, which
``make test`` does). No Python packages beyond the standard library: Chromium's own
``--screenshot`` and ``--dump-dom`` switches, with ``--enable-logging=stderr`` so that console
messages can be read from its log.

What the log gives: every console message (log, warn and error alike, all logged at INFO
level) and uncaught exceptions ("Uncaught …"). It does not report failed resource loads; the
dashboard pages report those themselves on the console from a capture-phase ``error`` listener
("CCUS page: failed to load …"). Every host name resolves to nothing
(``--host-resolver-rules``), so anything a page would fetch from the web fails and shows up.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 60

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
    # The pages must need nothing from the network: make every host name unresolvable.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",
    "--enable-logging=stderr", "--v=0",
]

# [pid:tid:MMDD/HHMMSS.uuuuuu:INFO:CONSOLE:line] "message", source: url (line)
# (older builds write CONSOLE(line)] instead of CONSOLE:line])
_CONSOLE = re.compile(r":[A-Z0-9]+:CONSOLE[(:]\d*\)?\]\s*\"(?P<msg>.*)\", source: (?P<src>\S*)")
_ERROR = re.compile(r"Uncaught|failed to load|Failed to load|net::ERR_|Error", re.I)


@dataclass
class BrowserRun:
    stdout: str
    stderr: str
    console: list[str] = field(default_factory=list)   # every console message
    errors: list[str] = field(default_factory=list)    # those that report a failure


def chromium_path() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise RuntimeError(
            f"{CHROMIUM} not found: the dashboard browser tests need Debian's chromium and "
            "fonts-noto-cjk. Run `make test`, which installs them "
            "(or `apt-get install -y chromium fonts-noto-cjk`).")
    return CHROMIUM


def _url(page: str | Path) -> str:
    text = str(page)
    if "://" in text:
        return text
    path, _, fragment = text.partition("#")
    return Path(path).resolve().as_uri() + (f"#{fragment}" if fragment else "")


def _run(args: list[str], page: str | Path) -> BrowserRun:
    profile = tempfile.mkdtemp(prefix="ccus-chromium-")
    try:
        proc = subprocess.run(
            [chromium_path(), *_FLAGS, f"--user-data-dir={profile}", *args, _url(page)],
            capture_output=True, text=True, timeout=TIMEOUT_S, env={**os.environ, "LANG": "ja_JP.UTF-8"})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    run = BrowserRun(stdout=proc.stdout, stderr=proc.stderr)
    for line in proc.stderr.splitlines():
        console = _CONSOLE.search(line)
        if console:
            message = f"{console.group('msg')} ({console.group('src')})"
            run.console.append(message)
            if _ERROR.search(message):
                run.errors.append(message)
    if proc.returncode != 0:
        raise RuntimeError(f"chromium exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    return run


def screenshot(page: str | Path, png: str | Path, *, width: int = 1280, height: int = 2600,
               budget_ms: int = 5000) -> BrowserRun:
    """Render ``page`` (a path, optionally with a #fragment, or a URL) into the PNG ``png``."""
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    run = _run([f"--screenshot={png.resolve()}", f"--window-size={width},{height}",
                f"--virtual-time-budget={budget_ms}"], page)
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot to {png}:\n{run.stderr[-3000:]}")
    return run


def dump_dom(page: str | Path, *, budget_ms: int = 5000, width: int = 1280, height: int = 2600) -> BrowserRun:
    """The DOM after JavaScript ran (``run.stdout``), with console messages and errors."""
    return _run(["--dump-dom", f"--virtual-time-budget={budget_ms}", f"--window-size={width},{height}"], page)
