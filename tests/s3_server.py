"""A real S3-protocol server on 127.0.0.1 for tests: moto's standalone server, as s3fs's own
suite does. Started and stopped by the tests themselves."""
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def s3_server(port: int | None = None):
    """Yields the endpoint URL; the server is stopped on exit."""
    port = port or free_port()
    server = start(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def start(port: int) -> subprocess.Popen:
    moto = str(Path(sys.executable).parent / "moto_server")
    server = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"moto_server did not start on port {port}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def s3_env(endpoint: str) -> dict:
    return {**os.environ, **CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "AWS_MAX_ATTEMPTS": "3"}
