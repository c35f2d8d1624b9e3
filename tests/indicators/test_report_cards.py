"""Report cards: figures by year and group on the partnership page as an accessible SVG
chart and a table, suppressed and missing figures never shown as zero, a CSV download,
and the network's comparison of one indicator."""

import csv
import io
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from indicators.models import IndicatorValue, PopulationGroup
from network.models import PartnershipPage

pytestmark = pytest.mark.django_db


def figure(partnership, indicator, year, value=None, *, group=PopulationGroup.ALL, suppressed=False):
    return IndicatorValue.objects.create(
        partnership=partnership,
        indicator=indicator,
        year=year,
        group=group,
        value=None if value is None else Decimal(str(value)),
        suppressed=suppressed,
        source="State report card",
    )


@pytest.fixture
def akron_card(akron, reading):
    figure(akron, reading, 2019, 38.5)
    figure(akron, reading, 2021, 41)  # 2020 not reported
    figure(akron, reading, 2022, 44.2)
    figure(akron, reading, 2019, 30, group=PopulationGroup.BLACK)
    figure(akron, reading, 2021, group=PopulationGroup.BLACK, suppressed=True)
    figure(akron, reading, 2022, 0, group=PopulationGroup.BLACK)  # a real zero stays a zero
    return akron


def svgs(html):
    return [ElementTree.fromstring(match) for match in re.findall(r"<svg class=\"chart chart--.*?</svg>", html, re.S)]


def test_the_partnership_page_shows_each_indicator_as_an_accessible_chart_and_a_table(client, akron_card):
    html = client.get(akron_card.url).content.decode()
    assert "Report card" in html and "Third graders reading at grade level" in html

    (chart,) = svgs(html)
    assert chart.get("role") == "img"
    title_id, desc_id = chart.get("aria-labelledby").split()
    assert chart.find("title").get("id") == title_id and chart.find("desc").get("id") == desc_id
    description = chart.find("desc").text
    assert "All students: 38.5% in 2019, 44.2% in 2022; not reported in 2020." in description
    assert "Black: 30% in 2019, 0% in 2022; suppressed in 2021; not reported in 2020." in description
    series = chart.findall("g[@class]")
    lines = [group for group in series if group.get("class").startswith("chart__series")]
    assert len(lines) == 2
    all_students, black = ([path.get("d") for path in group.findall("path[@class='chart__line']")] for group in lines)
    assert len(all_students) == 1 and all_students[0].count("L") == 1, "2019 stands alone: the line breaks at 2020"
    assert black == [], "no two consecutive reported years: markers only, no line through the gaps"
    assert "<script" not in html.split("Report card", 1)[1].split("</section>", 1)[0]

    table = html.split('<table class="data-table">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [re.sub(r"<[^>]+>", "|", row) for row in rows]
    assert "2019" in cells[0] and "2020" in cells[0] and "2022" in cells[0] and "Baseline to latest" in cells[0]
    assert re.search(
        r"(?s)All students\|.*38\.5%.*not reported.*41%.*44\.2%.*38\.5% \(2019\) → 44\.2% \(2022\), \+5\.7 points",
        cells[1],
    )
    assert re.search(r"(?s)Black\|.*30%.*not reported.*suppressed.*\|0%\|.*−30 points", cells[2])


def test_the_report_card_csv_has_every_figure_with_suppressed_ones_empty_not_zero(client, akron_card):
    response = client.get("/indicators/partnership/akron-learns/report-card.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_key = {(row["group"], row["year"]): row for row in rows}
    assert len(rows) == 6, "years without a figure have no row"
    assert by_key[("all", "2019")]["value"] == "38.5" and by_key[("all", "2019")]["unit"] == "percent"
    assert by_key[("black", "2021")]["value"] == "" and by_key[("black", "2021")]["suppressed"] == "yes"
    assert by_key[("black", "2022")]["value"] == "0" and by_key[("black", "2022")]["suppressed"] == "no"
    assert (
        client.get(akron_card.url).content.decode().count('href="/indicators/partnership/akron-learns/report-card.csv"')
        == 1
    )


def test_an_unpublished_partnership_has_no_public_report_card(client, akron_card):
    akron_card.unpublish()
    assert client.get("/indicators/partnership/akron-learns/report-card.csv").status_code == 404


def test_a_partnership_without_figures_shows_no_report_card(client, akron):
    assert "Report card" not in client.get(akron.url).content.decode()


def test_the_network_view_compares_partnerships_and_sorts_by_any_column(client, akron_card, tulsa, reading, directory):
    figure(tulsa, reading, 2019, 50)
    figure(tulsa, reading, 2022, 47)
    dayton = PartnershipPage.objects.get(
        pk=directory.add_child(instance=PartnershipPage(title="Dayton", slug="dayton", state="OH")).pk
    )
    dayton.save_revision().publish()
    figure(dayton, reading, 2022, suppressed=True)

    def names(sort):
        html = client.get(f"/indicators/third-grade-reading/?sort={sort}").content.decode()
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html), html

    order, html = names("value")
    assert order == ["Akron Learns", "Tulsa Reads", "Dayton"], "lowest latest first; suppressed last"
    assert names("-value")[0] == ["Tulsa Reads", "Akron Learns", "Dayton"]
    assert names("change")[0] == ["Tulsa Reads", "Akron Learns", "Dayton"]
    assert names("-name")[0] == ["Tulsa Reads", "Dayton", "Akron Learns"]
    assert 'aria-sort="ascending"' in html and "suppressed (2022)" in html

    (chart,) = svgs(html)
    assert chart.get("role") == "img"
    bars = chart.findall(".//rect")
    assert len(bars) == 2, "a suppressed figure gets a label, not a zero-length bar"
    assert "Dayton: suppressed (2022)." in chart.find("desc").text

    black = client.get("/indicators/third-grade-reading/?group=black").content.decode()
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', black) == ["Akron Learns"]


def test_the_indicator_index_lists_indicators_partnerships_report(client, akron_card, reading):
    html = client.get("/indicators/").content.decode()
    assert "Early-grade reading" in html and 'href="/indicators/third-grade-reading/"' in html
    assert "1 partnership" in html


def test_reported_indicators_feed_the_directorys_outcome_filter_and_its_counts(client, akron_card, tulsa, directory):
    assert not akron_card.outcomes.exists() and not tulsa.outcomes.exists()
    response = client.get(directory.url, {"outcome": "early-grade-reading"})
    assert [partnership.title for partnership in response.context["partnerships"]] == ["Akron Learns"]
    facets = {name: options for name, _, options in client.get(directory.url).context["facets"]}
    counts = {slug: count for slug, _, count in facets["outcome"]}
    assert counts["early-grade-reading"] == 1 and counts["kindergarten-readiness"] == 0


def test_site_search_finds_indicators_that_partnerships_report(client, akron_card, reading):
    html = client.get("/search/", {"q": "reading grade level"}).content.decode()
    assert "Outcome indicators" in html and 'href="/indicators/third-grade-reading/"' in html
    assert "Outcome indicators" not in client.get("/search/", {"q": "graduation"}).content.decode()
