"""The login backend: Django's, loading each request's person with their roles."""

from django.contrib.auth.backends import ModelBackend

from .selectors import user_with_roles


class RolesModelBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` (run by every request of a signed-in person) reads
    the person and the names of their roles in one query instead of two."""

    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
