"""The map's browser module is committed built (the app must start without npm); its first line names the
digest of the sources it was built from (frontend/map/build.mjs), so a forgotten rebuild fails here."""

from __future__ import annotations

import hashlib

from sozialdash.config import PROJECT_ROOT
from sozialdash.ui.area_map import BUNDLE

SOURCES = PROJECT_ROOT / "frontend" / "map"


def test_the_committed_bundle_is_built_from_the_committed_sources():
    digest = hashlib.sha256()
    for name in ("src/map.js", "package-lock.json"):
        digest.update((SOURCES / name).read_bytes())
    first_line = BUNDLE.read_text("utf-8").split("\n", 1)[0]
    assert first_line == f"// sozialdash-map sources {digest.hexdigest()}", \
        "static/sozialdash-map.js is stale: run `cd frontend/map && npm ci && npm run build`"
