"""Read a PNG's pixels with the standard library and numpy (no imaging package is installed):
enough to check that an exported chart is a real image with the chart's colours in it."""

from __future__ import annotations

import struct
import zlib

import numpy as np

_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}   # colour type -> channels (8-bit, non-palette PNGs)


def read(data: bytes) -> np.ndarray:
    """Pixels as an array (height, width, channels); ValueError for anything but a valid PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in chunk {kind!r}")
        chunks.append((kind, body))
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    bpp = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError("image data does not match the header")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 0:
            current = line
        elif kind == 2:
            current = (line + previous) % 256
        elif kind in (1, 3, 4):
            current = np.zeros(stride, dtype=np.int32)
            for x in range(stride):   # sequential along the row: each byte depends on its left neighbour
                left = current[x - bpp] if x >= bpp else 0
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + previous[x]) // 2
                else:
                    up, corner = previous[x], previous[x - bpp] if x >= bpp else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                current[x] = (line[x] + predictor) % 256
        else:
            raise ValueError(f"bad filter type {kind}")
        out[y] = current
        previous = current
    return out.reshape(height, width, bpp).astype(np.uint8)


def count_colour(pixels: np.ndarray, hex_colour: str) -> int:
    """Pixels of exactly this #RRGGBB colour."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return int(np.all(pixels[:, :, :3] == rgb, axis=2).sum())
