"""The operations of the OpenAPI document: every endpoint of the API with its inputs and every answer it gives."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..dossiers.queries import SORTS
from ..workflow import EVENTS, STATES
from . import bodies
from .dossiers import MAX_PER_PAGE, MAX_QUERY
from .fields import Part
from .inputs import MAX_PAGE
from .openapi_schemas import ID, array, enum, ref

TAGS = {
    "auth": _l("Xác thực và người dùng"),
    "products": _l("Sản phẩm và bộ sản phẩm"),
    "dossiers": _l("Hồ sơ và quy trình"),
    "documents": _l("Tài liệu của hồ sơ"),
    "decisions": _l("Quyết định công nhận và bộ quy tắc"),
    "registry": _l("Tra cứu công khai"),
    "meta": _l("Tài liệu API"),
}
ERRORS = {
    400: _l("Yêu cầu sai dạng: JSON hỏng, thiếu trường, trường lạ hoặc sai kiểu."),
    401: _l("Thiếu token, hoặc token sai, hết hạn hay đã bị thu hồi."),
    403: _l("Vai trò hoặc đơn vị của người gọi không được làm việc này."),
    404: _l("Không có, hoặc không phải của người gọi để xem."),
    409: _l("Bước này không được phép ở trạng thái hiện tại, hoặc version đã cũ."),
    413: _l("Tệp quá lớn."),
    415: _l("Loại tệp không được nhận."),
    422: _l("Đúng dạng nhưng vi phạm quy tắc: details liệt kê những gì còn thiếu."),
    429: _l("Đăng nhập sai quá nhiều lần: hãy chờ rồi thử lại."),
}
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JSON = "application/json"


def json_content(schema: dict) -> dict:
    return {JSON: {"schema": schema}}


def path_id(name: str, description) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID, "description": description}


def query(name: str, schema: dict, description) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


DOSSIER_ID = path_id("dossier_id", _l("Mã số hồ sơ."))


def op(operation_id: str, tag: str, summary, *, ok: tuple, errors: tuple[int, ...], public: bool = False,
       parameters: tuple = (), body: dict | None = None, description=None, error_text: dict | None = None) -> dict:
    """One operation: `ok` is (status, description, content or None); every token endpoint may answer 401."""
    status, ok_text, content = ok
    responses = {str(status): {"description": ok_text, **({"content": content} if content else {})}}
    for code in sorted({*errors, *(() if public else (401,))}):
        text = (error_text or {}).get(code, ERRORS[code])
        responses[str(code)] = {"description": text, "content": json_content(ref("Error"))}
    operation = {"operationId": operation_id, "tags": [TAGS[tag]], "summary": summary, "responses": responses}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = list(parameters)
    if body:
        operation["requestBody"] = {"required": True, "content": body}
    if public:
        operation["security"] = []
    return operation


def json_body(model: type[Part]) -> dict:
    """A JSON request body read through `model` (bodies.py); its schema is generated from the model."""
    return json_content(ref(model.__name__))


def multipart_body(model: type[Part]) -> dict:
    return {"multipart/form-data": {"schema": ref(model.__name__)}}


DOSSIER_OK = (200, _l("Hồ sơ sau thay đổi."), json_content(ref("Dossier")))

PATHS = {
    "/api/v1/auth/token": {
        "post": op("issue_token", "auth", _l("Lấy token truy cập bằng tên đăng nhập và mật khẩu"), public=True,
                   body=json_body(bodies.TokenRequest), errors=(400, 401, 429),
                   ok=(201, _l("Token mới, và lúc nó hết hạn."), json_content(ref("Token"))),
                   error_text={401: _l("Sai tên đăng nhập hoặc mật khẩu.")},
                   description=_l("Gửi token trong mỗi yêu cầu sau: Authorization: Bearer <token>.")),
        "delete": op("revoke_token", "auth", _l("Thu hồi token đang dùng"), errors=(),
                     ok=(204, _l("Đã thu hồi."), None)),
    },
    "/api/v1/me": {
        "get": op("me", "auth", _l("Người dùng của token"), errors=(),
                  ok=(200, _l("Người dùng."), json_content(ref("Me")))),
    },
    "/api/v1/summaries/me": {
        "get": op("my_summary", "auth", _l("Bản tóm tắt tình hình hiện tại của người gọi"), errors=(400,),
                  parameters=(query("period", enum(("daily", "weekly")), _l("Theo ngày (mặc định) hoặc theo tuần.")),),
                  ok=(200, _l("Bản tóm tắt, dạng văn bản và HTML."), json_content(ref("Summary")))),
    },
    "/api/v1/product-sets": {
        "get": op("product_sets", "products", _l("Các bộ sản phẩm OCOP"), errors=(),
                  ok=(200, _l("Các bộ sản phẩm, tên theo ngôn ngữ của người gọi."),
                      json_content({"type": "array", "items": ref("ProductSet")}))),
    },
    "/api/v1/product-sets/{code}/sheet": {
        "get": op("product_set_sheet", "products", _l("Phiếu đánh giá của một bộ sản phẩm"), errors=(404,),
                  parameters=({"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                               "description": _l("Mã bộ sản phẩm (xem /product-sets).")},),
                  ok=(200, _l("Phiếu của bộ quy tắc đang áp dụng hôm nay: các phần, tiêu chí, phương án và "
                              "điểm, phương án tối thiểu cho 3, 4, 5 sao, các trường hợp hồ sơ bị loại."),
                      json_content(ref("Sheet")))),
    },
    "/api/v1/products": {
        "post": op("new_product", "products", _l("Đăng ký sản phẩm mới (chủ thể sản xuất)"),
                   body=json_body(bodies.ProductRequest), errors=(400, 403, 422),
                   ok=(201, _l("Sản phẩm mới."), json_content(ref("Product")))),
    },
    "/api/v1/dossiers": {
        "get": op("list_dossiers", "dossiers", _l("Danh sách hồ sơ người gọi được xem"), errors=(400,),
                  parameters=(query("state", enum(STATES), _l("Chỉ các hồ sơ ở trạng thái này.")),
                              query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                                    _l("Trang, từ 1.")),
                              query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                                 "default": 25}, _l("Số hồ sơ mỗi trang.")),
                              query("q", {"type": "string", "maxLength": MAX_QUERY},
                                    _l("Tìm theo tên sản phẩm, tên chủ thể, mã hồ sơ (12 hoặc #12) hay mã giấy "
                                       "chứng nhận; không phân biệt hoa thường, có dấu hay không dấu.")),
                              query("assignee", {"type": "string", "pattern": "^(me|none|[1-9][0-9]{0,9})$"},
                                    _l("me: hồ sơ giao cho người gọi; none: chưa giao cho ai; hoặc mã số một "
                                       "người dùng.")),
                              query("sort", {**enum(SORTS), "default": "updated"},
                                    _l("updated: thay đổi gần nhất trước (mặc định); due: hạn đang mở sớm nhất "
                                       "trước, hồ sơ không có hạn ở cuối; received: tiếp nhận sớm nhất trước."))),
                  ok=(200, _l("Một trang hồ sơ và tổng số."), json_content(ref("DossierList")))),
        "post": op("open_dossier", "dossiers", _l("Mở hồ sơ cho một sản phẩm (chủ thể sản xuất)"),
                   body=json_body(bodies.DossierRequest), errors=(400, 403, 404, 409),
                   ok=(201, _l("Hồ sơ mới, ở trạng thái nháp."), json_content(ref("Dossier")))),
    },
    "/api/v1/dossiers/{dossier_id}": {
        "get": op("dossier", "dossiers", _l("Một hồ sơ"), parameters=(DOSSIER_ID,), errors=(404,),
                  ok=(200, _l("Hồ sơ, như người gọi được thấy."), json_content(ref("Dossier")))),
    },
    "/api/v1/dossiers/{dossier_id}/events/{event}": {
        "post": op("fire_event", "dossiers", _l("Thực hiện một bước của quy trình"), ok=DOSSIER_OK,
                   parameters=(DOSSIER_ID, {"name": "event", "in": "path", "required": True, "schema": enum(EVENTS),
                                            "description": _l("Tên bước; bước không có là 404.")}),
                   body=json_body(bodies.EventRequest), errors=(400, 403, 404, 409, 422),
                   description=_l("version là version hiện tại của hồ sơ. received_on (ngày nhận hồ sơ giấy) "
                                  "chỉ đi với forward, verify_vietgap và return; score (điểm của hội đồng trung ương) "
                                  "và, từ 90 điểm, decision (quyết định của Bộ) với recognise; batch_id với admit; "
                                  "grounds bắt buộc với revoke; comment bắt buộc với return. decide chỉ đi qua "
                                  "POST /decisions.")),
    },
    "/api/v1/dossiers/{dossier_id}/documents": {
        "post": op("upload_document", "documents", _l("Nộp một phiên bản tài liệu (chủ thể sản xuất)"),
                   parameters=(DOSSIER_ID,), errors=(400, 403, 404, 409, 413, 415, 422),
                   body=multipart_body(bodies.DocumentUpload),
                   ok=(201, _l("Tài liệu mới."), json_content(ref("Document"))),
                   description=_l("Nhận PDF, JPEG, PNG, WebP, DOCX và XLSX; loại tệp được xét theo nội dung.")),
    },
    "/api/v1/dossiers/{dossier_id}/documents/{document_id}/file": {
        "get": op("document_file", "documents", _l("Tải tệp của tài liệu"), errors=(404,),
                  parameters=(DOSSIER_ID, path_id("document_id", _l("Mã số tài liệu."))),
                  ok=(200, _l("Nội dung tệp, dạng tệp đính kèm."),
                      {kind: {"schema": {"type": "string", "format": "binary"}} for kind in DOCUMENT_TYPES})),
    },
    "/api/v1/dossiers/{dossier_id}/vietgap": {
        "put": op("vietgap", "dossiers", _l("Ghi chứng nhận VietGAP (chủ thể sản xuất)"), ok=DOSSIER_OK,
                  parameters=(DOSSIER_ID,), body=json_body(bodies.VietGapRequest), errors=(400, 403, 404, 422)),
    },
    "/api/v1/dossiers/{dossier_id}/assignee": {
        "put": op("assign_dossier", "dossiers", _l("Phân công cán bộ xử lý hồ sơ"), ok=DOSSIER_OK,
                  parameters=(DOSSIER_ID,), body=json_body(bodies.AssigneeRequest), errors=(400, 403, 404, 409, 422),
                  description=_l("Cán bộ của đơn vị đang phải xử lý hồ sơ (cấp xã khi kiểm tra VietGAP và "
                                 "hồ sơ; cấp tỉnh khi kiểm tra cấp tỉnh, chờ quyết định, chờ Trung ương) giao hồ "
                                 "sơ cho một cán bộ đang làm việc của đơn vị đó; null để bỏ phân công. Trạng "
                                 "thái không có đơn vị nào phải xử lý: 409; người được giao không phải cán bộ "
                                 "của đơn vị đó: 422. Việc phân công được ghi vào nhật ký hoạt động và không "
                                 "làm đổi version.")),
    },
    "/api/v1/dossiers/{dossier_id}/scores/me": {
        "put": op("my_score", "dossiers", _l("Nhập điểm của thành viên hội đồng chấm"), ok=DOSSIER_OK,
                  parameters=(DOSSIER_ID,), body=json_body(bodies.ScoreRequest), errors=(400, 403, 404, 409, 422),
                  description=_l("Chỉ thành viên hội đồng chấm của hồ sơ, ở trạng thái star_rating. Vòng đánh "
                                 "giá có phiếu (QĐ 1489/2025, QĐ 26/2026): gửi criteria, mỗi tiêu chí một phương án; "
                                 "thiếu tiêu chí hay phương án không thuộc tiêu chí là 422 (details.missing nêu các "
                                 "tiêu chí), gửi parts là 422. Vòng theo bộ quy tắc cấp huyện: gửi parts; điểm một "
                                 "phần vượt mức tối đa là 422.")),
    },
    "/api/v1/dossiers/{dossier_id}/upgrade-plan": {
        "get": op("upgrade_plan", "dossiers", _l("Kế hoạch nâng hạng: những gì còn thiếu để lên sao tiếp theo"),
                  parameters=(DOSSIER_ID,), errors=(404,),
                  ok=(200, _l("Điểm còn thiếu, các yêu cầu tối thiểu chưa đạt và các tiêu chí được nhiều điểm "
                              "nhất."), json_content(ref("UpgradePlan"))),
                  description=_l("Chủ thể của hồ sơ và cán bộ được xem hồ sơ. Tính từ vòng đánh giá gần nhất đã "
                                 "đóng mà hội đồng chấm trên phiếu; chưa có vòng như vậy, hoặc sản phẩm đã 5 sao: "
                                 "404 với code no_upgrade_plan.")),
    },
    "/api/v1/decisions": {
        "get": op("list_decisions", "decisions", _l("Các quyết định công nhận người gọi được xem"), errors=(400,),
                  parameters=(query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                                    _l("Trang, từ 1.")),),
                  ok=(200, _l("Một trang quyết định."), json_content(ref("DecisionList")))),
        "post": op("new_decision", "decisions", _l("Ghi một quyết định công nhận cho nhiều hồ sơ"),
                   body=json_body(bodies.DecisionRequest), errors=(400, 403, 404, 409, 422),
                   ok=(201, _l("Quyết định và kết quả từng hồ sơ."), json_content(ref("Decision"))),
                   description=_l("Tất cả hoặc không: một hồ sơ sai version hay không chờ quyết định thì không "
                                  "gì thay đổi; details.items nói hồ sơ nào và vì sao. Số quyết định đã dùng: 409.")),
    },
    "/api/v1/decisions/{decision_id}": {
        "get": op("decision", "decisions", _l("Một quyết định công nhận"), errors=(404,),
                  parameters=(path_id("decision_id", _l("Mã số quyết định.")),),
                  ok=(200, _l("Quyết định."), json_content(ref("Decision")))),
    },
    "/api/v1/decisions/{decision_id}/file": {
        "put": op("decision_file", "decisions", _l("Đính kèm bản PDF đã ký của quyết định"),
                  parameters=(path_id("decision_id", _l("Mã số quyết định.")),), errors=(400, 403, 404, 413, 422),
                  body=multipart_body(bodies.DecisionFile),
                  ok=(200, _l("Quyết định."), json_content(ref("Decision")))),
        "get": op("download_decision_file", "decisions", _l("Tải bản PDF đã ký"), errors=(404,),
                  parameters=(path_id("decision_id", _l("Mã số quyết định.")),),
                  ok=(200, _l("Tệp PDF."), {"application/pdf": {"schema": {"type": "string", "format": "binary"}}})),
    },
    "/api/v1/rule-sets": {
        "get": op("rule_sets", "decisions", _l("Các bộ quy tắc, thời kỳ áp dụng và các cấp"), errors=(),
                  ok=(200, _l("Mọi bộ quy tắc, cũ nhất trước."), json_content(array(ref("RuleSet"))))),
    },
    "/api/v1/dossiers/{dossier_id}/review": {
        "put": op("review", "documents", _l("Ghi kết quả kiểm tra mọi tài liệu của hồ sơ một lần"), ok=DOSSIER_OK,
                  parameters=(DOSSIER_ID,), body=json_body(bodies.ReviewRequest), errors=(400, 403, 404, 409, 422),
                  description=_l("Mỗi tài liệu hiện hành một kết quả (accepted hoặc needs_supplement, cần ghi chú); "
                                 "thiếu hay thừa tài liệu là 409; tất cả hoặc không.")),
    },
    "/api/v1/dossiers/{dossier_id}/changes": {
        "get": op("changes", "documents", _l("Những gì đã thay đổi kể từ khi hồ sơ được trả lại"), errors=(404,),
                  parameters=(DOSSIER_ID,), ok=(200, _l("Tài liệu thêm hoặc thay, thông tin đã sửa."),
                                                json_content(ref("Changes")))),
    },
    "/api/v1/dossiers/{dossier_id}/receipt": {
        "get": op("receipt", "dossiers", _l("Giấy tiếp nhận hồ sơ và hẹn trả kết quả của lần nộp gần nhất"),
                  errors=(404,), parameters=(DOSSIER_ID,),
                  ok=(200, _l("Mã hồ sơ, ngày tiếp nhận, cơ quan kiểm tra và hạn trả kết quả."),
                      json_content(ref("Receipt")))),
    },
    "/api/v1/registry/{code}": {
        "get": op("registry_certificate", "registry", _l("Tra cứu một chứng nhận OCOP (công khai)"), public=True,
                  parameters=({"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                               "description": _l("Mã chứng nhận.")},),
                  errors=(404,), ok=(200, _l("Chứng nhận và tình trạng của nó."), json_content(ref("RegistryEntry")))),
    },
    "/api/v1/openapi.json": {
        "get": op("openapi_document", "meta", _l("Tài liệu OpenAPI này"), public=True, errors=(),
                  ok=(200, _l("Tài liệu OpenAPI 3.1."), json_content({"type": "object"}))),
    },
}
