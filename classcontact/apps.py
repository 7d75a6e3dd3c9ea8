from django.apps import AppConfig


class ClasscontactConfig(AppConfig):
    name = "classcontact"
    verbose_name = "ClassContact"
