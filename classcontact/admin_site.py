"""The admin site: Django's, with its side bar of apps and models built once, not on every page.

Every admin page lists the apps and models the person may see (``get_app_list``, drawn in
the side bar): for each of the ~45 models, four permission checks, two addresses resolved,
names translated and sorted; then the side bar's template draws them, comparing each
address with the page's. On a change list this was about a quarter of the page's time.

The list depends only on what the person may do (their permissions, or being a superuser),
the language, the address prefix and the registered models (every ``has_*_permission`` of
the registered admins reads the permissions only, or is constant: keep it so). It is kept
per process under those, and each page gets its own copy; a change of rights changes the
key, so the next page shows it. The side bar's HTML is kept the same way
(``nav_sidebar_html``), also keyed by which of its addresses the page's address contains,
the only thing its template reads from the page.
"""

from urllib.parse import quote

from django.contrib import admin
from django.urls import get_script_prefix
from django.utils.translation import get_language

# Kept lists and side bars: a few per set of rights in use; emptied when full.
MAX_KEPT = 256


def rights_key(user) -> tuple:
    """What the app list of ``user`` depends on, besides the language and the site."""
    if not user.is_active:
        return ("inactive",)
    if user.is_superuser:
        # Allowed everything without reading permissions (reading them would be a query).
        return ("superuser", user.is_staff)
    return ("staff" if user.is_staff else "user", frozenset(user.get_all_permissions()))


def _keep(store: dict, key, value):
    if len(store) >= MAX_KEPT:
        store.clear()
    store[key] = value
    return value


class PortalAdminSite(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict = {}
        self._sidebars: dict = {}

    def _page_key(self, request) -> tuple:
        return (rights_key(request.user), get_language(), get_script_prefix())

    def get_app_list(self, request, app_label=None):
        key = (*self._page_key(request), app_label)
        apps = self._app_lists.get(key)
        if apps is None:
            apps = _keep(self._app_lists, key, super().get_app_list(request, app_label))
        # A copy: a page may change the list it is given.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in apps]

    def each_context(self, request):
        return {**super().each_context(request), "nav_sidebar_key": self._page_key(request)}

    def nav_sidebar_html(self, context, render) -> str:
        """The side bar of the page of ``context``: ``render()`` once per set of rights,
        language and page address matches."""
        page_key, request = context.get("nav_sidebar_key"), context.get("request")
        if page_key is None or request is None:
            return render()
        # The template's only reads of the page: ``address in request.path|urlencode``.
        path = quote(request.path, safe="/")
        apps = context.get("available_apps") or []
        urls = [url for app in apps for url in (app["app_url"], *(m["admin_url"] for m in app["models"]))]
        key = (page_key, frozenset(url for url in urls if url and url in path))
        html = self._sidebars.get(key)
        return html if html is not None else _keep(self._sidebars, key, render())
