"""Every JSON body the API takes, declared once: the endpoints read requests through these models (payload.parse)
and the OpenAPI document's request schemas are generated from them (openapi_schemas)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field, create_model, field_validator

from ..decisions.models import DECISION_OUTCOMES
from ..query_args import MAX_ID
from ..rules.rulesets import DOCUMENT_KINDS
from ..text_rules import DESCRIPTION_MAX, NOTE_MAX
from .fields import DAY, ID, NUMBER, OMITTABLE, WRONG_VALUE, Body, Part, Plain, Text, refuse

NOTE = Text(NOTE_MAX, multiline=True)
SHEET_ID = Text(40, required=True)  # a criterion's or an option's id on the sheet ("11-1.5", "11-1.5-3")
MAX_ITEMS = 500


class TokenRequest(Body):
    """Credentials; none given is an authentication failure (401), not a 400, so every field may be left out."""

    username: str = ""
    password: str = ""
    name: str = ""


class ProductRequest(Body):
    name: Annotated[str, Text(200, required=True)]
    product_set: Annotated[str, Text(200, required=True)]
    description: Annotated[str, Text(DESCRIPTION_MAX, multiline=True)] = ""


class DossierRequest(Body):
    product_id: Annotated[int, ID]


# The workflow events: what each takes besides `version` and `comment`, as the pages' event forms do
# (dossiers/forms.py EVENT_FORMS; tests/api/test_bodies.py holds the two to the same fields).
class EventBody(Body):
    version: int
    comment: Annotated[str, NOTE] = ""

    def inputs(self) -> dict[str, Any]:
        """The fields as apply_event's keywords."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class FilingBody(EventBody):
    declared: Annotated[bool | None, OMITTABLE] = Field(None, description=_l(
        "Chỉ với submit và resubmit: true ghi nhận lời cam kết của chủ thể rằng thông tin và tài liệu trong hồ sơ "
        "là trung thực, chính xác (như khi nộp trên trang web); false bị từ chối (422, thiếu declaration). "
        "Không gửi trường này thì hồ sơ vẫn được nộp như trước nhưng không có lời cam kết nào được ghi nhận."))

    def inputs(self) -> dict[str, Any]:
        return {"version": self.version, "comment": self.comment}  # undeclared: filed as before declarations


class ReceiptBody(EventBody):
    received_on: Annotated[date | None, DAY] = None


class ForwardBody(ReceiptBody):
    override: bool = Field(False, description=_l(
        "Chỉ với forward: true chuyển hồ sơ dù còn tài liệu được đánh dấu cần bổ sung; comment (bắt buộc khi đó) "
        "ghi lý do vào lịch sử. Không có override, forward bị từ chối (422, needs_supplement:<loại tài liệu>)."))


class AdmitBody(EventBody):
    batch_id: Annotated[Annotated[int, ID] | None, OMITTABLE] = None


class MinistryDecision(Part):
    """`recognise` at 90 or more carries the Ministry's decision."""

    number: Annotated[str, Text(60)] = ""
    signed_on: Annotated[date | None, DAY] = None
    signer: Annotated[str, Text(120)] = ""


class RecogniseBody(EventBody):
    shapes: ClassVar[dict[str, str]] = {"decision": 'must be {"number": "...", "signed_on": "YYYY-MM-DD", "signer": "..."}'}

    score: Annotated[Decimal | None, NUMBER] = None
    decision: Annotated[MinistryDecision | None, OMITTABLE] = None

    def inputs(self) -> dict[str, Any]:
        """recognise_nationally's keywords: the decision's fields beside the score."""
        return {"version": self.version, "comment": self.comment, "score": self.score,
                **(self.decision or MinistryDecision()).model_dump()}


class RevokeBody(EventBody):
    grounds: Annotated[str, NOTE] = ""


EVENT_BODIES: dict[str, type[EventBody]] = {
    "submit": FilingBody, "resubmit": FilingBody, "forward": ForwardBody, "verify_vietgap": ReceiptBody,
    "return": ReceiptBody, "admit": AdmitBody, "recognise": RecogniseBody, "revoke": RevokeBody,
}


def _every_events_fields() -> type[EventBody]:
    """What the document shows for /events/{event}: every event's fields in one object (each says its events)."""
    fields: dict[str, Any] = {}
    for model in EVENT_BODIES.values():
        fields.update({name: (info.annotation, info) for name, info in model.model_fields.items()})
    return create_model("EventRequest", __base__=EventBody, **fields)


EventRequest = _every_events_fields()


class VietGapRequest(Body):
    certificate_no: Annotated[str, Text(80, required=True)]
    issuer: Annotated[str, Text(200, required=True)]
    issued_on: Annotated[date, DAY]
    valid_until: Annotated[date, DAY]


