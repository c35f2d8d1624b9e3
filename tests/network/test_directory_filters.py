import pytest
from bs4 import BeautifulSoup

from taxonomy.geography import REGIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(make_partnership):
    """Five partnerships chosen so every filter splits them differently."""
    return {
        "cincinnati": make_partnership(
            title="Cincinnati Learning",
            city="Cincinnati",
            state="OH",
            stage="proof-point",
            outcomes=["kindergarten-readiness", "early-grade-reading"],
            year_joined=2011,
        ),
        "dayton": make_partnership(
            title="Dayton Kids First",
            city="Dayton",
            state="OH",
            stage="sustaining",
            outcomes=["kindergarten-readiness"],
            year_joined=2012,
        ),
        "phoenix": make_partnership(
            title="Phoenix Cradle to Career",
            city="Phoenix",
            state="AZ",
            stage="sustaining",
            outcomes=["postsecondary-enrolment"],
            year_joined=2014,
        ),
        "albany": make_partnership(
            title="Albany Promise",
            city="Albany",
            state="NY",
            stage="systems-change",
            outcomes=["early-grade-reading", "postsecondary-completion"],
            year_joined=2013,
        ),
        "milwaukee": make_partnership(
            title="Milwaukee Learns",
            city="Milwaukee",
            state="WI",
            stage="emerging",
            outcomes=["high-school-graduation"],
            year_joined=2020,
            anchor_organisation="Greater Milwaukee Foundation",
        ),
    }


def names(client, directory, **params):
    response = client.get(directory.url, params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select(".partnership-card__name a")]


def counts(client, directory, **params):
    response = client.get(directory.url, params)
    soup = BeautifulSoup(response.content, "html.parser")
    result = {}
    for box in soup.select(".facet input[type=checkbox]"):
        count = box.parent.select_one(".facet__count").get_text().strip("()")
        result[(box["name"], box["value"])] = int(count)
    return result


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                "Albany Promise",
                "Cincinnati Learning",
                "Dayton Kids First",
                "Milwaukee Learns",
                "Phoenix Cradle to Career",
            ],
        ),
        ({"state": "OH"}, ["Cincinnati Learning", "Dayton Kids First"]),
        ({"state": ["OH", "AZ"]}, ["Cincinnati Learning", "Dayton Kids First", "Phoenix Cradle to Career"]),
        ({"region": "midwest"}, ["Cincinnati Learning", "Dayton Kids First", "Milwaukee Learns"]),
        ({"region": ["west", "northeast"]}, ["Albany Promise", "Phoenix Cradle to Career"]),
        ({"stage": "sustaining"}, ["Dayton Kids First", "Phoenix Cradle to Career"]),
        ({"outcome": "early-grade-reading"}, ["Albany Promise", "Cincinnati Learning"]),
        (
            {"outcome": ["early-grade-reading", "kindergarten-readiness"]},
            ["Albany Promise", "Cincinnati Learning", "Dayton Kids First"],
        ),
        ({"q": "dayton"}, ["Dayton Kids First"]),
        ({"q": "PHOENIX"}, ["Phoenix Cradle to Career"]),
        ({"q": "Greater Milwaukee"}, ["Milwaukee Learns"]),
    ],
    ids=[
        "all",
        "state",
        "two-states",
        "region",
        "two-regions",
        "stage",
        "outcome",
        "two-outcomes",
        "text-city",
        "text-case",
        "text-anchor",
    ],
)
def test_each_filter_alone(client, directory, network, params, expected):
    assert names(client, directory, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "OH", "stage": "sustaining"}, ["Dayton Kids First"]),
        ({"region": "midwest", "outcome": "kindergarten-readiness"}, ["Cincinnati Learning", "Dayton Kids First"]),
        ({"stage": "sustaining", "outcome": "postsecondary-enrolment", "region": "west"}, ["Phoenix Cradle to Career"]),
        ({"q": "learn", "region": "midwest"}, ["Cincinnati Learning", "Milwaukee Learns"]),
        ({"state": "OH", "region": "west"}, []),
    ],
)
def test_filters_combine(client, directory, network, params, expected):
    assert names(client, directory, **params) == expected


