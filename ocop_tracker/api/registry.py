"""The public registry over the API: one certificate by its code, no token needed (issue 5)."""
from __future__ import annotations

from ..clock import today
from ..registry.queries import PublicCertificate, find_public_certificate, registry_url
from .errors import ApiError

# The contract knows valid, expired and revoked: a certificate replaced by a newer one no longer proves its star,
# so it reads "expired", and `status_detail` and `superseded_by` say which certificate replaced it.
CONTRACT_STATUS = {"valid": "valid", "superseded": "expired", "expired": "expired", "revoked": "revoked"}

_NAMES = {"type": "object", "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}}
_DAY = {"type": "string", "format": "date"}
# The response's JSON Schema, for the OpenAPI document.
CERTIFICATE_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["code", "product", "organisation", "star", "issued_on", "expires_on", "status"],
    "properties": {
        "code": {"type": "string"}, "product": {"type": "string"}, "organisation": {"type": "string"},
        "star": {"type": "integer", "minimum": 3, "maximum": 5}, "issued_on": _DAY, "expires_on": _DAY,
        "status": {"type": "string", "enum": ["valid", "expired", "revoked"]},
        "status_detail": {"type": "string", "enum": list(CONTRACT_STATUS)},
        "superseded_by": {"type": ["string", "null"]}, "revoked_on": {**_DAY, "type": ["string", "null"]},
        "product_set": {"type": "string"}, "product_set_name": _NAMES,
        "place": {"type": "string"}, "place_after_2025": {"type": ["string", "null"]},
        "recognised_by": {"type": "string"}, "recognised_by_name": _NAMES,
        "contact": {"type": ["object", "null"], "additionalProperties": False, "properties": {
            "phone": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]}}},
        "url": {"type": "string", "format": "uri"},
        "decision": {"type": ["object", "null"], "additionalProperties": False,
                     "required": ["number", "signed_on", "signer"], "properties": {
                         "number": {"type": "string"}, "signed_on": _DAY, "signer": {"type": "string"},
                         "body": {"type": "string"}}},
    },
}


def registry_json(entry: PublicCertificate) -> dict:
    """A certificate as the contract shows it, with the registry page's other public facts."""
    product_set = entry.product_set
    return {
        "code": entry.code, "product": entry.product, "organisation": entry.organisation, "star": entry.star,
        "issued_on": entry.issued_on.isoformat(), "expires_on": entry.expires_on.isoformat(),
        "status": CONTRACT_STATUS[entry.status], "status_detail": entry.status, "superseded_by": entry.superseded_by,
        "revoked_on": entry.revoked_on.isoformat() if entry.revoked_on else None,
        "product_set": product_set.code, "product_set_name": {"vi": product_set.name_vi, "en": product_set.name_en},
        "place": ", ".join(entry.place), "place_after_2025": ", ".join(entry.place_after_2025) or None,
        "recognised_by": entry.recognised_by, "recognised_by_name": entry.recognised_by_names,
        "contact": {"phone": entry.phone, "email": entry.email} if entry.phone or entry.email else None,
        "url": registry_url(entry.code),
        "decision": entry.decision and {**entry.decision, "signed_on": entry.decision["signed_on"].isoformat()},
    }


# Imported after the schema: the OpenAPI document reads it while api.views, which loads this module, is loading.
from .views import bp


@bp.get("/registry/<code>")
def registry_certificate(code: str):
    entry = find_public_certificate(code, today())
    if entry is None:
        raise ApiError(404, "not_found", "no OCOP certificate has this code", {"code": code[:60]})
    return registry_json(entry)
