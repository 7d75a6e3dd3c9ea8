"""Writes to the school directory and accounts."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.emails import send_templated_mail
from classcontact.errors import DomainError
from classcontact.tokens import hash_token, token_new

from .models import Invitation, Membership, MembershipRole, School, StaffRole, User

logger = logging.getLogger(__name__)

MANAGER_ROLES = (MembershipRole.DIRECTOR, MembershipRole.DELEGATE)

ERROR_INVITATION_UNKNOWN = _("This invitation link is not valid. Check that you copied it whole.")
ERROR_INVITATION_EXPIRED = _(
    "This invitation has expired. Ask the person who invited you, or the ClassContact team, for a new one."
)
ERROR_INVITATION_USED = _("This invitation has already been used. Log in with your e-mail and password.")
# What the link's visitor sees in each of those cases: one page, which tells nobody whether a
# link exists, ran out or was used.
ERROR_INVITATION_DEAD = _(
    "This invitation link cannot be used. Ask the person who invited you for a new one, or log in "
    "if you already have an account."
)
ERROR_ACCOUNT_DEACTIVATED = _(
    "This invitation cannot be used: the account of this e-mail address was closed by the "
    "ClassContact team. Contact them if you need access again."
)
ERROR_ALREADY_MEMBER = _("This person already belongs to this school.")
ERROR_UNKNOWN_ROLE = _("Choose one of the roles offered.")


class InvitationError(DomainError):
    """An invitation link that cannot be used; ``message`` says why."""


@transaction.atomic
def invitation_create(*, school: School, email: str, role: str, invited_by: User) -> Invitation:
    """Invite someone to join ``school`` with ``role``.

    Effects: older unanswered invitations of the same address to the same school expire now
    (only the newest link works); stores the invitation (only the token's hash); e-mails the
    link, in the invitee's language when they already have an account, after commit.
    """
    email = email.strip().lower()
    if role not in MembershipRole.values:
        raise InvitationError(ERROR_UNKNOWN_ROLE)
    school = School.objects.select_for_update().get(pk=school.pk)
    if Membership.objects.filter(school=school, user__email__iexact=email).exists():
        raise InvitationError(ERROR_ALREADY_MEMBER)
    now = timezone.now()
    for older in Invitation.objects.select_for_update().filter(
        school=school, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ):
        older.expires_at = now
        older._history_user = invited_by
        older.save(update_fields=["expires_at"])
    token, token_hash = token_new()
    invitation = Invitation(
        email=email, school=school, role=role, token_hash=token_hash, invited_by=invited_by
    )
    invitation._history_user = invited_by
    invitation.save()
    existing = User.objects.filter(email__iexact=email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    context = {
        "school_name": school.name,
        "role": invitation.get_role_display(),
        "link": settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token}),
        "expires_at": invitation.expires_at,
        "inviter": str(invited_by),
    }
    send_templated_mail(name="invitation", to=[email], context=context, language=language)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind ``token``, or an ``InvitationError`` saying why it cannot be used."""
    invitation = Invitation.objects.select_related("school").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError(ERROR_INVITATION_UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationError(ERROR_INVITATION_USED)
    if invitation.is_expired:
        raise InvitationError(ERROR_INVITATION_EXPIRED)
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is not None and account.is_staff and not account.is_active:
        _deactivated_staff_invited(invitation=invitation, account=account)
        raise InvitationError(ERROR_ACCOUNT_DEACTIVATED)
    return invitation


def _deactivated_staff_invited(*, invitation: Invitation, account: User) -> None:
    """A school's invitation must not bring a closed staff account back: only staff reopen one.

    Effects: a warning in the log, and a mail to the active coordinators, each time the link
    is used, so that they can look at who invited whom.
    """
    logger.warning(
        "Invitation %s to %s refused: %s is a deactivated staff account.",
        invitation.pk,
        invitation.school_id,
        account.email,
    )
    coordinators = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=StaffRole.COORDINATOR)
        .distinct()
        .values_list("email", flat=True)
    )
    if not coordinators:
        return
    context = {
        "email": account.email,
        "school_name": invitation.school.name,
        "inviter": str(invitation.invited_by) if invitation.invited_by else "",
    }
    send_templated_mail(name="invitation-deactivated-staff", to=coordinators, context=context)


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str, language: str) -> User:
    """Accept an invitation: create (or reuse) the account, set its password, add the membership.

    Effects: the account's password, names and language; a membership in the school with the
    invited role; the invitation marked used so that the link is dead.
    """
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().select_related("school").get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # somebody was faster
        raise InvitationError(ERROR_INVITATION_USED)
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(email=invitation.email)
    elif user.is_staff and not user.is_active:  # closed since the link was checked
        raise InvitationError(ERROR_ACCOUNT_DEACTIVATED)
    user.first_name = first_name
    user.last_name = last_name
    user.language = language
    user.is_active = True  # a school person closed by mistake comes back; staff never do (see above)
    user.set_password(password)
    user._history_user = user
    user.save()
    membership_set(user=user, school=invitation.school, role=invitation.role, changed_by=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def membership_set(*, user: User, school: School, role: str, changed_by: User | None = None) -> Membership:
    """Give ``user`` the ``role`` in ``school``, creating the membership when missing."""
    membership = Membership.objects.select_for_update().filter(user=user, school=school).first()
    if membership is None:
        membership = Membership(user=user, school=school, role=role)
        membership._history_user = changed_by
        membership.save()
    elif membership.role != role:
        membership.role = role
        membership._history_user = changed_by
        membership.save(update_fields=["role"])
    return membership


def login_lockout_reset(*, attempt: AccessAttempt, reset_by: User) -> int:
    """Let a locked e-mail address log in again from the address it was locked at.

    Effects: django-axes forgets the failed attempts of that e-mail and address pair; the
    unlock is logged with who did it. Returns the number of attempt records removed.
    """
    removed = axes_reset(username=attempt.username, ip=attempt.ip_address)
    logger.warning(
        "Login unlocked for %s from %s by %s (%d records).",
        attempt.username,
        attempt.ip_address,
        reset_by.email,
        removed,
    )
    return removed


def login_lockouts_clear(*, email: str) -> int:
    """Forget every failed login of ``email``, from any address.

    Called once the person proved they own the mailbox (a password reset link worked).
    """
    return axes_reset(username=email.strip().lower())