def test_a_filter_that_matches_nothing_says_so_and_offers_a_way_back(client, directory, network):
    response = client.get(directory.url, {"state": "OH", "stage": "emerging"})

    soup = BeautifulSoup(response.content, "html.parser")
    assert "No partnership matches these filters" in soup.select_one(".empty-state").get_text()
    assert soup.select_one(".empty-state a")["href"] == directory.url


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, directory, network):
    result = counts(client, directory, state="OH")

    # Stage and outcome counts are within Ohio...
    assert result[("stage", "proof-point")] == 1
    assert result[("stage", "sustaining")] == 1
    assert result[("stage", "emerging")] == 0
    assert result[("outcome", "kindergarten-readiness")] == 2
    # ...while the state facet still counts every state, so another can be added.
    assert result[("state", "AZ")] == 1 and result[("state", "OH")] == 2
    assert result[("region", "midwest")] == 2  # region counts honour the state filter


def test_unknown_filter_values_are_ignored_not_an_error(client, directory, network):
    assert len(names(client, directory, state="ZZ", stage="<script>")) == 5


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("name", "Albany Promise"),
        ("state", "Phoenix Cradle to Career"),
        ("newest", "Milwaukee Learns"),
        ("oldest", "Cincinnati Learning"),
    ],
)
def test_sorting(client, directory, network, sort, first):
    assert names(client, directory, sort=sort)[0] == first


def test_regions_cover_every_state_once():
    from taxonomy.geography import STATES

    all_states = [state for _, states in REGIONS.values() for state in states]
    assert sorted(all_states) == sorted(STATES)


@pytest.mark.parametrize(
    ("page", "expected_count", "expected_label"),
    [("1", 24, "Page 1 of 2"), ("2", 1, "Page 2 of 2"), ("99", 1, "Page 2 of 2"), ("abc", 24, "Page 1 of 2")],
)
def test_pagination_edges(client, directory, make_partnership, page, expected_count, expected_label):
    for _ in range(25):
        make_partnership()

    response = client.get(directory.url, {"page": page, "stage": "emerging"})

    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".partnership-card")) == expected_count
    assert soup.select_one('.pagination [aria-current="page"]').get_text() == expected_label
    for link in soup.select(".pagination a"):
        assert "stage=emerging" in link["href"], "filters survive paging"


def test_exactly_one_page_has_no_pagination(client, directory, make_partnership):
    for _ in range(24):
        make_partnership()

    soup = BeautifulSoup(client.get(directory.url).content, "html.parser")

    assert len(soup.select(".partnership-card")) == 24
    assert not soup.select(".pagination")


def test_map_links_each_state_with_partnerships_to_its_filtered_view(client, directory, network):
    soup = BeautifulSoup(client.get(directory.url, {"stage": "sustaining"}).content, "html.parser")

    links = {a["aria-label"]: a["href"] for a in soup.select(".tile-map a")}
    assert links == {
        "AZ, Arizona: 1 partnership": "?stage=sustaining&state=AZ",
        "OH, Ohio: 1 partnership": "?stage=sustaining&state=OH",
    }
    assert len(soup.select(".tile-map .tile-map__state")) == 51


@pytest.mark.parametrize("partnerships", [10, 500])
def test_directory_query_count_does_not_grow_with_partnerships(
    client, directory, partnerships, django_assert_max_num_queries
):
    from tests.factories import ImageFactory, PartnershipPageFactory
    from website.services import indexes_updated_after

    logo = ImageFactory()
    with indexes_updated_after():  # the page reads neither index; half the time of a save
        for index in range(partnerships):
            PartnershipPageFactory(
                parent=directory,
                state=["OH", "AZ", "NY", "TX"][index % 4],
                logo=logo,
                outcomes=["kindergarten-readiness", "employment"] if index < 30 else None,
            )
    client.get(directory.url)

    with django_assert_max_num_queries(15):
        response = client.get(directory.url, {"region": "midwest", "outcome": "kindergarten-readiness"})
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(directory.url).status_code == 200
