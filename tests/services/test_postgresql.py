import pytest
from django.db import connection

from tests.conftest import service_unavailable
from website.models import CustomImage

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("DATABASE_URL does not name a PostgreSQL database")


def test_suite_runs_on_a_real_postgresql_server(postgresql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int, inet_server_addr()")
        version, address = cursor.fetchone()

    assert version >= 150000
    assert address is not None, "connected over TCP to the test server, not a mock"


def test_a_row_written_through_the_orm_comes_back_from_postgresql(postgresql):
    from tests.factories import ImageFactory

    image = ImageFactory(title="Round trip")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title FROM {CustomImage._meta.db_table} WHERE id = %s", [image.pk])
        assert cursor.fetchone() == ("Round trip",)
