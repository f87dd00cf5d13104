"""The public OCOP registry: search certified products, one page per certificate with its QR code (issue 5)."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for

from ..clock import today
from ..query_args import page_arg
from .forms import registry_search_form
from .queries import (
    COUNTED_AT_MOST,
    PER_PAGE,
    RegistryFilters,
    certificate_code,
    public_certificate_or_404,
    registry_url,
    search_registry,
)
from .services import QR_MIMETYPES, qr_image

bp = Blueprint("registry", __name__)


@bp.get("/registry")
def index():
    form = registry_search_form(request.args)
    filters = RegistryFilters()
    if form.validate():
        filters = RegistryFilters(q=form.q.data or "", product_set_id=form.product_set.data or None,
                                  unit_id=form.unit.data or form.province.data or None, star=form.star.data or None,
                                  validity=form.validity.data or "valid")
    code = certificate_code(filters.q)
    if code:  # a certificate code typed or pasted into the search box: straight to its page
        return redirect(url_for(".certificate", code=code))
    config = current_app.config
    found = search_registry(filters, today=today(), page=page_arg(), per_page=config.get("REGISTRY_PER_PAGE", PER_PAGE),
                            counted_at_most=config.get("REGISTRY_COUNTED_AT_MOST", COUNTED_AT_MOST))
    return render_template("registry/index.html", form=form, found=found)


@bp.get("/registry/<code>")
def certificate(code: str):
    entry = public_certificate_or_404(code, today())
    if entry.code != code:  # typed from a label in another case: one address per certificate
        return redirect(url_for(".certificate", code=entry.code), 301)
    return render_template("registry/certificate.html", entry=entry, url=registry_url(entry.code))


@bp.get("/registry/<code>/qr.svg", defaults={"kind": "svg"})
@bp.get("/registry/<code>/qr.png", defaults={"kind": "png"})
def qr(code: str, kind: str):
    """The QR code for the product's label: it opens the certificate's registry page."""
    entry = public_certificate_or_404(code, today())
    response = make_response(qr_image(registry_url(entry.code), kind))
    response.mimetype = QR_MIMETYPES[kind]
    response.headers["Content-Disposition"] = f'inline; filename="{entry.code}.{kind}"'
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response
