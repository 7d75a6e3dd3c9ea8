"""Writes to the school directory and accounts."""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.emails import send_templated_mail

from .models import Invitation, Membership, MembershipRole, School, User

ERROR_INVITATION_UNKNOWN = _("This invitation link is not valid. Check that you copied it whole.")
ERROR_INVITATION_EXPIRED = _("This invitation has expired. Ask the ClassContact team for a new one.")
ERROR_INVITATION_USED = _("This invitation has already been used. Log in with your e-mail and password.")
ERROR_ALREADY_MEMBER = _("This person already belongs to this school.")


class InvitationError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, school: School, email: str, role: str, invited_by: User) -> Invitation:
    """Invite someone to join ``school`` with ``role``.

    Effects: stores the invitation (only the token's hash), e-mails the link after commit.
    """
    email = email.strip().lower()
    if Membership.objects.filter(school=school, user__email__iexact=email).exists():
        raise InvitationError(ERROR_ALREADY_MEMBER)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email, school=school, role=role, token_hash=hash_token(token), invited_by=invited_by
    )
    invitation._history_user = invited_by
    invitation.save()
    existing = User.objects.filter(email__iexact=email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    context = {
        "school_name": school.name,
        "role": invitation.get_role_display(),
        "link": f"{settings.SITE_URL}/accounts/invitation/{token}/",
        "expires_at": invitation.expires_at,
        "inviter": str(invited_by),
    }
    transaction.on_commit(
        lambda: send_templated_mail(name="invitation", to=[email], context=context, language=language)
    )
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
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str, language: str) -> User:
    """Accept an invitation: create (or reuse) the account, set its password, add the membership.

    Effects: the account's password and names, a membership in the school, the invitation
    marked used so that the link is dead.
    """
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # somebody was faster
        raise InvitationError(ERROR_INVITATION_USED)
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(email=invitation.email)
    user.first_name = first_name
    user.last_name = last_name
    user.language = language
    user.is_active = True
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user, school=invitation.school, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def membership_set(*, user: User, school: School, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, school=school, defaults={"role": role}
    )
    return membership


MANAGER_ROLES = (MembershipRole.DIRECTOR, MembershipRole.DELEGATE)