class ScoreRequest(Body):
    """A member's marks: `criteria` (and `notes`) on rounds scored on the official sheet, `parts` {"A": n, "B": n,
    "C": n} on rounds of the district-era rule sets; which one the round takes, the endpoint checks."""

    documented_as: ClassVar[dict[str, dict]] = {"parts": {"$ref": "#/components/schemas/Marks"}}
    shapes: ClassVar[dict[str, str]] = {
        "criteria": "must map each criterion id to the id of one of its options (strings)",
        "notes": f"must map criterion ids to notes (strings of at most {NOTE_MAX} characters)"}

    parts: Annotated[dict[str, Annotated[Decimal, NUMBER]] | None, OMITTABLE] = None
    criteria: Annotated[dict[Annotated[str, SHEET_ID], Annotated[str, SHEET_ID]] | None, OMITTABLE] = Field(
        None, description=_l("Phiếu đánh giá (Phụ lục II QĐ 26/2026): mỗi tiêu chí của bộ sản phẩm một phương án, "
                             "theo mã trong GET /product-sets/{code}/sheet; điểm các phần do máy tính."))
    notes: Annotated[dict[Annotated[str, SHEET_ID], Annotated[str, NOTE]] | None, OMITTABLE] = Field(
        None, description=_l("Ghi chú tùy chọn theo tiêu chí."))
    rejection: Annotated[str | None, OMITTABLE] = Field(None, description=_l(
        "Nhận định của thành viên rằng hồ sơ thuộc một trường hợp bị loại của phiếu; Chủ tịch Hội đồng thấy nó."))

    @field_validator("rejection")
    @classmethod
    def rejection_text(cls, value: str | None) -> str | None:
        return None if value is None else NOTE.clean(value)


class AssigneeRequest(Body):
    assignee_id: Annotated[int, ID] | None


class DecisionItem(Part):
    """One dossier of a decision; an outcome other than these two is the rules' refusal (422), not a 400."""

    dossier_id: Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": MAX_ID})]
    version: int
    outcome: Annotated[str, Field(json_schema_extra={"enum": list(DECISION_OUTCOMES)})]


class DecisionRequest(Body):
    shapes: ClassVar[dict[str, str]] = {"items": 'each item must be {"dossier_id": n, "version": n, "outcome": "recognise|not_recognise"}'}

    number: Annotated[str, Text(60, required=True)]
    signed_on: Annotated[date, DAY]
    signer: Annotated[str, Text(120, required=True)]
    signer_title: Annotated[str, Text(160)] = ""
    body: Annotated[str, Text(200)] = ""
    items: Annotated[list[DecisionItem], Field(json_schema_extra={"minItems": 1, "maxItems": MAX_ITEMS})]

    @field_validator("items", mode="before")
    @classmethod
    def item_count(cls, value: Any) -> Any:
        if isinstance(value, list) and not 1 <= len(value) <= MAX_ITEMS:
            raise refuse(WRONG_VALUE, f"must be a list of 1 to {MAX_ITEMS} items")
        return value


class DocumentKey(Plain):
    """A document's id written as a JSON object's key (the document says so in words: pydantic would turn a pattern
    into patternProperties, which leaves other keys open)."""

    json_schema: ClassVar[dict[str, Any]] = {"type": "string"}

    def check(self, value: Any) -> int:
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise refuse("wrong_key", "must be a document id")
        return int(value)


class DocumentVerdict(Part):
    outcome: Literal["accepted", "needs_supplement"]
    note: Annotated[str, NOTE] = ""


class ReviewRequest(Body):
    shapes: ClassVar[dict[str, str]] = {"verdicts": 'must map each document id to {"outcome": "accepted|needs_supplement", "note"?}'}

    verdicts: dict[Annotated[int, DocumentKey()], DocumentVerdict]
    note: Annotated[str, NOTE] = ""


class DocumentUpload(Part):
    """The multipart fields besides the file; no field is JSON, so no field can hold a NUL's escape."""

    files = ("file",)

    kind: Annotated[str, Field(json_schema_extra={"enum": list(DOCUMENT_KINDS)})]
    valid_until: Annotated[date | None, DAY] = None
    issuer: Annotated[str, Text(200)] = ""


class DecisionFile(Part):
    """The signed PDF of a decision, the one multipart part."""

    files = ("file",)


# In the order the document lists them.
REQUEST_MODELS: tuple[type[Part], ...] = (
    TokenRequest, ProductRequest, DossierRequest, EventRequest, DecisionRequest, DecisionFile, ReviewRequest,
    VietGapRequest, ScoreRequest, AssigneeRequest, DocumentUpload)
