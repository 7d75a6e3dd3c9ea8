"""The one place that builds test objects, a module per app: ``from tests.builders.cases import make_case``."""
