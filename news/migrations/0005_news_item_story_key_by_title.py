import hashlib
from urllib.parse import urlsplit, urlunsplit

from django.db import migrations

STORY_TITLE_MIN_WORDS = 4


def _digest(value):
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


def _story_key(title, link):
    """news.parsing.story_key as of this migration (frozen here: migrations outlive code)."""
    words = title.lower().split()
    if len(words) >= STORY_TITLE_MIN_WORDS or not link:
        return _digest(" ".join(words))
    parts = urlsplit(link)
    return _digest(urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", "")))


def rekey_stories(apps, schema_editor):
    """Stored items get the new story key, so stories already stored merge by title too."""
    NewsItem = apps.get_model("news", "NewsItem")
    batch = []
    for item in NewsItem.objects.only("pk", "title", "link", "story_key").iterator(chunk_size=2000):
        key = _story_key(item.title, item.link)
        if key != item.story_key:
            item.story_key = key
            batch.append(item)
        if len(batch) >= 2000:
            NewsItem.objects.bulk_update(batch, ["story_key"])
            batch = []
    NewsItem.objects.bulk_update(batch, ["story_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_listing_indexes"),
    ]

    operations = [migrations.RunPython(rekey_stories, migrations.RunPython.noop)]
