"""The school's request form: drafts, sending, and bad input answered next to the field."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
import pytest

from cases.forms import ERROR_END_BEFORE_START, ERROR_REQUIRED_TO_SEND
from cases.models import CaseStatus, ConnectionCase, EventKind
from classcontact.storage import ERROR_FILE_TYPE, private_storage
from tests.builders.cases import PDF_BYTES, form_data, png_bytes
from tests.builders.schools import make_class

S = CaseStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def school_class(school_a):
    return make_class(school_a, "P5")


@pytest.fixture
def new_url(school_a):
    return reverse("cases:new_for_school", kwargs={"school_id": school_a.pk})


def test_a_director_with_one_school_goes_straight_to_the_form(client, director_a, new_url):
    client.force_login(director_a)
    response = client.get(reverse("cases:new"))
    assert response.status_code == 302
    assert response["Location"] == new_url
    page = client.get(new_url)
    assert page.status_code == 200
    assert "Send the request" in page.content.decode()


def test_sending_a_complete_request_with_a_certificate(
    client, director_a, school_class, new_url, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    data = form_data(school_class, certificate=SimpleUploadedFile("scan.png", png_bytes(), "image/png"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url, data)
    case = ConnectionCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.public_id})
    assert case.status == S.SUBMITTED
    assert case.number
    assert case.certificate.name.endswith(".png")
    assert private_storage.exists(case.certificate.name)
    assert case.guardians.get().email == "sophie@example.org"
    assert case.home_has_internet is True
    assert [m.to for m in mail.outbox] == [[director_a.email]]
    page = client.get(response["Location"]).content.decode()
    assert "Your request has been sent" in page
    assert case.number in page


def test_a_draft_may_be_saved_half_empty_and_finished_later(client, director_a, school_class, new_url):
    client.force_login(director_a)
    response = client.post(new_url, {"pupil_first_name": "Noah", "guardian_count": "1", "action": "save"})
    case = ConnectionCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:edit", kwargs={"case_id": case.public_id})
    assert case.status == S.DRAFT
    assert case.pupil_first_name == "Noah"
    edit = client.get(response["Location"]).content.decode()
    assert 'value="Noah"' in edit
    response = client.post(response["Location"], form_data(school_class, pupil_first_name="Noah"))
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.CREATED, EventKind.SUBMITTED]


def test_sending_with_missing_fields_keeps_what_was_typed(client, director_a, school_class, new_url):
    client.force_login(director_a)
    data = form_data(
        school_class, pupil_last_name="", home_city="", guardian1_email="", pupil_first_name="Zoé"
    )
    response = client.post(new_url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["pupil_last_name"] == [str(ERROR_REQUIRED_TO_SEND)]
    assert form.errors["home_city"] == [str(ERROR_REQUIRED_TO_SEND)]
    assert form.errors["guardian1_email"] == [str(ERROR_REQUIRED_TO_SEND)]
    content = response.content.decode()
    assert 'value="Zoé"' in content
    assert 'value="Rue Haute 1"' in content
    assert ConnectionCase.objects.count() == 0


def test_a_second_guardian_is_needed_only_when_two_sign(client, director_a, school_class, new_url):
    client.force_login(director_a)
    response = client.post(new_url, form_data(school_class, guardian_count="2"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {
        "guardian2_first_name",
        "guardian2_last_name",
        "guardian2_email",
    }


def test_a_file_that_is_not_really_a_pdf_is_refused(client, director_a, school_class, new_url):
    client.force_login(director_a)
    fake = SimpleUploadedFile(
        "certificate.pdf", b"MZ\x90\x00 this is a program, not a PDF", "application/pdf"
    )
    response = client.post(new_url, form_data(school_class, certificate=fake, pupil_first_name="Léa"))
    assert response.status_code == 400
    errors = response.context["form"].errors["certificate"]
    assert errors == [str(ERROR_FILE_TYPE % {"accepted": "PDF, JPEG, PNG"})]
    assert 'value="Léa"' in response.content.decode()
    assert "choose the certificate again" in response.content.decode()
    assert ConnectionCase.objects.count() == 0


def test_a_certificate_over_5_mb_is_refused(client, director_a, school_class, new_url):
    client.force_login(director_a)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = client.post(new_url, form_data(school_class, certificate=big))
    assert response.status_code == 400
    assert "at most 5 MB" in response.context["form"].errors["certificate"][0]


def test_dates_that_make_no_sense_are_refused(client, director_a, school_class, new_url):
    client.force_login(director_a)
    data = form_data(
        school_class,
        absence_start="2026-03-10",
        absence_end="2026-03-01",
        absence_end_unknown="",
        pupil_birth_date="2999-01-01",
    )
    response = client.post(new_url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["absence_end"] == [str(ERROR_END_BEFORE_START)]
    assert "pupil_birth_date" in errors


def test_a_class_of_another_school_cannot_be_chosen(client, director_a, school_b, new_url, school_class):
    other = make_class(school_b, "X9")
    client.force_login(director_a)
    data = form_data(school_class)
    data["school_class"] = str(other.pk)
    response = client.post(new_url, data)
    assert response.status_code == 400
    assert "school_class" in response.context["form"].errors


def test_the_form_has_no_field_for_a_diagnosis(client, director_a, new_url):
    client.force_login(director_a)
    form = client.get(new_url).context["form"]
    assert not any("diagnos" in name for name in form.fields)
    assert set(dict(form.fields["reason_category"].choices)) == {
        "physical_illness",
        "psychological_illness",
        "disability",
        "accident",
        "other",
    }


def test_removing_the_certificate_of_a_draft(
    client, director_a, school_class, new_url, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    data = form_data(school_class, action="save", certificate=SimpleUploadedFile("c.pdf", PDF_BYTES))
    client.post(new_url, data)
    case = ConnectionCase.objects.get()
    name = case.certificate.name
    edit_url = reverse("cases:edit", kwargs={"case_id": case.public_id})
    assert "A certificate is attached" in client.get(edit_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, form_data(school_class, action="save", remove_certificate="on"))
    case.refresh_from_db()
    assert not case.certificate
    assert not private_storage.exists(name)


def test_saving_a_draft_sent_meanwhile_from_another_tab(client, director_a, school_class, new_url):
    client.force_login(director_a)
    client.post(new_url, form_data(school_class, action="save"))
    case = ConnectionCase.objects.get()
    edit_url = reverse("cases:edit", kwargs={"case_id": case.public_id})
    client.post(edit_url, form_data(school_class))  # sent from one tab
    response = client.post(edit_url, form_data(school_class, action="save", pupil_first_name="Late"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.public_id})
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert case.pupil_first_name == "Emma"


@pytest.mark.french
def test_the_form_headings_and_hints_are_in_french(client, director_a, school_class, new_url):
    client.force_login(director_a)
    page = client.get(new_url).content.decode()
    assert "Premier parent ou tuteur" in page
    assert "Second parent ou tuteur (uniquement si deux signent)" in page
    assert "L’endroit où la partie du kit destinée au domicile est installée." in page
    assert "First parent or guardian" not in page
    assert "Where the home side of the kit" not in page


def test_internet_at_home_left_unanswered_does_not_stop_the_form_or_the_service(
    client, director_a, school_class, new_url
):
    # "I don't know" is a valid answer, and the case cannot tell it from no answer: the
    # service accepts both, so the form must not refuse what the service would submit.
    client.force_login(director_a)
    response = client.post(new_url, form_data(school_class, home_has_internet=""))
    assert response.status_code == 302
    case = ConnectionCase.objects.get()
    assert case.status == S.SUBMITTED
    assert case.home_has_internet is None


@pytest.mark.parametrize(
    "blank",
    [
        {"pupil_last_name": ""},
        {"home_postcode": "", "guardians_agree": ""},
        {"absence_end": "", "absence_end_unknown": ""},
        {"teacher_names": "", "guardian1_last_name": ""},
        {"school_class": "", "new_class_name": ""},
        {"home_has_internet": ""},
    ],
)
def test_the_form_marks_exactly_the_fields_the_service_finds_missing_in_the_saved_draft(
    school_a, director_a, school_class, blank
):
    from cases.forms import CaseRequestForm
    from cases.services import case_save_draft, request_data_of, request_missing

    data = {**form_data(school_class), **blank}
    data = {key: value for key, value in data.items() if value != ""}
    sending = CaseRequestForm(data, school=school_a, submitting=True)
    sending.is_valid()
    draft = CaseRequestForm(data, school=school_a)
    assert draft.is_valid(), draft.errors
    case = case_save_draft(by=director_a, school=school_a, data=draft.to_data())

    assert set(sending.errors) == set(request_missing(request_data_of(case)))
