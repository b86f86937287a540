"""Where things live. Environment variables win so that tests, benchmarks and deployments can point elsewhere."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "sozialdash.duckdb"


def db_path() -> Path:
    """The analytics store the app reads; ``SOZIALDASH_DB`` overrides the default."""
    return Path(os.environ.get("SOZIALDASH_DB", DEFAULT_DB_PATH)).resolve()
