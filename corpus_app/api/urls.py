from django.urls import include, path

from corpus_app.api import deletions, ingest, search, stats, views
from corpus_app.api.root import CorpusRouter

router = CorpusRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("visit-participants", views.VisitParticipantViewSet, basename="visitparticipant")
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("cities", views.CityViewSet, basename="city")

urlpatterns = [
    path("search/", search.SearchView.as_view(), name="search"),
    path("deletions/", deletions.DeletionsView.as_view(), name="deletions"),
    path("stats/timeline/", stats.TimelineView.as_view(), name="stats-timeline"),
    path("ingest/", ingest.IngestPageView.as_view(), name="ingest"),
    path("ingest/accept/", ingest.AcceptView.as_view(), name="ingest-accept"),
    path("ingest/reject/", ingest.RejectView.as_view(), name="ingest-reject"),
    path("", include(router.urls)),
]
# The browsable API's log in and log out (a session, as the admin's; protected alike by django-axes).
urlpatterns += [path("auth/", include("rest_framework.urls"))]
