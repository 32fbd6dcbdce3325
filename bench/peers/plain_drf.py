"""Plain DRF: what a user gets from the DRF tutorial over the same tables, as the benchmark's peer.

One module is the settings, the URLs and the WSGI app. ModelViewSet + ModelSerializer over the corpus's
own models (so the same database tables), nested serializers embedding the same information as the
corpus API (speaker, article and visit of a quote; outlet, visits and number of quotes of an article),
django-filter's `filterset_fields` and DRF's SearchFilter, and DRF's defaults otherwise: page-number
pagination with a COUNT, querysets as `Model.objects.all()`, no select_related, no tuning. Served by
gunicorn like the corpus (bench/run.py):

    DJANGO_SETTINGS_MODULE=bench.peers.plain_drf gunicorn --config config/gunicorn.py bench.peers.plain_drf:application
"""

import os

import dj_database_url

# ---------------------------------------------------------------------------------------------- settings
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-only-insecure-key")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    # The corpus's models and what they need to import (history, countries).
    "corpus_app.apps.CorpusAppConfig",
    "corpus_app.history.apps.CorpusHistoryConfig",
    "simple_history",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
]
ROOT_URLCONF = __name__
DATABASES = {"default": dj_database_url.config(conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
# Errors to standard error (gunicorn's log): without DEBUG, Django would only mail them to ADMINS.
LOGGING = {"version": 1, "disable_existing_loggers": False, "handlers": {"stderr": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["stderr"], "level": "ERROR"}}  # fmt: skip
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}


# ---------------------------------------------------------------------------------------------- the API
def urls():
    """The router's URLs, built on first use: models cannot be imported while settings load."""
    from rest_framework import routers, serializers, viewsets

    from corpus_app.models import Article, Expert, Outlet, Quote, Visit

    def brief(model_, fields_):
        meta = type("Meta", (), {"model": model_, "fields": fields_})
        return type(f"{model_.__name__}Brief", (serializers.ModelSerializer,), {"Meta": meta})

    expert_brief = brief(Expert, ["id", "slug", "name"])
    visit_brief = brief(
        Visit, ["id", "slug", "title", "start_date", "start_date_precision", "end_date", "end_date_precision"]
    )
    article_brief = brief(Article, ["id", "slug", "title", "published_date", "published_date_precision"])

    class QuoteSerializer(serializers.ModelSerializer):
        speaker = expert_brief(read_only=True)
        relayed_by = expert_brief(read_only=True)
        article = article_brief(read_only=True)
        visit = visit_brief(read_only=True)

        class Meta:
            model = Quote
            exclude = ["text_digest"]

    class ArticleSerializer(serializers.ModelSerializer):
        outlet = brief(Outlet, ["id", "slug", "name"])(read_only=True)
        visits = visit_brief(many=True, read_only=True)
        quote_count = serializers.SerializerMethodField()

        class Meta:
            model = Article
            fields = "__all__"

        def get_quote_count(self, obj):
            return obj.quotes.count()

    class ExpertSerializer(serializers.ModelSerializer):
        class Meta:
            model = Expert
            exclude = ["search_names"]

    class VisitSerializer(serializers.ModelSerializer):
        class Meta:
            model = Visit
            fields = "__all__"
            depth = 1

    def viewset(model_, serializer, filters, search=()):
        attributes = {"queryset": model_.objects.all(), "serializer_class": serializer,
                      "filterset_fields": filters, "search_fields": search}  # fmt: skip
        return type(f"{model_.__name__}ViewSet", (viewsets.ModelViewSet,), attributes)

    router = routers.DefaultRouter()
    router.register("quotes", viewset(Quote, QuoteSerializer, {
        "speaker": ["exact"], "visit": ["exact"], "article": ["exact"], "kind": ["exact"],
        "article__published_date": ["gte", "lte"]}, ("text", "speaker__search_names", "article__title")))  # fmt: skip
    router.register("articles", viewset(Article, ArticleSerializer, {
        "outlet": ["exact"], "visits": ["exact"], "quotes__speaker": ["exact"], "published_date": ["gte", "lte"]},
        ("title", "subtitle", "body", "author")))  # fmt: skip
    router.register("experts", viewset(Expert, ExpertSerializer, {"kind": ["exact"]}, ("search_names",)))
    router.register("visits", viewset(Visit, VisitSerializer, {
        "participants": ["exact"], "start_date": ["gte", "lte"]}))  # fmt: skip
    return router.urls


def __getattr__(name):
    # `urlpatterns`, asked for when Django first resolves a URL, once the apps are ready (PEP 562).
    if name == "urlpatterns":
        return urls()
    raise AttributeError(name)


_application = None


def application(environ, start_response):
    global _application
    if _application is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", __name__)
        from django.core.wsgi import get_wsgi_application

        _application = get_wsgi_application()
    return _application(environ, start_response)
