"""The scan's three forms: text for people, JSON for programs, SARIF 2.1.0 for code scanning.

None of them holds a secret: each finding is its file, place, kind and masked label.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xsk_nb.scan.findings import EXAMPLE, KINDS, LEAK, REVEALED, STATUS_TITLES
from xsk_nb.scan.scanner import ScanResult

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "xsk-nb scan"
#: SARIF levels: a leak is an error; a revealed output or a published example is a note.
LEVELS = {LEAK: "error", REVEALED: "note", EXAMPLE: "note"}


def summary_line(result: ScanResult) -> str:
    parts = [f"{len(result.leaks)} leak(s)", f"{len(result.revealed)} revealed on purpose",
             f"{len(result.examples)} published example(s)"]
    if result.allowed:
        parts.append(f"{result.allowed} allowed by comment")
    if result.baselined:
        parts.append(f"{result.baselined} accepted by the baseline")
    return f"Scanned {result.files_scanned} file(s): " + ", ".join(parts) + "."


def to_text(result: ScanResult) -> str:
    lines: list[str] = []
    for status in (LEAK, REVEALED, EXAMPLE):
        found = result.by_status(status)
        if found:
            lines.append(f"{STATUS_TITLES[status]}:")
            lines.extend(f"  {finding.summary()}" for finding in found)
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def to_json(result: ScanResult) -> str:
    record = {
        "findings": [finding.to_dict() for finding in result.findings],
        "problems": result.problems,
        "summary": {"files": result.files_scanned, "leaks": len(result.leaks),
                    "revealed": len(result.revealed), "examples": len(result.examples),
                    "allowed": result.allowed, "baselined": result.baselined},
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def to_sarif(result: ScanResult, version: str) -> dict[str, Any]:
    """The SARIF 2.1.0 log (one run); tests validate it against OASIS's schema."""
    rules = [{"id": kind, "name": kind.replace("-", " ").title().replace(" ", ""),
              "shortDescription": {"text": text}} for kind, text in KINDS.items()]
    index = {kind: number for number, kind in enumerate(KINDS)}
    results = []
    for finding in result.findings:
        message = f"{finding.where}: {finding.summary().split(': ', 2)[-1]}"
        if finding.status == REVEALED:
            message += " (revealed on purpose)"
        results.append({
            "ruleId": finding.kind,
            "ruleIndex": index[finding.kind],
            "level": LEVELS[finding.status],
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": Path(finding.file).as_posix()},
                "region": {"startLine": max(1, finding.line)},
            }}],
            "partialFingerprints": {"xskNbSecretSha256/v1": finding.fingerprint},
            "properties": {"status": finding.status, "where": finding.where},
        })
    notifications = [{"level": "warning", "message": {"text": problem}}
                     for problem in result.problems]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": TOOL_NAME, "version": version, "rules": rules}},
        "results": results,
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": notifications}],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
