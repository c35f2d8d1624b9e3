"""How a routable page hands a request to its app's views."""

from django.utils.module_loading import import_string


def route_to(view_path, request, **kwargs):
    """Serve `request` with the view at `view_path`, named by dotted path as a URLconf does.

    Page models declare their routes; the views live in the app's views.py and read
    through its selectors. Naming the view keeps the import one way: views know models,
    models never import views.
    """
    return import_string(view_path)(request, **kwargs)
