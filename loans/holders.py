"""What a programme tells the kit logistics about the records its loans and visits are for.

The logistics never import a programme. A programme registers, once (in its app's
``ready``), a handler for its model: the logistics ask it whether a kit may come back now,
and tell it when a kit came back or an installation was done, inside their own transaction,
so that the programme's change commits or rolls back with theirs.
"""

from django.contrib.contenttypes.models import ContentType


class HolderHandler:
    """The questions and events of the logistics; a programme overrides what concerns it."""

    def check_in_refusal(self, holder) -> str | None:
        """A message when the kit of ``holder`` may not be checked in now, else None."""
        return None

    def kit_checked_in(self, holder, *, loan, by, summary: str) -> None:
        """The kit lent to ``holder`` came back (``summary`` says in what state)."""

    def installation_done(self, holder, *, visit, by) -> None:
        """An installation visit for ``holder`` was completed: its kit is handed over."""

    def description(self, holder) -> str:
        """What the record is, in a few words, for the loan's page (school, class, period…)."""
        return ""

    def staff_url(self, model, holder_id: int) -> str | None:
        """The staff page of the logistics of one record, if the programme has one."""
        return None


_HANDLERS: dict[str, HolderHandler] = {}


def holder_register(model, handler: HolderHandler) -> None:
    _HANDLERS[model._meta.label_lower] = handler


def holder_of(record) -> tuple[object, HolderHandler] | tuple[None, None]:
    """The locked programme record of a loan, visit or referral, and its programme's handler."""
    if record.holder_type_id is None or record.holder_id is None:
        return None, None
    content_type = ContentType.objects.get_for_id(record.holder_type_id)
    model = content_type.model_class()
    handler = _HANDLERS.get(model._meta.label_lower, HolderHandler())
    holder = model._default_manager.select_for_update().get(pk=record.holder_id)
    return holder, handler


def holder_staff_url(record) -> str | None:
    """Where staff see the programme's side of a loan or visit (one query, for detail pages)."""
    if record.holder_type_id is None or record.holder_id is None:
        return None
    model = ContentType.objects.get_for_id(record.holder_type_id).model_class()
    handler = _HANDLERS.get(model._meta.label_lower, HolderHandler())
    return handler.staff_url(model, record.holder_id)


def holder_description(record) -> str:
    """What the programme says of the record of a loan or visit (a few queries, for detail pages)."""
    if record.holder_type_id is None or record.holder_id is None:
        return ""
    model = ContentType.objects.get_for_id(record.holder_type_id).model_class()
    handler = _HANDLERS.get(model._meta.label_lower, HolderHandler())
    holder = model._default_manager.filter(pk=record.holder_id).first()
    return handler.description(holder) if holder is not None else ""
