import pytest

from tests.factories import DirectoryPageFactory, PartnershipPageFactory, StandardPageFactory
from website.models import FooterSettings, NavigationSettings


@pytest.fixture
def production(settings, home_page):
    """The production settings that shape responses, with the page cache on."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.X_FRAME_OPTIONS = "DENY"
    for site_setting in (FooterSettings, NavigationSettings):
        site_setting.for_site(home_page.get_site())
    directory = DirectoryPageFactory(parent=home_page)
    PartnershipPageFactory(parent=directory, title="Akron Learns", state="OH")
    StandardPageFactory(parent=home_page, title="About the network", slug="about", introduction="Who we are. " * 40)
    return home_page
