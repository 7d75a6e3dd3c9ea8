"""An old version of a model with a state machine is never restored from the admin."""

from django.urls import reverse
import pytest

from cases.models import CaseStatus, ConnectionCase
from loans.models import Kit
from tests.builders.cases import make_case
from tests.builders.loans import make_kit

pytestmark = pytest.mark.django_db


def _version_url(obj, version) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
    )


def test_a_kit_is_not_reverted_to_an_old_version(client, coordinator):
    kit = make_kit(by=coordinator)
    first = kit.history.order_by("history_id").first()
    kit.notes = "Sac neuf"
    kit._history_user = coordinator
    kit.save(update_fields=["notes"])
    versions = kit.history.count()
    client.force_login(coordinator)

    page = client.get(_version_url(kit, first))
    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    response = client.post(_version_url(kit, first), {"code": kit.code, "notes": "", "_save": "Save"})

    assert response.status_code == 403
    assert Kit.objects.get(pk=kit.pk).notes == "Sac neuf"
    assert kit.history.count() == versions


def test_a_case_is_not_reverted_to_an_earlier_state(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=CaseStatus.UNDER_REVIEW)
    first = case.history.order_by("history_id").first()
    assert first.status != CaseStatus.UNDER_REVIEW
    client.force_login(coordinator)

    response = client.post(_version_url(case, first), {"_save": "Save"})

    assert response.status_code == 403
    assert ConnectionCase.objects.get(pk=case.pk).status == CaseStatus.UNDER_REVIEW


def test_a_model_without_states_still_offers_the_revert(client, coordinator, school_a):
    school_a.name = "École A, new name"
    school_a._history_user = coordinator
    school_a.save(update_fields=["name"])
    kit = make_kit(by=coordinator)
    client.force_login(coordinator)

    school_page = client.get(_version_url(school_a, school_a.history.order_by("history_id").first()))
    kit_page = client.get(_version_url(kit, kit.history.order_by("history_id").first()))

    assert (school_page.context["revert_disabled"], kit_page.context["revert_disabled"]) == (False, True)
