"""An import report for reading on screen: errors first, then warnings, then notes, each by file, and the same
message repeated over many rows shown once with its count and first few places. An import with 10,000 unjoined
rows must not draw 10,000 lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sozialdash.ingest.report import ERROR, NOTE, WARNING, Finding

LEVELS = (ERROR, WARNING, NOTE)
PLURAL = {ERROR: "Fehler", WARNING: "Warnungen", NOTE: "Hinweise"}
FIRST = 5      # places shown per message
MOST = 25      # messages shown per file


@dataclass(frozen=True)
class Message:
    text: str
    count: int
    first: list[Finding]    # the first FIRST findings with this message


@dataclass(frozen=True)
class FileFindings:
    file: str
    count: int
    messages: list[Message]  # at most MOST, the most frequent first
    hidden: int              # messages not shown


def by_file(findings: list[Finding], level: str, first: int = FIRST, most: int = MOST) -> list[FileFindings]:
    """The findings of ``level`` by file (the file with most findings first), repeated messages folded."""
    chosen = [f for f in findings if f.level == level]
    files = Counter(f.file for f in chosen)
    result = []
    for file, count in files.most_common():
        here = [f for f in chosen if f.file == file]
        texts = Counter(f.message for f in here)
        messages = [Message(text, n, [f for f in here if f.message == text][:first])
                    for text, n in texts.most_common(most)]
        result.append(FileFindings(file, count, messages, max(0, len(texts) - most)))
    return result


def place(finding: Finding, fix: bool = True) -> list[tuple[str, str]]:
    """Where a finding is and (when ``fix``) how to fix it, as (label, text) pairs; only what the finding has."""
    parts = [("Zeile", str(finding.row)) if finding.row is not None else None,
             ("Spalte", finding.column) if finding.column else None,
             ("Wert", repr(finding.value)) if finding.value is not None else None,
             ("Lösung", finding.fix) if finding.fix and fix else None]
    return [part for part in parts if part]


def shared_fix(message: Message) -> str | None:
    """The fix every shown finding of a message has, said once instead of on every row."""
    fixes = {finding.fix for finding in message.first}
    return fixes.pop() if len(fixes) == 1 and message.count > 1 else None


def counts(findings: list[Finding]) -> dict[str, int]:
    found = Counter(f.level for f in findings)
    return {level: found.get(level, 0) for level in LEVELS}
