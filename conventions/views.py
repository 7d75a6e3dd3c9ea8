"""Documents pages of the portal (under /documents/): thin views over services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases.models import CaseStatus
from classcontact.decorators import staff_required
from classcontact.errors import DomainError
from classcontact.paging import paginate
from classcontact.storage import private_download
from schools.models import Language, StaffRole
from schools.selectors import user_has_staff_role, user_is_staff_member

from . import services
from .access import (
    access_case_documents,
    access_document,
    access_document_to_sign,
    access_guardian_signature,
    access_signature_for_staff,
)
from .content import body_context, sample_body_context
from .forms import (
    DocumentFilterForm,
    PortalSignForm,
    PrepareDocumentForm,
    TemplateVersionForm,
    VerificationForm,
)
from .models import DocumentKind, DocumentStatus, FileVariant, SignatureStatus, SignerRole, TemplateVersion
from .selectors import (
    DocumentFilters,
    case_documents,
    current_version,
    file_of,
    school_consent,
    staff_document_list,
    template_overview,
    template_versions,
    verify_sha256,
)

COORDINATOR = (StaffRole.COORDINATOR,)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the server saw it (the proxy passes it on)."""
    return request.META.get("REMOTE_ADDR") or None


def _is_coordinator(user) -> bool:
    return user_has_staff_role(user, StaffRole.COORDINATOR)


def _preparing(documents) -> list[str]:
    """Status addresses of the documents whose file is still being rendered: the page asks
    them now and then and reloads once they are ready (no timed refresh: WCAG 2.2.1)."""
    waiting = []
    for document in documents:
        if document.status == DocumentStatus.CANCELLED:
            continue
        original = file_of(document, FileVariant.ORIGINAL) is None
        signed = document.status == DocumentStatus.SIGNED and file_of(document, FileVariant.SIGNED) is None
        if original or signed:
            waiting.append(reverse("conventions:status", kwargs={"document_id": document.public_id}))
    return waiting


