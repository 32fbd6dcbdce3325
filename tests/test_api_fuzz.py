"""Property-based: schemathesis drives every operation of the live schema with generated requests,
authenticated as a superuser so writes reach the database, and checks that no answer is a server
error or strays from what the schema promises.

The data is the small sample corpus (tests.factories.sample_corpus). Many requests for one record
name an existing row of its resource, the others the generated id, so detail and write
operations reach real records on any database (PostgreSQL does not reuse ids, so generated ids
alone would almost never name one).

By default the run is bounded and repeatable, a small part of the suite:
  - every operation: its schema examples and FUZZ_EXAMPLES (default 10) generated requests;
  - read operations also get schemathesis's coverage phase: the boundary and invalid values of every
    query parameter, deterministically; exports excepted, whose parameters are their lists' (below).
Environment variables for a long exploration, e.g.
    FUZZ_EXAMPLES=500 FUZZ_RANDOM=1 FUZZ_COVERAGE=all .venv/bin/python -m pytest tests/test_api_fuzz.py
  FUZZ_EXAMPLES   generated requests per operation (default 10).
  FUZZ_RANDOM=1   new random requests on each run instead of the same ones (that is how the
                  NUL-in-search case was found); a failure prints how to reproduce it.
  FUZZ_COVERAGE   "reads" (default): the coverage phase for read operations only; "all": for writes
                  too (some 15,000 requests, minutes); "none": no coverage phase.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

# A schema-valid read is answered (404: an id that names no record). A schema-valid write may still
# break a rule no schema can state (a quote's words must be in its article, a date's precision, one
# quote text per article, a record still referred to), which the API answers with 400, 404 or 409.
READ_ACCEPTED = ["2xx", "404"]
# Every check of schemathesis but one: negative_data_rejection. Unknown query parameters, filters a list
# has not, orderings and page sizes that are not offered are refused (corpus_app/api/query_parameters.py,
# pagination.py), but the check also wants refused what the API reads on purpose as absent or as meant:
# an empty value (`?updated_since=`, django-filter's "no filter"), a field named twice in `fields`, an
# empty `format`. Malformed values of known parameters and bodies still must be refused:
# status_code_conformance and not_a_server_error see those answers.
EXCLUDED_CHECKS = [negative_data_rejection]
WRITE_ACCEPTED = ["2xx", "400", "404", "409", "412"]
# A page's `cursor` is a signed token (corpus_app/api/pagination.py) that no schema can describe: a
# generated one is refused with 400, as documented. Requests carrying one still get every other check.


def excluded_checks(case) -> list:
    # A cursor is opaque, and whether a search can run depends on its words (common words alone are
    # refused) and on page × page_size: neither can a schema state, so a valid-looking one may be a 400.
    # Nor that `facet` is refused in JSON-LD and CSV, which have no room for facets; nor that a dotted name of
    # `fields` the enum lists for a record embedded in full is valid with its `expand` alone.
    query = case.query or {}
    if (
        "cursor" in query
        or case.path == "/api/search/"
        or ("facet" in query and query.get("format") in ("jsonld", "csv"))
        or _names_a_field_of_an_unexpanded_record(query)
    ):
        return [*EXCLUDED_CHECKS, positive_data_acceptance]
    if case.path == "/api/stats/timeline/" and not timeline_count_takes(query):
        return [*EXCLUDED_CHECKS, positive_data_acceptance]
    return EXCLUDED_CHECKS


def _names_a_field_of_an_unexpanded_record(query) -> bool:
    def names(parameter):
        values = query.get(parameter) or []
        return {name for value in ([values] if isinstance(values, str) else values) for name in str(value).split(",")}

    expanded = names("expand")
    return any("." in name and name.split(".")[0] not in expanded for name in names("fields"))


def timeline_count_takes(query) -> bool:
    """Whether the timeline's `count` takes every filter of the query: the schema lists the filters of both
    lists it counts (`expert` is the articles'), but OpenAPI cannot say that one needs `count=articles`."""
    from corpus_app.api.query_parameters import list_parameters
    from corpus_app.api.stats import LISTS, PAGING, TimelineParamsSerializer

    counted = query.get("count", "quotes")
    listed = LISTS.get(counted) if isinstance(counted, str) else None  # a list: `count` repeated
    own = set(TimelineParamsSerializer().fields) | {"format"}
    return listed is not None and set(query) - own <= list_parameters(listed) - PAGING


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
COVERAGE = os.environ.get("FUZZ_COVERAGE", "reads")
if COVERAGE not in ("reads", "all", "none"):
    raise ValueError(f"FUZZ_COVERAGE must be reads, all or none, not {COVERAGE!r}")

MODELS = {
    "articles": Article,
    "cities": City,
    "experts": Expert,
    "outlets": Outlet,
    "quotes": Quote,
    "visit-participants": VisitParticipant,
    "visits": Visit,
}


def existing_ids_hook():
    """A hook that often replaces a generated id by the id of a sample row of the operation's resource.

    The ids are read once, before any request: a strategy must not change between examples (as it
    would after a DELETE), or Hypothesis refuses the run as flaky.
    """
    ids = {
        resource: list(model.objects.order_by("pk").values_list("pk", flat=True)) for resource, model in MODELS.items()
    }

    def existing_ids(context, path_parameters):
        resource_ids = ids.get(context.operation.path.split("/")[2], [])
        if not isinstance(path_parameters, dict) or "id" not in path_parameters or not resource_ids:
            return st.just(path_parameters)
        existing = st.sampled_from(resource_ids).map(lambda pk: {**path_parameters, "id": pk})
        return st.one_of(existing, st.just(path_parameters))

    return existing_ids


def load_schema(phases, *, accepted):
    """The live schema over WSGI, with these schemathesis phases, every check of schemathesis on, and
    `accepted` the answers a schema-valid request may get."""
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    loaded.config.phases.update(phases=phases)
    loaded.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(expected_statuses=accepted)
    loaded.hook("flatmap_path_parameters")(existing_ids_hook())
    return loaded


@pytest.fixture
def wsgi_keeps_the_test_connection():
    from django.core import signals
    from django.db import close_old_connections

    # The real WSGI handler closes "old" connections around each request, which on PostgreSQL would
    # close the one holding the test's transaction; Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def live_schema(sample_corpus, wsgi_keeps_the_test_connection):
    return load_schema(["examples", "fuzzing", *(["coverage"] if COVERAGE == "all" else [])], accepted=WRITE_ACCEPTED)


@pytest.fixture
def live_schema_coverage(sample_corpus, wsgi_keeps_the_test_connection):
    return load_schema(["coverage"], accepted=READ_ACCEPTED)


@pytest.fixture
def superuser_token(db):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.create_superuser("fuzzer", password="unused-in-tests-3")
    return Token.objects.create(user=user).key


# Derandomized so CI is repeatable: the same requests each run, and a failure reproduces.
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=list(HealthCheck),
)

