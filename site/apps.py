from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save

# What visitors see comes from these apps; a save or delete in any of them (except image
# renditions, made while pages render) starts a new page-cache generation.
PUBLIC_CONTENT_APPS = (
    "website",
    "network",
    "blog",
    "practices",
    "news",
    "events",
    "indicators",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
)
UNSEEN_MODELS = (
    "Rendition",
    "Revision",
    "TaskState",
    "WorkflowState",
    "PageLogEntry",
    "ModelLogEntry",
    "PageSubscription",
    "UploadedFile",
    "ReferenceIndex",
    "CommentReply",
    "Comment",
    "HealthHeartbeat",
)


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = "Site"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .page_cache import page_cache_content_saved, page_cache_invalidate

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_cache_invalidate, dispatch_uid=f"page_cache:{signal}")
        for model in apps.get_models():
            if model._meta.app_label in PUBLIC_CONTENT_APPS and not model.__name__.endswith(UNSEEN_MODELS):
                for signal, receiver in ((post_save, page_cache_content_saved), (post_delete, page_cache_invalidate)):
                    signal.connect(
                        receiver, sender=model, weak=False, dispatch_uid=f"page_cache:{signal}:{model._meta.label}"
                    )
