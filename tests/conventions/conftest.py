import pytest


@pytest.fixture(autouse=True)
def _default_wording(request):
    """Version 1 of every wording, as the data migration creates it.

    Tests that flush the database (``transaction=True``) remove what migrations created,
    so every test that uses the database puts it back first (it is idempotent).
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from conventions.services import ensure_default_templates

    ensure_default_templates()
