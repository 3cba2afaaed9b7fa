"""The rules tests use the same repository and environment fixtures as the settings tests."""

from tests.settings.conftest import env, repo, user_file  # noqa: F401
