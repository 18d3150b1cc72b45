"""The JSON Schema of the content files, for editors' YAML tooling.

Written to ``output/data/schema.json`` on every build; YAML editors that
speak ``yaml-language-server`` pick it up from the comment at the top of each
content file.  Resolved fields (set by the build) are not in it.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from site_gen.records.changes import ChangeEntry
from site_gen.records.content import City, Document, SiteSettings

FILE_RECORDS = {"DocumentFile": Document, "CityFile": City, "SiteFile": SiteSettings, "ChangeFile": ChangeEntry}
"""Each kind of content file, by the name its schema has in ``$defs``."""


def content_json_schema() -> dict[str, Any]:
    """JSON Schema for the three kinds of content file.

    The root accepts any of them; ``$defs`` holds ``DocumentFile``,
    ``CityFile`` and ``SiteFile`` (and the records inside them) for mapping a
    schema to a file pattern.
    """
    _, schema = models_json_schema(
        [(model, "validation") for model in FILE_RECORDS.values()],  # type: ignore[misc]  # a Record is a BaseModel
        title="辽宁城市科技创新政策对照 content schema",
    )
    definitions = schema["$defs"]
    for definition in definitions.values():
        _drop_resolved(definition)
    for name, model in FILE_RECORDS.items():
        definitions[name] = definitions.pop(model.__name__)
        definitions[name]["title"] = name
    text_refs = {f"#/$defs/{model.__name__}": f"#/$defs/{name}" for name, model in FILE_RECORDS.items()}
    _rename_refs(schema, text_refs)
    _prune_unreferenced(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["anyOf"] = [{"$ref": f"#/$defs/{name}"} for name in FILE_RECORDS]
    return schema


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and value in renames:
                node[key] = renames[value]
            else:
                _rename_refs(value, renames)
    elif isinstance(node, list):
        for item in node:
            _rename_refs(item, renames)


def _drop_resolved(definition: dict[str, Any]) -> None:
    """Leave out fields the build sets, and our open-data column names."""
    properties = definition.get("properties", {})
    for name in [n for n, p in properties.items() if p.get("resolved")]:
        del properties[name]
    for prop in properties.values():
        prop.pop("column", None)


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(v) for k, v in node.items() if k != "$defs"))
    if isinstance(node, list):
        return set().union(*(_references(v) for v in node))
    return set()


def _prune_unreferenced(schema: dict[str, Any]) -> None:
    """Drop definitions only resolved fields used (the archived text's own types)."""
    definitions = schema["$defs"]
    keep = set(FILE_RECORDS)
    frontier = list(keep)
    while frontier:
        for ref in _references(definitions[frontier.pop()]):
            name = ref.removeprefix("#/$defs/")
            if name in definitions and name not in keep:
                keep.add(name)
                frontier.append(name)
    for name in set(definitions) - keep:
        del definitions[name]
