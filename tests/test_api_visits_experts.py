import datetime

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import DatePrecision, Visit
from corpus_app.models.visit import ARTICLES_EMBEDDED
from tests.api_payloads import BACKWARDS_VISIT
from tests.api_responses import results, slugs
from tests.factories import (
    ArticleFactory,
    CityFactory,
    ExpertFactory,
    QuoteFactory,
    VisitFactory,
    VisitParticipantFactory,
    quoted_article,
)

pytestmark = pytest.mark.django_db

VISITS = reverse("visit-list")
EXPERTS = reverse("expert-list")


class TestVisits:
    def test_a_visit_embeds_articles_participants_cities_and_counts(self, api_client):
        """A visit embeds its articles, its participants (visitors first), its cities, its dates and counts."""
        aliyev, lavrov = ExpertFactory(name="Ilham Aliyev"), ExpertFactory(name="Sergei Lavrov")
        visit = VisitFactory(
            end_date=datetime.date(2023, 2, 28),
            end_date_precision=DatePrecision.DAY,
            cities=[CityFactory(name="Baku")],
            hosts=[aliyev],
            visitors=[lavrov],
        )
        first = quoted_article((lavrov, "We expect progress,"), (aliyev, "The minister arrived."), visits=[visit])
        second = quoted_article((lavrov, "Nothing else was announced."), visits=[visit])
        quoted_article((lavrov, "We expect progress,"), visits=[VisitFactory()])  # about another visit

        body = api_client.get(reverse("visit-detail", args=[visit.pk])).json()
        assert (body["article_count"], body["quote_count"]) == (2, 3)
        assert {a["slug"] for a in body["articles"]} == {first.slug, second.slug}
        assert [(p["person"]["name"], p["role"]) for p in body["participants"]] == [
            ("Sergei Lavrov", "visitor"),
            ("Ilham Aliyev", "met"),
        ]
        assert [c["name"] for c in body["cities"]] == ["Baku"]
        assert body["dates_display"] == "27 February 2023 – 28 February 2023"

    def test_a_visit_embeds_only_its_latest_articles_and_counts_them_all(self, api_client):
        """However many articles cover a visit, a page of visits stays small; the related list has them all."""
        visit = VisitFactory()
        undated = ArticleFactory(visits=[visit], published_date=None, published_date_precision=DatePrecision.UNKNOWN)
        days = [*range(2, ARTICLES_EMBEDDED + 2), 1]  # one more dated than embedded, the oldest made last
        dated = {day: ArticleFactory(visits=[visit], published_date=datetime.date(2023, 1, day)) for day in days}
        for url in (reverse("visit-detail", args=[visit.pk]), VISITS):
            body = api_client.get(url).json()
            body = body if "articles" in body else body["results"][0]
            latest = sorted(dated, reverse=True)[:ARTICLES_EMBEDDED]
            assert [a["slug"] for a in body["articles"]] == [dated[day].slug for day in latest]
            assert body["article_count"] == ARTICLES_EMBEDDED + 2
        listed = api_client.get(reverse("visit-articles", args=[visit.pk]), {"page_size": 500}).json()["results"]
        assert undated.slug in {a["slug"] for a in listed} and len(listed) == ARTICLES_EMBEDDED + 2

    def test_date_range_finds_visits_overlapping_it(self, api_client):
        """date_after/date_before keep visits that overlap the range; without an end, the start decides."""

        def visit(slug, start, end=None):
            VisitFactory(
                slug=slug,
                start_date=start,
                end_date=end,
                end_date_precision=DatePrecision.DAY if end else DatePrecision.UNKNOWN,
            )

        visit("ends-inside", datetime.date(2023, 2, 27), datetime.date(2023, 2, 28))
        visit("spans-it", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
        visit("starts-inside", datetime.date(2023, 3, 31))
        visit("ends-before", datetime.date(2023, 1, 10), datetime.date(2023, 2, 27))
        visit("starts-after", datetime.date(2023, 4, 1))
        visit("open-ended-before", datetime.date(2023, 2, 1))
        VisitFactory(slug="undated", undated=True)

        in_range = {"date_after": "2023-02-28", "date_before": "2023-03-31"}
        assert slugs(api_client.get(VISITS, in_range)) == {"ends-inside", "spans-it", "starts-inside"}
        one_day = {"date_after": "2023-02-27", "date_before": "2023-02-27"}
        assert slugs(api_client.get(VISITS, one_day)) == {"ends-inside", "spans-it", "ends-before"}

    def test_filters_by_kind_status_city_country_and_participant(self, api_client):
        """Visits filter by kind, status, city, host country and participant (one row per visit)."""
        baku, yerevan = CityFactory(name="Baku"), CityFactory(name="Yerevan", country="AM")
        shoigu = ExpertFactory(official=True)
        VisitFactory(slug="official-baku", kind="official", cities=[baku], visitors=[shoigu], hosts=[ExpertFactory()])
        VisitFactory(slug="announced-yerevan", status="announced", host_country="AM", cities=[yerevan, baku])
        ankara = VisitFactory(slug="working-ankara", kind="working", host_country="TR", visitors=[shoigu])
        VisitParticipantFactory(visit=ankara, person=shoigu, role="met")

        assert slugs(api_client.get(VISITS, {"kind": "official"})) == {"official-baku"}
        assert slugs(api_client.get(VISITS, {"status": "announced"})) == {"announced-yerevan"}
        assert slugs(api_client.get(VISITS, {"status": "held"})) == {"official-baku", "working-ankara"}
        assert slugs(api_client.get(VISITS, {"city": yerevan.pk})) == {"announced-yerevan"}
        assert slugs(api_client.get(VISITS, {"city": baku.pk})) == {"official-baku", "announced-yerevan"}
        assert slugs(api_client.get(VISITS, {"host_country": "TR"})) == {"working-ankara"}
        by_participant = api_client.get(VISITS, {"participant": shoigu.pk})
        assert slugs(by_participant) == {"official-baku", "working-ankara"}
        assert len(by_participant.json()["results"]) == 2  # one row per visit, however many parts the person had

    def test_search_by_a_participants_spelling(self, api_client):
        """Search finds visits by any spelling of a participant's name, non-ASCII included, and by title."""
        shoigu = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
        VisitFactory(slug="shoigu-yerevan", visitors=[shoigu, ExpertFactory()])
        VisitFactory(slug="shoigu-baku", hosts=[shoigu])
        VisitFactory(slug="without-shoigu", title="Lavrov in Baku", visitors=[ExpertFactory(name="Sergei Lavrov")])

        assert slugs(api_client.get(VISITS, {"search": "Şoyqu"})) == {"shoigu-yerevan", "shoigu-baku"}
        assert slugs(api_client.get(VISITS, {"search": "Lavrov in"})) == {"without-shoigu"}

    def test_a_visits_articles_and_quotes(self, api_client):
        """A visit's routes list the articles covering it and its quotes in reading order, nothing else."""
        visit = VisitFactory()
        aliyev, shahinoglu, orujlu = ExpertFactory(), ExpertFactory(), ExpertFactory()
        article = ArticleFactory(visits=[visit])
        QuoteFactory(article=article, speaker=orujlu, text="Nothing else was announced.")
        QuoteFactory(article=article, speaker=aliyev, text="The minister arrived.")
        QuoteFactory(article=article, speaker=shahinoglu, text="We expect progress,")
        other = quoted_article((aliyev, "The minister arrived."), visits=[VisitFactory()])

        articles = results(api_client.get(reverse("visit-articles", args=[visit.pk])))
        assert [a["slug"] for a in articles] == [article.slug]
        quotes = results(api_client.get(reverse("visit-quotes", args=[visit.pk])))
        assert [q["speaker"]["id"] for q in quotes] == [aliyev.pk, shahinoglu.pk, orujlu.pk]
        assert other.slug not in {q["article"]["slug"] for q in quotes}
        assert api_client.get(reverse("visit-quotes", args=[999999])).status_code == status.HTTP_404_NOT_FOUND

    def test_an_end_before_the_start_is_400(self, curator_client):
        """A visit cannot end before it starts: 400 naming the rule, nothing saved."""
        response = curator_client.post(VISITS, BACKWARDS_VISIT, format="json")
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert response.json()["non_field_errors"] == ["A visit cannot end before it starts."]
        assert not Visit.objects.filter(slug="backwards").exists()

    def test_an_inferred_date_without_a_note_is_400(self, curator_client):
        """An inferred date needs a note saying what it is inferred from."""
        response = curator_client.post(
            VISITS,
            {
                "slug": "guess",
                "title": "Guess",
                "host_country": "AZ",
                "start_date": "2024-05-02",
                "start_date_precision": "month",
                "start_date_inferred": True,
            },
            format="json",
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "needs a note" in str(response.json())

    def test_a_month_precise_date_is_stored_as_the_first_of_the_month(self, curator_client):
        """A month-precise start date is stored as the first of the month and shown as the month."""
        baku = CityFactory(slug="baku")
        response = curator_client.post(
            VISITS,
            {
                "slug": "may",
                "title": "May",
                "host_country": "AZ",
                "start_date": "2024-05-17",
                "start_date_precision": "month",
                "cities": [baku.pk],
            },
            format="json",
        )
        assert response.status_code == status.HTTP_201_CREATED, response.json()
        assert (response.json()["start_date"], response.json()["dates_display"]) == ("2024-05-01", "May 2024")
        assert [c["slug"] for c in response.json()["cities"]] == ["baku"]

    def test_deleting_a_visit_with_quotes_is_409(self, curator_client):
        """A visit that quotes are tied to cannot be deleted; the answer counts them."""
        visit = VisitFactory()
        speaker = ExpertFactory()
        quoted_article((speaker, "The minister arrived."), (speaker, "We expect progress,"), visits=[visit])
        response = curator_client.delete(reverse("visit-detail", args=[visit.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "2 quotes" in response.json()["detail"]
        assert Visit.objects.filter(pk=visit.pk).exists()

    def test_deleting_a_visit_that_articles_list_is_409(self, curator_client):
        """Articles list the visits they cover: the visit is not deleted from under them."""
        visit = VisitFactory()
        ArticleFactory(visits=[visit])
        response = curator_client.delete(reverse("visit-detail", args=[visit.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert response.json()["detail"].startswith("Not deleted: 1 article still lists it among its visits.")
        assert Visit.objects.filter(pk=visit.pk).exists()

    def test_deleting_a_visit_with_participants_is_409_until_they_are_removed(self, curator_client):
        """Who travelled is curated: deleting the visit took them with it, and restoring it brought none back."""
        visit = VisitFactory(visitors=[ExpertFactory(), ExpertFactory()])
        response = curator_client.delete(reverse("visit-detail", args=[visit.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "2 visit participants" in response.json()["detail"]
        assert visit.participations.count() == 2
        for participation in visit.participations.all():
            assert curator_client.delete(reverse("visitparticipant-detail", args=[participation.pk])).status_code == 204
        assert curator_client.delete(reverse("visit-detail", args=[visit.pk])).status_code == 204


class TestExperts:
    def test_an_expert_shows_quote_and_article_counts(self, api_client):
        """An expert's read form counts their quotes and the distinct articles quoting them."""
        expert = ExpertFactory(alternate_names=["Elhan Shainoglu", "Shainoglu"])
        quoted_article((expert, "The minister arrived."), (expert, "We expect progress,"))
        QuoteFactory(speaker=expert)
        QuoteFactory()  # someone else's

        body = api_client.get(reverse("expert-detail", args=[expert.pk])).json()
        assert (body["quote_count"], body["article_count"]) == (3, 2)
        assert body["alternate_names"] == ["Elhan Shainoglu", "Shainoglu"]

    def test_filters_by_kind_country_and_affiliation(self, api_client):
        """Experts filter by kind, country and a part of their affiliation, case-insensitively."""
        ExpertFactory(slug="mp", legislator=True, country="AZ")
        ExpertFactory(slug="diplomat", official=True, country="US")
        ExpertFactory(slug="atlas-head", affiliation="Atlas Research Center")
        ExpertFactory(slug="other-analyst", affiliation="Baku Research Institute", country="AZ")

        assert slugs(api_client.get(EXPERTS, {"kind": "legislator"})) == {"mp"}
        assert slugs(api_client.get(EXPERTS, {"kind": "analyst"})) == {"atlas-head", "other-analyst"}
        assert slugs(api_client.get(EXPERTS, {"country": "US"})) == {"diplomat"}
        assert slugs(api_client.get(EXPERTS, {"country": "AZ"})) == {"mp", "other-analyst"}
        assert slugs(api_client.get(EXPERTS, {"affiliation": "atlas"})) == {"atlas-head"}

    def test_search_by_alternate_spelling(self, api_client):
        """Search finds an expert by any of their spellings, and only them."""
        ExpertFactory(slug="elkhan-shahinoglu", name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu"])
        ExpertFactory(slug="ilgar-velizade", name="Ilgar Velizade", alternate_names=["I. Velizade"])
        ExpertFactory(slug="shoigu", name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
        ExpertFactory(slug="elkhan-other", name="Elkhan Other")

        assert slugs(api_client.get(EXPERTS, {"search": "Elhan Shainoglu"})) == {"elkhan-shahinoglu"}
        assert slugs(api_client.get(EXPERTS, {"search": "I. Velizade"})) == {"ilgar-velizade"}
        assert slugs(api_client.get(EXPERTS, {"search": "Şoyqu"})) == {"shoigu"}

    def test_ordering_by_quote_count(self, api_client):
        """ordering=-quote_count puts the most quoted experts first."""
        once, twice = ExpertFactory(slug="once"), ExpertFactory(slug="twice")
        ExpertFactory(slug="never")
        QuoteFactory(speaker=once)
        quoted_article((twice, "The minister arrived."), (twice, "We expect progress,"))

        ranked = results(api_client.get(EXPERTS, {"ordering": "-quote_count"}))
        assert [(e["slug"], e["quote_count"]) for e in ranked] == [("twice", 2), ("once", 1), ("never", 0)]

    def test_an_experts_quotes(self, api_client):
        """An expert's quotes route lists their quotes only; an unknown expert is 404."""
        expert = ExpertFactory()
        quoted_article((expert, "The minister arrived."), (expert, "We expect progress,"), (ExpertFactory(), "Nothing"))
        QuoteFactory(speaker=expert)

        quotes = results(api_client.get(reverse("expert-quotes", args=[expert.pk])))
        assert len(quotes) == 3 and {q["speaker"]["id"] for q in quotes} == {expert.pk}
        assert api_client.get(reverse("expert-quotes", args=[999999])).status_code == status.HTTP_404_NOT_FOUND

    def test_a_spelling_that_is_another_experts_name_is_400(self, curator_client):
        """An alternate spelling may not be the name of another expert."""
        ExpertFactory(name="Zahid Oruj")
        response = curator_client.post(
            EXPERTS,
            {"slug": "z-oruj", "name": "Z. Oruj", "kind": "analyst", "alternate_names": ["Zahid Oruj"]},
            format="json",
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "already the name of another expert" in response.json()["alternate_names"][0]

    def test_a_duplicate_slug_is_400(self, curator_client):
        """Two experts may not share a slug."""
        ExpertFactory(slug="zahid-oruj")
        response = curator_client.post(
            EXPERTS, {"slug": "zahid-oruj", "name": "Someone", "kind": "analyst"}, format="json"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "slug" in response.json()

    def test_deleting_a_quoted_expert_is_409_and_deletes_nothing(self, curator_client):
        """A quoted expert cannot be deleted; the answer counts the quotes."""
        expert = ExpertFactory()
        QuoteFactory(speaker=expert)
        quoted_article((expert, "The minister arrived."), (expert, "We expect progress,"))
        response = curator_client.delete(reverse("expert-detail", args=[expert.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert response.json()["detail"].startswith("Not deleted: 3 quotes still refer to it")
        assert expert.quotes.count() == 3

    def test_deleting_a_visitor_is_409(self, curator_client):
        """Someone who took part in a visit cannot be deleted."""
        expert = ExpertFactory()
        VisitFactory(visitors=[expert])
        response = curator_client.delete(reverse("expert-detail", args=[expert.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "visit participants" in response.json()["detail"]


class TestSupportingLists:
    def test_visit_ordering_by_start_date(self, api_client):
        """ordering=start_date lists visits oldest first, and -start_date newest first."""
        for slug, day in (("2020", datetime.date(2020, 11, 21)), ("2023", datetime.date(2023, 2, 27))):
            VisitFactory(slug=slug, start_date=day)
        VisitFactory(slug="2016", start_date=datetime.date(2016, 1, 1), start_date_precision=DatePrecision.YEAR)

        dated = [v["slug"] for v in results(api_client.get(VISITS, {"ordering": "start_date"}))]
        assert dated == ["2016", "2020", "2023"]
        assert [v["slug"] for v in results(api_client.get(VISITS, {"ordering": "-start_date"}))] == dated[::-1]

    def test_participants_by_visit_person_and_role(self, api_client):
        """Visit participants filter by visit, person and role."""
        url = reverse("visitparticipant-list")
        lavrov, shoigu, aliyev = ExpertFactory(), ExpertFactory(), ExpertFactory()
        visit = VisitFactory(visitors=[lavrov, shoigu], hosts=[aliyev])
        VisitFactory(visitors=[lavrov], hosts=[shoigu])

        rows = results(api_client.get(url, {"visit": visit.pk, "role": "visitor"}))
        assert {r["person"]["id"] for r in rows} == {lavrov.pk, shoigu.pk}
        assert {r["visit"]["id"] for r in rows} == {visit.pk}
        assert len(results(api_client.get(url, {"person": lavrov.pk}))) == 2
        assert [(r["visit"]["id"], r["role"]) for r in results(api_client.get(url, {"person": shoigu.pk}))] == [
            (visit.pk, "visitor"),
            (Visit.objects.exclude(pk=visit.pk).get().pk, "met"),
        ]

    def test_deleting_a_city_that_visits_list_is_409_until_they_no_longer_do(self, curator_client):
        """A city is taken out of its visits first, each an edit of the visit its history records."""
        baku = CityFactory()
        visits = VisitFactory.create_batch(2, cities=[baku])
        url = reverse("city-detail", args=[baku.pk])
        response = curator_client.delete(url)
        assert response.status_code == status.HTTP_409_CONFLICT
        assert response.json()["detail"] == (
            "Not deleted: 2 visits still list it among their cities. Remove it from them first: deleting it "
            "would take it out of them with no entry in their history, and restoring it would not put it back."
        )
        for visit in visits:
            assert (
                curator_client.patch(
                    reverse("visit-detail", args=[visit.pk]), {"cities": []}, format="json"
                ).status_code
                == 200
            )
        assert curator_client.delete(url).status_code == status.HTTP_204_NO_CONTENT

    def test_cities_by_country_with_visit_counts(self, api_client):
        """Cities filter by country and count the visits to each."""
        baku = CityFactory(slug="baku", name="Baku")
        CityFactory(slug="ganja", name="Ganja")
        yerevan = CityFactory(slug="yerevan", name="Yerevan", country="AM")
        VisitFactory(cities=[baku, yerevan])
        VisitFactory(cities=[baku])
        assert [
            (c["slug"], c["visit_count"]) for c in results(api_client.get(reverse("city-list"), {"country": "AZ"}))
        ] == [
            ("baku", 2),
            ("ganja", 0),
        ]
