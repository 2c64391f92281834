"""Generates the command reference of docs/api.md from the intent registry.

``flask docs api`` rewrites the generated part of docs/api.md; a test checks it is up to date,
so the documentation cannot drift from the code.
"""
from __future__ import annotations

import json
from pathlib import Path

from .commands import COMMON_ERRORS, REGISTRY

BEGIN = "<!-- BEGIN GENERATED: commands (flask docs api) -->"
END = "<!-- END GENERATED: commands -->"


def _type_of(schema: dict, defs: dict) -> str:
    if "$ref" in schema:
        return _type_of(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        return " or ".join(_type_of(s, defs) for s in schema["anyOf"])
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(schema.get('items', {}), defs)}"
    if schema.get("format") == "time":
        return "time `HH:MM`"
    if schema.get("format") == "date":
        return "date `YYYY-MM-DD`"
    return {"integer": "integer", "string": "string", "boolean": "boolean", "null": "null", "number": "number"}.get(kind, kind)


def _constraints(schema: dict) -> str:
    parts = []
    for key, label in (("minimum", "≥"), ("maximum", "≤")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    for key, label in (("minLength", "min. length"), ("maxLength", "max. length"), ("minItems", "min. items")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    for option in schema.get("anyOf", []):
        extra = _constraints(option)
        if extra:
            parts.append(extra)
    return ", ".join(parts)


def payload_rows(model) -> list[str]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        default = "" if name in required else f"optional (default `{json.dumps(prop.get('default'))}`)"
        description = prop.get("description", "")
        rows.append(f"| `{name}` | {_type_of(prop, defs)} | {'required' if name in required else default} | "
                    f"{_constraints(prop)} {description}".rstrip() + " |")
    return rows


def render_commands() -> str:
    lines = [BEGIN, "", f"Common error codes of every command: {', '.join(f'`{c}`' for c in COMMON_ERRORS)}.", ""]
    for name in sorted(REGISTRY):
        cmd = REGISTRY[name]
        lines += [f"### `{name}`", "", cmd.summary, "",
                  f"- Roles: {', '.join(f'`{r}`' for r in sorted(cmd.roles))}",
                  f"- Errors: {', '.join(f'`{e}`' for e in cmd.errors) if cmd.errors else 'only the common ones'}"]
        rows = payload_rows(cmd.payload)
        if rows:
            lines += ["", "| field | type | | constraints |", "| --- | --- | --- | --- |", *rows]
        else:
            lines += ["- Payload: `{}` (nothing)"]
        example = {k: v for k, v in cmd.example.items()}
        if example:
            lines += ["", f"Example: `{json.dumps(example, ensure_ascii=False)}`"]
        lines.append("")
    lines += ["## REST endpoints", "", "All under `/api/v1`; machine-readable in `/api/v1/openapi.json`.", "",
              "| method | path | what | command |", "| --- | --- | --- | --- |"]
    from . import api

    for ep in api.ENDPOINTS:
        lines.append(f"| {ep.method} | `/api/v1{ep.rule}` | {ep.summary} | {f'`{ep.command}`' if ep.command else ''} |")
    lines += ["", END]
    return "\n".join(lines)


def update_file(path: Path) -> bool:
    """Replace the generated part of ``path``; returns whether it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + render_commands() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def generated_part(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index(BEGIN): text.index(END) + len(END)]
