"""Write small inbox files by hand in tests: CSV text in any encoding, or JSON Lines."""
import json
from pathlib import Path


def write_csv(inbox: Path, feed: str, name: str, header: list[str], rows: list[list[str]],
              encoding: str = "utf-8", newline: str = "\n", bom: bool = False) -> Path:
    path = inbox / feed / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = newline.join(",".join(r) for r in [header, *rows]) + newline
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_jsonl(inbox: Path, feed: str, name: str, rows: list[dict]) -> Path:
    path = inbox / feed / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
