"""The portal's PostgreSQL backend (``base.py``) and what statements written by hand need."""


def columns(model, alias: str) -> str:
    """The model's columns named one by one (``alias."column", …``) for a statement written by
    hand: like the ORM's, its result keeps its shape when a migration adds a column, where a
    prepared ``SELECT *`` would fail on every kept connection until the server restarts."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)
