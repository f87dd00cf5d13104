"""The JSON Schemas of the OpenAPI document (components): what the API reads and writes, field by field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..accounts.models import MAIL_PREFERENCES, ROLES
from ..deadlines.models import DEADLINE_KINDS
from ..decisions.models import DECISION_LEVELS, DECISION_OUTCOMES
from ..dossiers.models import DOSSIER_TYPES
from ..registry.models import CERTIFICATE_STATUSES
from ..rules.rulesets import DOCUMENT_KINDS
from ..summaries.lines import PERIODS
from ..workflow import EVENTS, STATES
from .bodies import REQUEST_MODELS
from .fields import Part
from .inputs import MAX_ID
from .registry import CERTIFICATE_SCHEMA

STRING, INTEGER, NUMBER, BOOLEAN = ({"type": name} for name in ("string", "integer", "number", "boolean"))
DAY = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DEADLINE_STATUSES = ("on_time", "due_soon", "overdue", "met")
PARTS = ("A", "B", "C")
LEVELS = ("district", "commune", "province", "central")
REF = "#/components/schemas/"


def ref(name: str) -> dict:
    return {"$ref": REF + name}


def enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


def maybe(schema: dict) -> dict:
    """The schema or null (OpenAPI 3.1 writes null as a JSON Schema type)."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    nullable = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def closed(properties: dict, *, optional: tuple[str, ...] = (), description=None) -> dict:
    """An object with exactly these properties, all present unless `optional`: a new field must be documented."""
    schema = {"type": "object", "additionalProperties": False, "properties": properties,
              "required": [name for name in properties if name not in optional]}
    return {**schema, "description": description} if description else schema


UNIT = closed({"id": INTEGER, "name": STRING, "level": STRING})
ORGANISATION = closed({"id": INTEGER, "name": STRING})
DEADLINE = closed({"kind": enum(DEADLINE_KINDS), "due_on": maybe(DAY), "status": enum(DEADLINE_STATUSES)})
MARKS = closed({part: NUMBER for part in PARTS})

# Fields every dossier shows, in lists and alone.
DOSSIER_SUMMARY = {
    "id": INTEGER, "state": enum(STATES), "version": INTEGER, "rule_set": STRING, "round": INTEGER,
    "dossier_type": enum(DOSSIER_TYPES),
    "product": closed({"id": INTEGER, "name": STRING, "product_set": STRING}),
    "organisation": ref("Organisation"), "unit": maybe(ref("Unit")),
    "received_on": maybe(DAY), "updated_at": maybe(TIME),
    "assignee": maybe(ref("Assignee")),
}

DOSSIER = {
    **DOSSIER_SUMMARY,
    "vietgap_stage": BOOLEAN,
    "allowed_events": array(enum(EVENTS)),
    "deadlines": array(ref("Deadline")),
    "documents": array(ref("Document")),
    "missing_documents": array(enum(DOCUMENT_KINDS)),
    "vietgap": maybe(ref("VietGap")),
    "score": maybe(closed({"total": NUMBER, "members": INTEGER, "quorum": INTEGER, "parts": ref("Marks"),
                           "star": maybe(INTEGER), "flagged": INTEGER})),
    "my_score": maybe(closed({"parts": ref("Marks"), "total": NUMBER})),
    "star": maybe({"type": "integer", "minimum": 1, "maximum": 5}),
    "certificate": maybe(ref("Certificate")),
    "level": maybe(enum(LEVELS)),
    "batch": maybe(ref("Batch")),
    "history": array(ref("HistoryEntry")),
}
DECISION_SUMMARY = closed({"id": INTEGER, "number": STRING, "signed_on": DAY, "signer": STRING,
                           "signer_title": STRING, "level": enum(DECISION_LEVELS), "body": STRING})

