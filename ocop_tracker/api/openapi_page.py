"""The OpenAPI document laid out for its page: operations grouped by tag, schemas as tables of fields."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

METHODS = ("get", "post", "put", "delete")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Kind:
    """A field's type as the page shows it: JSON type words, a link to a named schema, null allowed or not."""

    text: str = ""
    ref: str | None = None
    nullable: bool = False
    values: tuple = ()
    array: bool = False


@dataclass(frozen=True)
class Row:
    name: str
    kind: Kind
    required: bool
    description: object = None


@dataclass(frozen=True)
class Response:
    status: str
    description: object
    kind: Kind | None
    media_types: tuple[str, ...]


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: object
    description: object
    public: bool
    parameters: list[Row] = field(default_factory=list)
    body: tuple[str, str | None, list[Row]] | None = None  # media type, schema name, its fields
    responses: list[Response] = field(default_factory=list)


def ref_name(schema: dict) -> str | None:
    reference = schema.get("$ref", "")
    return reference.removeprefix(REF_PREFIX) if reference.startswith(REF_PREFIX) else None


def kind_of(schema: dict) -> Kind:
    """How a schema reads in one cell: "string (date)", "array[Document]", "integer | null"."""
    if ref_name(schema):
        return Kind(ref=ref_name(schema))
    if "anyOf" in schema:
        others = [variant for variant in schema["anyOf"] if variant.get("type") != "null"]
        inner = kind_of(others[0]) if others else Kind(text="null")
        return replace(inner, nullable=len(others) < len(schema["anyOf"]))
    types = schema.get("type", "object")
    types = [types] if isinstance(types, str) else list(types)
    words = [name for name in types if name != "null"]
    if words == ["array"]:
        return replace(kind_of(schema.get("items", {})), array=True, nullable="null" in types)
    text = " | ".join(words) + (f" ({schema['format']})" if "format" in schema else "")
    return Kind(text, None, "null" in types, tuple(value for value in schema.get("enum", ()) if value is not None))


def schema_rows(schema: dict, components: dict, prefix: str = "") -> list[Row]:
    """The fields of an object schema; inline objects are opened into `parent.child` rows."""
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append(Row(prefix + name, kind_of(prop), name in required, prop.get("description")))
        inline = next((s for s in [prop, *prop.get("anyOf", ())] if "properties" in s), None)
        if inline is not None:
            rows.extend(schema_rows(inline, components, f"{prefix}{name}."))
    return rows


def _body(operation: dict, components: dict) -> tuple[str, str | None, list[Row]] | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, media in content.items():
        name = ref_name(media["schema"])
        return media_type, name, schema_rows(components[name] if name else media["schema"], components)
    return None


def _responses(operation: dict) -> list[Response]:
    answers = []
    for status, response in operation["responses"].items():
        content = response.get("content", {})
        schemas = [media["schema"] for media in content.values()]
        kind = kind_of(schemas[0]) if len(content) == 1 else None
        answers.append(Response(status, response["description"], kind, tuple(content) if len(content) > 1 else ()))
    return answers


def operations_by_tag(spec: dict) -> list[tuple[object, list[Operation]]]:
    """(tag, its operations) in the document's order of tags and paths."""
    components = spec["components"]["schemas"]
    groups: dict[str, tuple[object, list[Operation]]] = {str(tag["name"]): (tag["name"], []) for tag in spec["tags"]}
    for path, item in spec["paths"].items():
        for method in (m for m in METHODS if m in item):
            operation = item[method]
            parameters = [Row(p["name"], kind_of(p["schema"]), p["required"], p.get("description"))
                          for p in operation.get("parameters", ())]
            groups[str(operation["tags"][0])][1].append(Operation(
                method.upper(), path, operation["operationId"], operation["summary"], operation.get("description"),
                operation.get("security") == [], parameters, _body(operation, components), _responses(operation)))
    return [group for group in groups.values() if group[1]]
