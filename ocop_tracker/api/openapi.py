"""The OpenAPI 3.1 document of the API (GET /api/v1/openapi.json) and its page for people (GET /api/docs)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from .openapi_page import operations_by_tag, schema_rows
from .openapi_paths import PATHS, TAGS
from .openapi_schemas import REQUESTS, SCHEMAS
from .views import bp

docs_bp = Blueprint("api_docs", __name__)

INFO = {
    "title": "OCOP Tracker API",
    "version": "1.0.0",
    "description": _l("API JSON của OCOP Tracker: hồ sơ OCOP từ nháp đến chứng nhận, và tra cứu công khai. "
                      "Gửi và nhận JSON UTF-8; ngày viết YYYY-MM-DD, thời điểm theo ISO 8601 có múi giờ. "
                      "Mọi lỗi có dạng {\"error\": {\"code\", \"message\", \"details\"}}."),
}


def document() -> dict:
    """The whole OpenAPI document as Python data; texts stay lazy until rendered in a language."""
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "tags": [{"name": name} for name in TAGS.values()],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": _l("Token lấy từ POST /api/v1/auth/token.")}},
            "schemas": {**SCHEMAS, **REQUESTS},
        },
    }


def rendered(value):
    """The same data with every lazy text turned into a string in the current language."""
    if isinstance(value, dict):
        return {key: rendered(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [rendered(item) for item in value]
    return str(value) if isinstance(value, LazyString) else value


@bp.get("/openapi.json")
def openapi_document():
    """Always in English, the API's own language (its error messages are English too)."""
    with force_locale("en"):
        return rendered(document())


@docs_bp.get("/api/docs")
def page():
    """The document for people, in the reader's language; public like the document itself."""
    spec = document()
    components = spec["components"]["schemas"]
    return render_template("api/docs.html", info=INFO, groups=operations_by_tag(spec),
                           schemas={name: schema_rows(schema, components) for name, schema in components.items()},
                           descriptions={name: schema.get("description") for name, schema in components.items()})