SCHEMAS = {
    "Error": closed({"error": closed({"code": STRING, "message": STRING, "details": {"type": "object"}})},
                    description=_l("Mọi lỗi: một từ máy đọc được, một câu cho người đọc, và chi tiết.")),
    "Token": closed({"token": STRING, "expires_at": TIME}),
    "Organisation": ORGANISATION,
    "Unit": UNIT,
    "Me": closed({
        "id": INTEGER, "username": STRING, "full_name": STRING, "role": enum(ROLES),
        "organisation": maybe(ref("Organisation")), "unit": maybe(ref("Unit")), "locale": enum(("vi", "en")),
        "email": maybe(STRING), "mail_preference": enum(MAIL_PREFERENCES),
    }),
    "Summary": closed({"subject": STRING, "text": STRING, "html": STRING, "period": enum(PERIODS), "since": DAY}),
    "ProductSet": closed({"code": STRING, "number": INTEGER, "group": STRING, "name": STRING, "name_vi": STRING,
                          "name_en": STRING, "vietgap_stage": BOOLEAN}),
    "Product": closed({"id": INTEGER, "name": STRING, "product_set": STRING, "description": STRING,
                       "organisation": ref("Organisation")}),
    "Deadline": DEADLINE,
    "Assignee": closed({"id": INTEGER, "username": STRING, "full_name": STRING},
                       description=_l("Cán bộ của đơn vị đang xử lý hồ sơ được phân công xử lý nó.")),
    "DossierSummary": closed({**DOSSIER_SUMMARY, "next_deadline": maybe(ref("Deadline"))},
                             description=_l("Một dòng của danh sách hồ sơ, với hạn sắp tới.")),
    "DossierList": closed({"items": array(ref("DossierSummary")), "page": INTEGER, "per_page": INTEGER,
                           "total": INTEGER}),
    "Dossier": closed(DOSSIER, description=_l("Toàn bộ hồ sơ như người gọi được thấy.")),
    "Document": closed({
        "id": INTEGER, "kind": enum(DOCUMENT_KINDS), "filename": STRING, "version": INTEGER,
        "valid_until": maybe(DAY), "uploaded_at": TIME, "issuer": maybe(STRING), "content_type": STRING,
        "size": INTEGER, "url": STRING,
    }),
    "VietGap": closed({"certificate_no": STRING, "issuer": STRING, "issued_on": DAY, "valid_until": DAY}),
    "Marks": MARKS,
    "Certificate": closed({"code": STRING, "star": INTEGER, "issued_on": DAY, "expires_on": DAY,
                           "recognised_by": STRING, "status": enum(CERTIFICATE_STATUSES),
                           "decision": maybe(ref("DecisionSummary"))},
                          description=_l("expires_on là ngày cuối cùng còn hiệu lực.")),
    "DecisionSummary": DECISION_SUMMARY,
    "Changes": closed({"items": array(closed({
        "what": enum(("added", "replaced", "edited")), "subject": STRING, "at": TIME, "actor": STRING,
        "version": maybe(INTEGER), "filename": maybe(STRING), "document_id": maybe(INTEGER)}))}),
    "Receipt": closed({"code": STRING, "event": enum(("submit", "resubmit")), "received_on": DAY,
                       "unit": maybe(ref("Unit")), "rule_set": STRING, "working_days": INTEGER,
                       "due_on": maybe(DAY), "calendar_year_missing": maybe(INTEGER)}),
    "Batch": closed({"id": INTEGER, "name": STRING, "filing_cutoff": DAY, "decision_due": DAY}),
    "Decision": closed({
        "id": INTEGER, "number": STRING, "signed_on": DAY, "signer": STRING, "signer_title": STRING,
        "level": enum(DECISION_LEVELS), "body": STRING, "recorded_at": TIME, "file": maybe(STRING),
        "items": array(closed({"dossier_id": INTEGER, "state": enum(STATES), "outcome": enum(DECISION_OUTCOMES),
                               "star": maybe(INTEGER), "certificate": maybe(ref("Certificate"))}))},
        description=_l("Quyết định công nhận: một quyết định liệt kê nhiều hồ sơ.")),
    "DecisionList": closed({"items": array(ref("Decision")), "page": INTEGER, "per_page": INTEGER,
                            "total": INTEGER}),
    "RuleSet": closed({"code": STRING, "name": STRING, "name_en": STRING, "filings_from": DAY,
                       "filings_until": maybe(DAY), "in_force": BOOLEAN, "first_level": enum(LEVELS),
                       "levels": array(closed({"level": enum(LEVELS), "recognises": array(INTEGER),
                                               "sends_up_from": maybe(INTEGER)}))}),
    "HistoryEntry": closed({"event": enum(EVENTS), "from": enum(STATES), "to": enum(STATES), "actor": STRING,
                            "at": TIME, "comment": STRING, "round": INTEGER}),
    "Sheet": closed({"rule_set": STRING, "product_set": STRING, "parts": array(closed({
        "code": enum(PARTS), "max": INTEGER, "criteria": array(closed({
            "id": STRING, "number": STRING, "title": STRING, "max": INTEGER, "options": array(closed({
                "id": STRING, "text": STRING, "points": INTEGER,
                "min_star": maybe({"type": "integer", "minimum": 3, "maximum": 5})}))}))})),
        "rejection_conditions": array(STRING)},
        description=_l("Phiếu đánh giá sản phẩm OCOP của một bộ sản phẩm (Phụ lục II QĐ 26/2026/QĐ-TTg).")),
    "UpgradePlan": closed({
        "star": INTEGER, "score": maybe(NUMBER), "next_star": INTEGER, "points_to_next_band": NUMBER,
        "unmet_minimums": array(closed({"criterion": ref("SheetCriterion"), "option": ref("SheetOption"),
                                        "min_star": INTEGER})),
        "best_gains": array(closed({"criterion": ref("SheetCriterion"), "from_option": maybe(ref("SheetOption")),
                                    "to_option": ref("SheetOption"), "points": INTEGER}))},
        description=_l("Kế hoạch nâng hạng từ phiếu của hội đồng ở vòng gần nhất: điểm còn thiếu đến mức sao tiếp "
                       "theo (0 khi điểm đã đủ), các phương án tối thiểu chưa đạt đến sao đó, và tối đa 5 tiêu chí "
                       "còn được nhiều điểm nhất.")),
    "SheetCriterion": closed({"id": STRING, "number": STRING, "title": STRING}),
    "SheetOption": closed({"id": STRING, "text": STRING, "points": INTEGER}),
    "RegistryEntry": {**CERTIFICATE_SCHEMA,
                      "description": _l("Những gì ai cũng được xem về một chứng nhận OCOP.")},
}


def request_schemas(models: tuple[type[Part], ...]) -> dict:
    """The request bodies' schemas, generated from their models; the objects they nest become components too.

    OpenAPI 3.1 schemas are JSON Schema 2020-12, which pydantic writes: only the $defs move to the components."""
    schemas: dict[str, dict] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF + "{model}")
        schemas.update(schema.pop("$defs", {}))
        schema["properties"].update(model.documented_as)  # after generation: pydantic would resolve the $refs
        if model.files:
            schema["properties"] = {**{name: {"type": "string", "format": "binary"} for name in model.files},
                                    **schema["properties"]}
            schema["required"] = [*model.files, *schema.get("required", ())]
        schemas[model.__name__] = schema
    clashes = set(schemas) & set(SCHEMAS)
    if clashes:
        raise ValueError(f"request schemas named like answers: {sorted(clashes)}")
    return schemas


# Request bodies: the server refuses unknown fields, so these are closed too.
REQUESTS = request_schemas(REQUEST_MODELS)
