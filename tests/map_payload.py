"""A reader of the map's shapes bytes (``sozialdash.views.maps.shape_payload``), written apart from the browser
module that reads them in the app, so the tests check the layout rather than reuse it."""

from __future__ import annotations

import json
import struct

import numpy as np


def decode_shapes(payload: bytes) -> dict:
    """A shapes element's bytes (``views.maps.shape_payload``): its header, and each polygon part as
    (area index, rings as arrays of x/y)."""
    (length,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4:4 + length].decode("utf-8"))
    start = 4 + length + (-(4 + length) % 4)
    vertices, rings, parts = header["vertices"], header["rings"], header["parts"]
    xy = np.frombuffer(payload, "<f4", vertices * 2, start).reshape(-1, 2)
    start += vertices * 8
    ring_start = np.frombuffer(payload, "<u4", rings + 1, start)
    part_start = np.frombuffer(payload, "<u4", parts + 1, start + (rings + 1) * 4)
    part_area = np.frombuffer(payload, "<u4", parts, start + (rings + 1 + parts + 1) * 4)
    assert start + (rings + 1 + parts + 1 + parts) * 4 == len(payload)
    header["parts_rings"] = [
        (int(part_area[p]), [xy[ring_start[r]:ring_start[r + 1]] for r in range(part_start[p], part_start[p + 1])])
        for p in range(parts)]
    return header