def _attempt(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except DomainError as error:  # the documents' own refusals, and a state change the case refuses
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


# A case's documents -------------------------------------------------------------------


@login_required
def case_documents_page(request: HttpRequest, case_id) -> HttpResponse:
    """Every document of a case: its state, files and signatures; staff also act from here."""
    case = access_case_documents(request.user, case_id)
    documents = case_documents(case)
    for document in documents:
        document.my_signature_url = _my_signature_url(request.user, document)
    is_staff = user_is_staff_member(request.user)
    context = {
        "case": case,
        "documents": documents,
        "preparing": _preparing(documents),
        "is_staff": is_staff,
        "can_act": _is_coordinator(request.user),
        "can_send": case.status == CaseStatus.KIT_ASSIGNED,
        "prepare_form": PrepareDocumentForm(),
        "guardians": list(case.guardians.order_by("position")[: case.guardian_count]) if is_staff else [],
        "consent": school_consent(case.school),
    }
    return render(request, "conventions/document_case.html", context)


@staff_required(roles=COORDINATOR)
@require_POST
def case_documents_send(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_documents(request.user, case_id)
    _attempt(
        request,
        lambda: services.documents_send(case=case, by=request.user),
        _("The documents are being prepared; the director and the parents will receive them by e-mail."),
    )
    return redirect("conventions:case", case_id=case.public_id)


@staff_required(roles=COORDINATOR)
@require_POST
def case_document_prepare(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_documents(request.user, case_id)
    form = PrepareDocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a document and a language."))
        return redirect("conventions:case", case_id=case.public_id)
    _attempt(
        request,
        lambda: services.document_prepare(
            case=case, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"], by=request.user
        ),
        _("The document is being prepared; the school will be told when it is ready."),
    )
    return redirect("conventions:case", case_id=case.public_id)


@staff_required(roles=COORDINATOR)
@require_POST
def case_end_link_send(request: HttpRequest, case_id, position: int) -> HttpResponse:
    case = access_case_documents(request.user, case_id)
    guardian = case.guardians.filter(position=position, position__lte=case.guardian_count).first()
    if guardian is None:
        raise Http404
    _attempt(
        request,
        lambda: services.end_link_send(guardian=guardian, by=request.user),
        _("A link to tell us when the kit is no longer needed is on its way to the parent."),
    )
    return redirect("conventions:case", case_id=case.public_id)


@staff_required(roles=COORDINATOR)
@require_POST
def signature_link_resend(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = access_guardian_signature(request.user, signature_id)
    _attempt(
        request,
        lambda: services.signing_link_resend(signature=signature, by=request.user),
        _("A new link is on its way to the parent; the previous one stops working once it has been sent."),
    )
    return redirect("conventions:detail", document_id=signature.document.public_id)


# One document -------------------------------------------------------------------------


@login_required
def document_detail(request: HttpRequest, document_id) -> HttpResponse:
    """A document's state, files and signatures; staff see each signature's evidence."""
    document = access_document(request.user, document_id)
    user = request.user
    context = {
        "document": document,
        "original": file_of(document, FileVariant.ORIGINAL),
        "signed_file": file_of(document, FileVariant.SIGNED),
        "preparing": _preparing([document]),
        "is_staff": user_is_staff_member(user),
        "can_act": _is_coordinator(user),
        "signatures": document.signature_list,
        "my_signature_url": _my_signature_url(user, document),
    }
    return render(request, "conventions/document_detail.html", context)


def _my_signature_url(user, document) -> str:
    """Where the user signs this document, when a signature of theirs is due."""
    if document.status != DocumentStatus.AWAITING_SIGNATURES:
        return ""
    for signature in document.signature_list:
        if signature.status != SignatureStatus.PENDING:
            continue
        if not services.user_may_sign(user, signature, document.case):
            continue
        if signature.role == SignerRole.DIRECTOR:
            return reverse("conventions:sign", kwargs={"document_id": document.public_id})
        if signature.role == SignerRole.COORDINATOR and not _director_still_to_sign(document):
            return reverse("conventions:countersign", kwargs={"document_id": document.public_id})
    return ""


def _director_still_to_sign(document) -> bool:
    return any(
        s.role == SignerRole.DIRECTOR and s.status == SignatureStatus.PENDING for s in document.signature_list
    )


@login_required
@never_cache
def document_status(request: HttpRequest, document_id) -> JsonResponse:
    """Whether the document's files are ready, for a page that waits for them."""
    document = access_document(request.user, document_id)
    return JsonResponse(
        {
            "status": document.status,
            "ready": file_of(document, FileVariant.ORIGINAL) is not None,
            "signed_ready": file_of(document, FileVariant.SIGNED) is not None,
        }
    )


def _download(document, variant: str, *, inline: bool = False):
    stored = file_of(document, variant)
    if stored is None:
        raise Http404
    suffix = "-signed" if variant == FileVariant.SIGNED else ""
    name = f"{document.kind}-{document.content.get('case_number') or document.public_id}{suffix}.pdf"
    return private_download(stored.file, filename=name, inline=inline)


@login_required
def document_download(request: HttpRequest, document_id) -> HttpResponse:
    return _download(access_document(request.user, document_id), FileVariant.ORIGINAL)


@login_required
def document_download_signed(request: HttpRequest, document_id) -> HttpResponse:
    return _download(access_document(request.user, document_id), FileVariant.SIGNED)


@login_required
def signature_image(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = access_signature_for_staff(request.user, signature_id)
    if not signature.image:
        raise Http404
    return private_download(signature.image, filename=f"signature-{signature.pk}.png", inline=True)


# Signing in the portal ----------------------------------------------------------------


def _portal_sign(request: HttpRequest, document, role: str) -> HttpResponse:
    signature = document.signature
    original = file_of(document, FileVariant.ORIGINAL)
    status = 200
    if request.method == "POST":
        form = PortalSignForm(request.POST, role=role, kind=document.kind)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.signature_sign_in_portal(
                    document=document,
                    role=role,
                    by=request.user,
                    typed_name=data["typed_name"],
                    accepted=data["accepted"],
                    consent=data.get("consent"),
                    shown_sha256=data["document_sha256"],
                    image=data["signature_image"],
                    ip=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                )
            except services.DocumentError as error:
                messages.error(request, error.message)
                return redirect("conventions:detail", document_id=document.public_id)
            messages.success(request, _("Thank you: your signature has been recorded."))
            return redirect("conventions:detail", document_id=document.public_id)
        status = 400
    else:
        if signature.status == SignatureStatus.PENDING and original is not None:
            services.signature_record_opening(signature=signature)
        initial = {"document_sha256": original.sha256 if original else ""}
        if role == SignerRole.DIRECTOR:
            consent = school_consent(document.case.school)
            if consent is not None:
                initial["consent"] = "yes" if consent.consents else "no"
        form = PortalSignForm(initial=initial, role=role, kind=document.kind)
    context = {
        "document": document,
        "signature": signature,
        "original": original,
        "form": form,
        "role": role,
        "body": body_context(document),
        "can_sign": signature.status == SignatureStatus.PENDING
        and document.status == DocumentStatus.AWAITING_SIGNATURES
        and original is not None,
    }
    return render(request, "conventions/signature_form.html", context, status=status)


@login_required
def document_sign(request: HttpRequest, document_id) -> HttpResponse:
    """The director (or delegate) of the pupil's school signs the convention."""
    document = access_document_to_sign(request.user, document_id, role=SignerRole.DIRECTOR)
    return _portal_sign(request, document, SignerRole.DIRECTOR)


@login_required
def document_countersign(request: HttpRequest, document_id) -> HttpResponse:
    """A staff coordinator countersigns the convention for ClassContact."""
    document = access_document_to_sign(request.user, document_id, role=SignerRole.COORDINATOR)
    if request.method == "GET" and _director_still_to_sign(document):
        # Nothing to type yet, and opening the page must not count as the countersigner's opening.
        messages.info(request, services.ERROR_DIRECTOR_FIRST)
        return redirect("conventions:detail", document_id=document.public_id)
    return _portal_sign(request, document, SignerRole.COORDINATOR)


# Staff: list, wording, verification ---------------------------------------------------


@staff_required
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    filters = DocumentFilters(**form.cleaned_data) if form.is_valid() else DocumentFilters()
    page_obj = paginate(request, staff_document_list(filters=filters))
    return render(
        request,
        "conventions/document_list.html",
        {"form": form, "page_obj": page_obj, "searching": bool(filters.q.split())},
    )


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conventions/templateversion_list.html",
        {"rows": template_overview(), "can_edit": _is_coordinator(request.user)},
    )


def _kind_and_language(kind: str, language: str) -> tuple[str, str]:
    if kind not in DocumentKind.values or language not in Language.values:
        raise Http404
    return kind, language


@staff_required
def template_history(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    kind, language = _kind_and_language(kind, language)
    versions = template_versions(kind, language)
    return render(
        request,
        "conventions/templateversion_history.html",
        {"kind": kind, "kind_label": DocumentKind(kind).label, "language": language, "versions": versions},
    )


@staff_required
def template_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = TemplateVersion.objects.select_related("created_by").filter(pk=version_id).first()
    if version is None:
        raise Http404
    context = {
        "version": version,
        "preview": sample_body_context(kind=version.kind, language=version.language, wording=version),
        "document_count": version.documents.count(),
    }
    return render(request, "conventions/templateversion_detail.html", context)


def _wording_initial(current: TemplateVersion | None) -> dict:
    """The form starts from the wording in use, when there is one."""
    if current is None:
        return {}
    return {
        "title": current.title,
        "introduction": current.introduction,
        "clauses": current.clauses,
        "consent_text": current.consent_text,
        "closing": current.closing,
    }


def _wording_preview(kind: str, language: str, cleaned_data: dict) -> dict:
    """A sample document's body with the wording as typed, before it is published."""
    return sample_body_context(
        kind=kind,
        language=language,
        wording=TemplateVersion(kind=kind, language=language, **{k: v for k, v in cleaned_data.items()}),
    )


@staff_required(roles=COORDINATOR)
def template_edit(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    """New wording for a kind of document, with a preview before it is published."""
    kind, language = _kind_and_language(kind, language)
    current = current_version(kind, language)
    preview = None
    status = 200
    if request.method == "POST":
        form = TemplateVersionForm(request.POST, kind=kind)
        if form.is_valid():
            if request.POST.get("action") == "publish":
                data = form.cleaned_data
                try:
                    version = services.template_version_publish(
                        kind=kind,
                        language=language,
                        title=data["title"],
                        introduction=data["introduction"],
                        clauses=data["clauses"],
                        consent_text=data.get("consent_text", ""),
                        closing=data["closing"],
                        change_note=data["change_note"],
                        by=request.user,
                    )
                except services.DocumentError as error:
                    form.add_error("clauses", error.message)
                    status = 400
                else:
                    messages.success(
                        request,
                        _("Version %(number)s is published. Documents already sent keep their wording.")
                        % {"number": version.number},
                    )
                    return redirect("conventions:template_list")
            else:
                preview = _wording_preview(kind, language, form.cleaned_data)
        else:
            status = 400
    else:
        form = TemplateVersionForm(initial=_wording_initial(current), kind=kind)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": DocumentKind(kind).label,
        "language": language,
        "current": current,
        "preview": preview,
    }
    return render(request, "conventions/templateversion_form.html", context, status=status)


@staff_required
def verification_staff(request: HttpRequest) -> HttpResponse:
    """Is this PDF (or SHA-256) a file the portal issued, and is it a signed copy?"""
    result = None
    status = 200
    if request.method == "POST":
        form = VerificationForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify_sha256(form.digest())
        else:
            status = 400
    else:
        form = VerificationForm()
    return render(
        request, "conventions/verification_staff.html", {"form": form, "result": result}, status=status
    )
