"""JSON: the complete document as it is (``Document.to_dict``), for archiving and re-import.
Validates against ``docs/export-schema.json``; ids are the database ids, stable across exports."""
from __future__ import annotations

import json
from pathlib import Path

from .model import Document

SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "export-schema.json"


def render_json(document: Document) -> bytes:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