every_operation = schemathesis.pytest.from_fixture("live_schema")
# An export (/api/quotes/export/) and a related list (/api/experts/{id}/quotes/) read their parameters
# through their list's code and FilterSet (corpus_app/api/exports.py, views.py): the lists' boundary values
# cover them, and each still gets the generated requests above. FUZZ_COVERAGE=all runs the boundary values
# of every operation, these included (README, "Tests and CI").
reads = (
    schemathesis.pytest.from_fixture("live_schema_coverage")
    .include(method="GET")
    .exclude(path_regex=r"(/export/|/\{id\}/(quotes|articles)/)$")
)


@every_operation.parametrize()
@FUZZ_SETTINGS
def test_no_server_error_and_no_response_outside_the_schema(case, superuser_token):
    """No generated request to any operation gets a 5xx or an answer the schema does not document."""
    case.call_and_validate(headers={"Authorization": f"Token {superuser_token}"}, excluded_checks=excluded_checks(case))


@pytest.mark.skipif(COVERAGE != "reads", reason="FUZZ_COVERAGE is not 'reads': covered above, or not at all")
@reads.parametrize()
@FUZZ_SETTINGS
def test_boundary_query_values_of_reads(case, superuser_token):
    """No boundary or invalid value of a read's parameters gets a 5xx or an undocumented answer."""
    case.call_and_validate(headers={"Authorization": f"Token {superuser_token}"}, excluded_checks=excluded_checks(case))
