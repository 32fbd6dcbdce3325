"""The changelists' country filters offer the countries the records name, not the ~250 of ISO 3166."""

import pytest
from django.urls import reverse

from tests.factories import CityFactory, ExpertFactory, VisitFactory

pytestmark = pytest.mark.django_db


def country_filter(response, parameter):
    """The (value, label) choices of the changelist's filter on `parameter`."""
    specs = response.context["cl"].filter_specs
    return next(spec.lookup_choices for spec in specs if getattr(spec, "parameter_name", None) == parameter)


def listed(response):
    return [str(record) for record in response.context["cl"].result_list]


def test_the_expert_filter_lists_the_countries_in_use_by_name_and_none_given(admin_client):
    """Experts filter by the countries they are from, sorted by name, and by having none; each choice filters."""
    ExpertFactory(name="Lavrov", country="RU")
    ExpertFactory(name="Aliyev", country="AZ")
    ExpertFactory(name="Bayramov", country="AZ")
    ExpertFactory(name="Nobody", country="")
    url = reverse("admin:corpus_app_expert_changelist")
    response = admin_client.get(url)
    assert country_filter(response, "country") == [("AZ", "Azerbaijan"), ("RU", "Russia"), ("none", "none given")]
    page = response.content.decode()
    assert "?country=RU" in page and "Armenia" not in page and "Zimbabwe" not in page
    assert listed(admin_client.get(url, {"country": "AZ"})) == ["Aliyev", "Bayramov"]
    assert listed(admin_client.get(url, {"country": "none"})) == ["Nobody"]


def test_the_visit_and_city_filters_list_their_own_countries(admin_client):
    """Visits filter by the host countries of visits, cities by the countries of cities; no blank choice where every
    row has one."""
    VisitFactory(title="Lavrov in Baku", host_country="AZ")
    VisitFactory(title="Shoigu in Ankara", host_country="TR")
    CityFactory(name="Yerevan", country="AM")
    visits = reverse("admin:corpus_app_visit_changelist")
    assert country_filter(admin_client.get(visits), "host_country") == [("AZ", "Azerbaijan"), ("TR", "Türkiye")]
    assert listed(admin_client.get(visits, {"host_country": "TR"})) == ["Shoigu in Ankara"]
    cities = reverse("admin:corpus_app_city_changelist")
    assert country_filter(admin_client.get(cities), "country") == [("AM", "Armenia")]
