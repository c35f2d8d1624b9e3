import pytest

from indicators.models import Indicator, Unit
from taxonomy.models import Outcome
from tests.factories import DirectoryPageFactory, PartnershipPageFactory


@pytest.fixture
def directory(home_page):
    return DirectoryPageFactory(parent=home_page)


@pytest.fixture
def akron(directory):
    return PartnershipPageFactory(parent=directory, title="Akron Learns", slug="akron-learns")


@pytest.fixture
def tulsa(directory):
    return PartnershipPageFactory(parent=directory, title="Tulsa Reads", slug="tulsa-reads", state="OK")


@pytest.fixture
def reading(db):
    return Indicator.objects.create(
        name="Third graders reading at grade level",
        slug="third-grade-reading",
        outcome=Outcome.objects.get(slug="early-grade-reading"),
        unit=Unit.PERCENT,
    )
