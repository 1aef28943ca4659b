"""The OpenAPI schema: every operation documents its problem responses (RFC 9457), and
the docs page (/api/) reads the same schema to list the endpoints (ADR 0500)."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator

from .problems import COMMON, CONTENT_TYPE, TITLES

PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the ``Problem`` component and, on every
    operation, the error statuses it may answer (400 where it takes input; 409, 415 where
    it acts; 503 where it reads private files or acts)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = list(COMMON)
            if method == "post" or operation.get("parameters"):
                codes.append(400)
            if method == "post":
                codes += [409, 415, 503]
            if "/files/" in path:
                codes.append(503)
            responses = operation.setdefault("responses", {})
            for code in sorted(set(codes)):
                responses.setdefault(
                    str(code),
                    {"description": TITLES[code][2], "content": {CONTENT_TYPE: {"schema": ref}}},
                )
    return result


@cache
def endpoints() -> list[dict]:
    """(method, path, summary, scope, parameters) of every operation, for the docs page."""
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    rows = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
                    ],
                    "body": _body_fields(schema, operation),
                }
            )
    return rows


def _body_fields(schema, operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    ref = content["schema"].get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return list(component.get("properties", {}))


def only_v1(endpoints):
    """drf-spectacular preprocessing hook: the schema describes /api/v1/ only."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
