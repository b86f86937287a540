"""A stand-in for ``ingest.tables`` (being written alongside): a CSV or XLSX sheet as text, one row per record.

Only what the catalogue and institution readers need until they switch to ``ingest.tables``: every cell stays
text (leading zeros, "1.234,5" and "X" are the readers' business), the separator is ``;`` or ``,`` as the
header says, and the encoding is UTF-8 (with or without BOM) unless the mapping names one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sozialdash.ingest.report import Report


def read_rows(path: Path, options: dict, report: Report, file: str) -> pd.DataFrame | None:
    """The file's rows as text with the header's column names, or None after an error in ``report``."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=options.get("sheet", 0), dtype=str, header=0)
        else:
            encoding = options.get("encoding", "utf-8-sig")
            with path.open(encoding=encoding) as handle:
                header = handle.readline()
            separator = options.get("separator") or (";" if header.count(";") > header.count(",") else ",")
            frame = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, encoding=encoding)
    except FileNotFoundError:
        report.error(file, "Datei nicht gefunden", fix="Pfad in der Zuordnungsdatei prüfen (relativ zu ihr).")
        return None
    except UnicodeDecodeError:
        report.error(file, "Die Datei ist nicht UTF-8-kodiert",
                     fix="In der Zuordnung die Kodierung angeben, z. B. encoding: cp1252.")
        return None
    except (ValueError, pd.errors.ParserError) as problem:
        report.error(file, f"Die Datei lässt sich nicht als Tabelle lesen: {problem}")
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("").map(str.strip)
