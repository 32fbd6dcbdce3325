import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import City, Expert, Visit
from tests.api_payloads import BACKWARDS_VISIT

pytestmark = pytest.mark.django_db

VISITS = reverse("visit-list")
EXPERTS = reverse("expert-list")


def results(response):
    assert response.status_code == status.HTTP_200_OK, response.content
    return response.json()["results"]


def slugs(response):
    return {row["slug"] for row in results(response)}


class TestVisits:
    def test_a_visit_embeds_articles_participants_cities_and_counts(self, api_client, corpus):
        visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
        body = api_client.get(reverse("visit-detail", args=[visit.pk])).json()
        assert (body["article_count"], body["quote_count"]) == (2, 5)
        assert {a["slug"] for a in body["articles"]} == {
            "today-az-2023-02-27-lavrov-baku-visit-pivotal",
            "caliber-az-2023-03-01-moscow-convenient-baku",
        }
        assert [(p["person"]["slug"], p["role"]) for p in body["participants"]] == [
            ("sergei-lavrov", "visitor"),
            ("ilham-aliyev", "met"),
        ]
        assert [c["name"] for c in body["cities"]] == ["Baku"]
        assert body["dates_display"] == "27 February 2023 – 28 February 2023"

    def test_date_range_finds_visits_overlapping_it(self, api_client, corpus):
        assert slugs(api_client.get(VISITS, {"date_after": "2023-02-28", "date_before": "2023-03-31"})) == {
            "lavrov-azerbaijan-2023-02"
        }
        assert slugs(api_client.get(VISITS, {"date_after": "2020-11-21", "date_before": "2020-11-21"})) == {
            "lavrov-shoigu-armenia-2020-11",
            "lavrov-shoigu-azerbaijan-2020-11",
        }

    def test_filters_by_kind_status_city_country_and_participant(self, api_client, corpus):
        assert slugs(api_client.get(VISITS, {"kind": "official"})) == {"lavrov-azerbaijan-2023-02"}
        assert slugs(api_client.get(VISITS, {"status": "announced"})) == {
            "lavrov-azerbaijan-2022-06",
            "manturov-azerbaijan-announced",
        }
        yerevan = City.objects.get(slug="yerevan")
        assert slugs(api_client.get(VISITS, {"city": yerevan.pk})) == {
            "lavrov-shoigu-armenia-2020-11",
            "lavrov-armenia-before-2022-06",
        }
        assert slugs(api_client.get(VISITS, {"host_country": "TR"})) == {
            "mammadyarov-turkey-before-2016",
            "lavrov-turkey-before-2022-06",
        }
        shoigu = Expert.objects.get(slug="sergey-shoigu")
        assert len(slugs(api_client.get(VISITS, {"participant": shoigu.pk}))) == 2

    def test_search_by_a_participants_spelling(self, api_client, corpus):
        assert slugs(api_client.get(VISITS, {"search": "Şoyqu"})) == {
            "lavrov-shoigu-armenia-2020-11",
            "lavrov-shoigu-azerbaijan-2020-11",
        }

    def test_a_visits_articles_and_quotes(self, api_client, corpus):
        visit = Visit.objects.get(slug="lavrov-shoigu-azerbaijan-2020-11")
        articles = results(api_client.get(reverse("visit-articles", args=[visit.pk])))
        assert [a["slug"] for a in articles] == ["turan-2020-11-23-lavrov-shoigu-yerevan-baku"]
        quotes = results(api_client.get(reverse("visit-quotes", args=[visit.pk])))
        assert [q["speaker"]["slug"] for q in quotes] == [
            "ilham-aliyev",
            "elkhan-shahinoglu",
            "arastun-orujlu",
            "ilgar-velizade",
            "eldar-ibrahimov",
        ]

    def test_an_end_before_the_start_is_400(self, curator_client, corpus):
        response = curator_client.post(
            VISITS,
            BACKWARDS_VISIT,
            format="json",
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert response.json()["non_field_errors"] == ["A visit cannot end before it starts."]
        assert not Visit.objects.filter(slug="backwards").exists()

    def test_an_inferred_date_without_a_note_is_400(self, curator_client, corpus):
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

    def test_a_month_precise_date_is_stored_as_the_first_of_the_month(self, curator_client, corpus):
        response = curator_client.post(
            VISITS,
            {
                "slug": "may",
                "title": "May",
                "host_country": "AZ",
                "start_date": "2024-05-17",
                "start_date_precision": "month",
                "cities": [City.objects.get(slug="baku").pk],
            },
            format="json",
        )
        assert response.status_code == status.HTTP_201_CREATED, response.json()
        assert (response.json()["start_date"], response.json()["dates_display"]) == ("2024-05-01", "May 2024")
        assert [c["slug"] for c in response.json()["cities"]] == ["baku"]

    def test_deleting_a_visit_with_quotes_is_409(self, curator_client, corpus):
        visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
        response = curator_client.delete(reverse("visit-detail", args=[visit.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "5 quotes" in response.json()["detail"]

    def test_list_query_count_does_not_grow_with_page_size(self, api_client, corpus, count_queries):
        one = count_queries(lambda: api_client.get(VISITS, {"page_size": 1}))
        fourteen = count_queries(lambda: api_client.get(VISITS, {"page_size": 14}))
        assert one == fourteen <= 7  # savepoint, count, page, cities, participants, articles, release


class TestExperts:
    def test_an_expert_shows_quote_and_article_counts(self, api_client, corpus):
        expert = Expert.objects.get(slug="elkhan-shahinoglu")
        body = api_client.get(reverse("expert-detail", args=[expert.pk])).json()
        assert (body["quote_count"], body["article_count"]) == (5, 2)
        assert body["alternate_names"] == ["Elhan Shainoglu", "Shainoglu"]

    def test_filters_by_kind_country_and_affiliation(self, api_client, corpus):
        legislators = slugs(api_client.get(EXPERTS, {"kind": "legislator"}))
        assert legislators == {"rasim-musabekov", "zahid-oruj", "sabir-rustamkhanli", "eldar-ibrahimov"}
        assert slugs(api_client.get(EXPERTS, {"country": "US"})) == {"karen-donfried", "kara-mcdonald"}
        assert slugs(api_client.get(EXPERTS, {"affiliation": "atlas"})) == {"elkhan-shahinoglu"}

    def test_search_by_alternate_spelling(self, api_client, corpus):
        assert slugs(api_client.get(EXPERTS, {"search": "Elhan Shainoglu"})) == {"elkhan-shahinoglu"}
        assert slugs(api_client.get(EXPERTS, {"search": "I. Velizade"})) == {"ilgar-velizade"}

    def test_ordering_by_quote_count(self, api_client, corpus):
        top = results(api_client.get(EXPERTS, {"ordering": "-quote_count"}))[:2]
        assert [(e["slug"], e["quote_count"]) for e in top] == [("elkhan-shahinoglu", 5), ("zahid-oruj", 4)]

    def test_an_experts_quotes(self, api_client, corpus):
        expert = Expert.objects.get(slug="zahid-oruj")
        quotes = results(api_client.get(reverse("expert-quotes", args=[expert.pk])))
        assert len(quotes) == 4 and {q["speaker"]["slug"] for q in quotes} == {"zahid-oruj"}

    def test_a_spelling_that_is_another_experts_name_is_400(self, curator_client, corpus):
        response = curator_client.post(
            EXPERTS,
            {
                "slug": "z-oruj",
                "name": "Z. Oruj",
                "kind": "analyst",
                "alternate_names": ["Zahid Oruj"],
            },
            format="json",
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "already the name of another expert" in response.json()["alternate_names"][0]

    def test_a_duplicate_slug_is_400(self, curator_client, corpus):
        response = curator_client.post(
            EXPERTS, {"slug": "zahid-oruj", "name": "Someone", "kind": "analyst"}, format="json"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "slug" in response.json()

    def test_deleting_a_quoted_expert_is_409_and_deletes_nothing(self, curator_client, corpus):
        expert = Expert.objects.get(slug="zahid-oruj")
        response = curator_client.delete(reverse("expert-detail", args=[expert.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert response.json()["detail"].startswith("Not deleted: 4 quotes still refer to it")
        assert expert.quotes.count() == 4

    def test_deleting_a_visitor_is_409(self, curator_client, corpus):
        expert = Expert.objects.get(slug="denis-manturov")
        response = curator_client.delete(reverse("expert-detail", args=[expert.pk]))
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "visit participants" in response.json()["detail"]

    def test_list_query_count_does_not_grow_with_page_size(self, api_client, corpus, count_queries):
        one = count_queries(lambda: api_client.get(EXPERTS, {"page_size": 1}))
        all_of_them = count_queries(lambda: api_client.get(EXPERTS, {"page_size": 23}))
        assert one == all_of_them <= 4


class TestSupportingLists:
    def test_visit_ordering_by_start_date(self, api_client, corpus):
        dated = [
            v["start_date"] for v in results(api_client.get(VISITS, {"ordering": "start_date"})) if v["start_date"]
        ]
        assert dated == sorted(dated)

    def test_participants_by_visit_person_and_role(self, api_client, corpus):
        url = reverse("visitparticipant-list")
        visit = Visit.objects.get(slug="lavrov-shoigu-azerbaijan-2020-11")
        rows = results(api_client.get(url, {"visit": visit.pk, "role": "visitor"}))
        assert {r["person"]["slug"] for r in rows} == {"sergei-lavrov", "sergey-shoigu"}
        lavrov = Expert.objects.get(slug="sergei-lavrov")
        assert len(results(api_client.get(url, {"person": lavrov.pk, "page_size": 100}))) == 8

    def test_cities_by_country_with_visit_counts(self, api_client, corpus):
        rows = results(api_client.get(reverse("city-list"), {"country": "AZ"}))
        assert [(c["slug"], c["visit_count"]) for c in rows] == [("baku", 4)]
