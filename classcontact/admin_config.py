from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the portal's site (classcontact.admin_site)."""

    default_site = "classcontact.admin_site.PortalAdminSite"
