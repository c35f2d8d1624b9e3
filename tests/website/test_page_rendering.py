import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests.factories import ImageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def assert_accessible_skeleton(soup):
    """What every page must have: one h1, a working skip link, landmarks, alt on images."""
    assert len(soup.find_all("h1")) == 1
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#main-content"
    assert soup.select_one("main#main-content")
    assert soup.select_one("header") and soup.select_one("footer")
    assert soup.select_one("nav[aria-label=Main]")
    assert soup.html["lang"] == "en"
    assert all(img.has_attr("alt") for img in soup.find_all("img"))
    assert not soup.select('link[rel=stylesheet][href^="http"], link[rel=icon][href^="http"], script[src^="http"]'), (
        "assets must be served by the site"
    )


def home_with_cards(home_page, count):
    pages = [StandardPageFactory(parent=home_page, listing_image=ImageFactory()) for _ in range(count)]
    home_page.body = [
        ("featured_pages", {"heading": "Featured", "intro": "", "pages": pages, "more_link": {}}),
        ("latest_pages", {"heading": "Latest", "index_page": home_page, "count": count}),
        (
            "call_to_action",
            {
                "heading": "Get the weekly digest",
                "text": "Every Friday.",
                "link": {"label": "Subscribe", "page": None, "url": "https://example.org/s"},
            },
        ),
    ]
    home_page.save_revision().publish()
    return pages


def test_home_page_shows_hero_featured_latest_and_call_to_action(client, home_page):
    pages = home_with_cards(home_page, 3)

    soup = soup_of(client.get("/"))

    assert soup.h1.get_text() == home_page.hero_heading
    featured, latest = soup.select(".card-section")
    assert [a.get_text() for a in featured.select(".card__title a")] == [p.title for p in pages]
    assert [a.get_text() for a in latest.select(".card__title a")] == [p.title for p in reversed(pages)]
    assert soup.select_one(".cta a")["href"] == "https://example.org/s"
    assert_accessible_skeleton(soup)


def test_home_page_leaves_out_unpublished_featured_pages(client, home_page):
    pages = home_with_cards(home_page, 2)
    pages[0].unpublish()

    soup = soup_of(client.get("/"))

    featured = soup.select(".card-section")[0]
    assert [a.get_text() for a in featured.select(".card__title a")] == [pages[1].title]


def test_home_page_cards_follow_every_publish_at_once(client, home_page):
    """The cards are kept between renders for the page-cache generation; a publish starts a new one."""
    pages = home_with_cards(home_page, 2)
    soup_of(client.get("/"))

    pages[0].title = "Retitled"
    pages[0].save_revision().publish()
    newest = StandardPageFactory(parent=home_page, title="Newest", live=False)
    newest.save_revision().publish()
    pages[1].unpublish()

    featured, latest = soup_of(client.get("/")).select(".card-section")
    assert [a.get_text() for a in featured.select(".card__title a")] == ["Retitled"]
    assert [a.get_text() for a in latest.select(".card__title a")] == [newest.title, "Retitled"]


@pytest.mark.parametrize("cards", [2, 12])
def test_home_page_query_count_does_not_grow_with_cards(client, home_page, cards, django_assert_max_num_queries):
    home_with_cards(home_page, cards)
    client.get("/")  # renditions are created on the first view

    with django_assert_max_num_queries(15):
        soup_of(client.get("/"))


def test_standard_page_renders_every_body_block(client, home_page):
    image = ImageFactory(description="Families at a reading event")
    document = Document.objects.create(title="2025 report card", file=ContentFile(b"%PDF-1.4", name="report.pdf"))
    page = StandardPageFactory(
        parent=home_page,
        title="About the network",
        body=[
            ("heading", {"text": "Outcomes", "level": "h2"}),
            ("paragraph", "<p>Kindergarten readiness and <b>3rd-grade reading</b>.</p>"),
            (
                "image",
                {
                    "image": image,
                    "alt_text": "",
                    "decorative": False,
                    "caption": "Reading night",
                    "attribution": "Staff",
                },
            ),
            ("quote", {"quote": "Same data, same table.", "attribution": "A director", "role": "Partnership"}),
            ("document", {"document": document, "title": ""}),
            (
                "statistics",
                {"heading": "At a glance", "items": [{"figure": "74%", "label": "ready", "source": "Report"}]},
            ),
        ],
    )

    soup = soup_of(client.get(page.url))

    assert soup.h1.get_text() == "About the network"
    assert soup.find("h2", string="Outcomes")
    assert soup.select_one(".rich-text b").get_text() == "3rd-grade reading"
    assert soup.select_one(".block-image img")["alt"] == "Families at a reading event"
    assert "Reading night" in soup.select_one(".block-image figcaption").get_text()
    assert soup.select_one(".block-quote blockquote").get_text(strip=True) == "Same data, same table."
    assert "2025 report card" in soup.select_one(".document-link").get_text()
    assert soup.select_one(".statistic__figure").get_text() == "74%"
    assert_accessible_skeleton(soup)


def test_decorative_image_has_empty_alt(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        body=[
            ("image", {"image": ImageFactory(), "alt_text": "", "decorative": True, "caption": "", "attribution": ""})
        ],
    )

    soup = soup_of(client.get(page.url))

    assert soup.select_one(".block-image img")["alt"] == ""


def test_standard_page_query_count_is_pinned(client, home_page, django_assert_max_num_queries):
    page = StandardPageFactory(parent=home_page, body=[("paragraph", "<p>Text</p>")])
    client.get(page.url)

    with django_assert_max_num_queries(10):
        soup_of(client.get(page.url))


def test_page_meta_tags_give_canonical_description_and_social_card(client, home_page):
    page = StandardPageFactory(
        parent=home_page, search_description="How partnerships grow.", social_image=ImageFactory()
    )

    soup = soup_of(client.get(page.url))

    assert soup.select_one('link[rel="canonical"]')["href"] == page.get_full_url()
    assert soup.select_one('meta[name="description"]')["content"] == "How partnerships grow."
    assert soup.select_one('meta[property="og:title"]')["content"] == page.title
    assert soup.select_one('meta[property="og:image"]')["content"].startswith("http://localhost/media/")
    assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"


def test_navigation_and_footer_come_from_site_settings(client, home_page):
    from website.models import FooterSettings, NavigationSettings

    about = StandardPageFactory(parent=home_page, title="About the network")
    navigation = NavigationSettings.for_site(home_page.get_site())
    navigation.primary_links = [("link", {"label": "About us", "page": about, "url": ""})]
    navigation.save()
    footer = FooterSettings.for_site(home_page.get_site())
    footer.links = [("link", {"label": "Partner site", "page": None, "url": "https://partner.example"})]
    footer.contact_email = "hello@network.example"
    footer.save()

    soup = soup_of(client.get(about.url))

    nav_link = soup.select_one("nav[aria-label=Main] a")
    assert (nav_link.get_text(), nav_link["href"], nav_link["aria-current"]) == ("About us", about.url, "page")
    assert soup.select_one("nav[aria-label=Footer] a")["href"] == "https://partner.example"
    assert soup.select_one('footer a[href="mailto:hello@network.example"]')
