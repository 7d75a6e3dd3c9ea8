from django.apps import AppConfig


class ClasscontactConfig(AppConfig):
    name = "classcontact"
    verbose_name = "ClassContact"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save, pre_save

        from . import sessions

        user_logged_in.connect(sessions.note_login, dispatch_uid="classcontact.note_login")
        user_model = get_user_model()
        pre_save.connect(
            sessions.remember_session_ending_fields, sender=user_model, dispatch_uid="sessions.pre"
        )
        post_save.connect(sessions.end_sessions_after_save, sender=user_model, dispatch_uid="sessions.post")
