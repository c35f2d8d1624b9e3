import pytest

from tests.factories import DirectoryPageFactory, PartnershipPageFactory


@pytest.fixture
def directory(home_page):
    return DirectoryPageFactory(parent=home_page)


@pytest.fixture
def make_partnership(directory):
    def make(**fields):
        return PartnershipPageFactory(parent=directory, **fields)

    return make
