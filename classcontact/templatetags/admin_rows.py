"""``{% quick_result_list cl %}``: Django's ``{% result_list cl %}`` with the rows of a
``QuickRowsChangeList`` (classcontact.admin_rows)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields, results
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def quick_result_list(cl) -> dict:
    headers = list(result_headers(cl))
    quick_rows = getattr(cl, "quick_rows", None)
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": quick_rows() if quick_rows else list(results(cl)),
    }


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_result_list, template_name="change_list_results.html", takes_context=False
    )
