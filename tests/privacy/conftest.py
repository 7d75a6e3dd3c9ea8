# The documents' wordings, as the data migration creates them (a flushed database lacks them).
from tests.conventions.conftest import _default_wording  # noqa: F401 - an autouse fixture
