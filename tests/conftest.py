import os

import pytest

from tests.factories import home_page_as_site_root

# The test command (scripts/test.sh) starts every service and sets this, so a service
# that cannot be reached fails the run instead of skipping its tests.
SERVICES_REQUIRED = os.environ.get("TEST_REQUIRE_SERVICES") == "1"


def service_unavailable(reason):
    """Skip on a developer's fast path, fail under the test command."""
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (the test command must provide it)")
    pytest.skip(reason)


@pytest.fixture
def home_page(db):
    return home_page_as_site_root()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
