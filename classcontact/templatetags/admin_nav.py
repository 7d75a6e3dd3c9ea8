"""``{% nav_sidebar %}``: Django's admin side bar (``admin/nav_sidebar.html``), drawn once per
set of rights, language and page address matches (see classcontact.admin_site)."""

from django import template
from django.contrib import admin

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    sidebar = context.template.engine.get_template("admin/nav_sidebar.html")

    def render():
        return sidebar.render(context)

    nav_sidebar_html = getattr(admin.site, "nav_sidebar_html", None)
    return nav_sidebar_html(context, render) if nav_sidebar_html else render()
