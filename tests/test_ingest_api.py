"""POST /api/ingest/ and its accept/ and reject/: drafting saves nothing, accepting saves through the
models' rules all or nothing, rejecting is remembered."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from corpus_app.models import Article, Expert, Outlet, Quote, RejectedSuggestion
from tests.conftest import _client_with_token
from tests.factories import COPIED_PAGE, ArticleFactory, ExpertFactory, OutletFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db

PAGE = COPIED_PAGE
URL = "https://example.com/lavrov-arrives"
INGEST, ACCEPT, REJECT = reverse("ingest"), reverse("ingest-accept"), reverse("ingest-reject")


def client_with(*codenames):
    user = get_user_model().objects.create_user(f"user-{len(codenames)}-{'-'.join(codenames)}"[:150])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="corpus_app", codename__in=codenames))
    return _client_with_token(user), user


def counts():
    return Article.objects.count(), Quote.objects.count(), Expert.objects.count(), Outlet.objects.count()


@pytest.fixture
def shahinoglu(db):
    return ExpertFactory(name="Elkhan Shahinoglu", slug="elkhan-shahinoglu", alternate_names=["Elhan Şahinoğlu"])


def drafted(client, **extra):
    response = client.post(INGEST, {"text": PAGE, "url": URL, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_page_becomes_a_draft_and_suggestions_and_nothing_is_saved(curator_client, shahinoglu):
    OutletFactory(name="Example News")
    before = counts()
    draft = drafted(curator_client)
    assert counts() == before
    article = draft["article"]
    assert (article["title"], article["published_date"], article["published_date_precision"]) == (
        "Lavrov arrives in Baku", "2024-05-13", "day",
    )  # fmt: skip
    assert (article["url"], article["language"], article["outlet"]["name"]) == (URL, "en", "Example News")
    assert "Facebook" not in article["body"] and article["existing_article"] is None
    first, second = draft["suggestions"]
    assert first["speaker"] | {"id": None} == {
        "id": None, "name": "Farid Mammadov", "role": "political analyst at the Baku Policy Institute",
        "affiliation": "Baku Policy Institute", "kind": "analyst", "new": True,
    }  # fmt: skip
    assert second["speaker"] == {
        "id": shahinoglu.pk,
        "slug": "elkhan-shahinoglu",
        "name": shahinoglu.name,
        "new": False,
    }
    assert {"text", "confidence", "context", "visit"} <= set(first)


def test_html_is_read_as_a_page(curator_client):
    html = (
        "<html><head><title>Talks</title></head><body><article><h1>Talks</h1>"
        + "".join(f"<p>{p}</p>" for p in PAGE.split("\n\n")[3:5])
        + "</article></body></html>"
    )
    response = curator_client.post(INGEST, {"html": html}, format="json")
    assert response.status_code == 200, response.content
    assert [s["speaker"]["name"] for s in response.json()["suggestions"]] == ["Farid Mammadov"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "html"), ({"text": "x", "html": "<p>x</p>"}, "text"), ({"text": PAGE, "url": "not a url"}, "url"),
     ({"text": "   "}, "text"), ({"html": "<html><body><nav>Home</nav></body></html>"}, "html")],
)  # fmt: skip
def test_a_bad_page_is_a_400_with_field_messages(curator_client, payload, field):
    response = curator_client.post(INGEST, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("path", [INGEST, ACCEPT, REJECT])
def test_ingesting_needs_the_permissions_to_add_articles_and_quotes(api_client, reader_client, path):
    assert api_client.post(path, {"text": PAGE}, format="json").status_code == 401
    assert reader_client.post(path, {"text": PAGE}, format="json").status_code == 403
    only_articles, _ = client_with("add_article")
    assert only_articles.post(path, {"text": PAGE}, format="json").status_code == 403


def accept_payload(draft, **quote_overrides):
    article = {k: draft["article"][k] for k in ("title", "published_date", "published_date_precision", "url", "body")}
    quotes = []
    for suggestion in draft["suggestions"]:
        speaker = suggestion["speaker"]
        quote = {"text": suggestion["text"]}
        if speaker["new"]:
            quote["new_speaker"] = {k: speaker[k] for k in ("name", "role", "affiliation", "kind")}
        else:
            quote["speaker"] = speaker["id"]
        quotes.append(quote | quote_overrides)
    return {"article": article, "quotes": quotes}


def test_accepting_saves_the_article_its_quotes_and_new_experts_with_history(shahinoglu):
    client, user = client_with("add_article", "add_quote", "add_expert")
    draft = drafted(client)
    response = client.post(ACCEPT, accept_payload(draft), format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    article = Article.objects.get(pk=answer["article"]["id"])
    assert (article.title, article.url, article.slug) == ("Lavrov arrives in Baku", URL, "lavrov-arrives-in-baku")
    assert [q.speaker.name for q in article.quotes.order_by("position")] == ["Farid Mammadov", "Elkhan Shahinoglu"]
    (created,) = answer["experts_created"]
    mammadov = Expert.objects.get(pk=created["id"])
    assert (mammadov.role, mammadov.affiliation, mammadov.kind) == (
        "political analyst at the Baku Policy Institute", "Baku Policy Institute", "analyst",
    )  # fmt: skip
    for record in (article, mammadov, *article.quotes.all()):
        (entry,) = record.history.all()
        assert (entry.history_user, entry.history_change_reason) == (user, "Accepted from an ingested page")
    assert [q.position for q in article.quotes.order_by("position")] == sorted(
        article.body.index(q.text[:20]) for q in article.quotes.all()
    )


def test_an_edited_suggestion_is_saved_as_edited(curator_client):
    draft = drafted(curator_client)
    payload = accept_payload(draft)
    payload["quotes"] = payload["quotes"][:1]
    payload["quotes"][0]["new_speaker"]["name"] = "Farid Mamedov"
    payload["quotes"][0]["text"] = "The visit will focus on the peace treaty"
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 201, response.content
    (quote,) = Quote.objects.all()
    assert (quote.text, quote.speaker.name) == ("The visit will focus on the peace treaty", "Farid Mamedov")


def test_a_refused_quote_saves_nothing_and_says_which(curator_client):
    draft = drafted(curator_client)
    payload = accept_payload(draft)
    payload["quotes"][1]["text"] = "Words the article never printed."
    before = counts()
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["quotes"]) == ["1"]
    assert "text" in response.json()["quotes"]["1"]
    assert counts() == before


def test_a_refused_article_is_reported_by_field(curator_client):
    ArticleFactory(url=URL)
    draft = drafted(curator_client)
    payload = accept_payload(draft)
    payload["article"]["published_date_precision"] = "fortnight"
    payload["article"]["language"] = "English!"
    before = counts()
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 400
    assert {"published_date_precision", "language", "url"} <= set(response.json()["article"])
    assert counts() == before


def test_accepting_twice_is_refused_and_changes_nothing(curator_client):
    draft = drafted(curator_client)
    assert curator_client.post(ACCEPT, accept_payload(draft), format="json").status_code == 201
    before = counts()
    again = curator_client.post(ACCEPT, accept_payload(draft), format="json")
    assert again.status_code == 400
    assert counts() == before


def test_new_experts_need_their_permission_and_existing_ones_do_not(shahinoglu):
    client, _ = client_with("add_article", "add_quote")
    draft = drafted(client)
    payload = accept_payload(draft)
    refused = client.post(ACCEPT, payload, format="json")
    assert refused.status_code == 403 and "add_expert" in refused.json()["detail"]
    payload["quotes"] = payload["quotes"][1:]  # Shahinoglu's: a known expert
    assert client.post(ACCEPT, payload, format="json").status_code == 201


def test_quotes_are_added_to_the_corpus_copy_of_the_page_and_it_is_recognised(curator_client, shahinoglu):
    visit = VisitFactory()
    article = ArticleFactory(url=URL, body=drafted(curator_client)["article"]["body"], visits=[visit])
    draft = drafted(curator_client)
    assert draft["article"]["existing_article"]["id"] == article.pk
    payload = {"article_id": article.pk, "quotes": accept_payload(draft)["quotes"][1:]}
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["article_created"] is False
    (quote,) = article.quotes.all()
    assert (quote.speaker, quote.visit) == (shahinoglu, visit)  # the article's one visit, as on any new quote
    again = drafted(curator_client)
    assert again["held_back"] == {"rejected": 0, "curated": 1}
    assert [s["speaker"]["name"] for s in again["suggestions"]] == ["Farid Mammadov"]


def test_a_page_saved_without_its_address_is_recognised_by_its_title_and_body(curator_client):
    draft = drafted(curator_client)
    article = ArticleFactory(title=draft["article"]["title"], body=draft["article"]["body"].replace("\n\n", "\n\n\n"))
    QuoteFactory(article=article, text=draft["suggestions"][0]["text"])
    response = curator_client.post(INGEST, {"text": PAGE}, format="json")
    assert response.json()["article"]["existing_article"]["id"] == article.pk
    assert response.json()["held_back"]["curated"] == 1


def test_a_rejected_suggestion_is_not_proposed_again_by_url_or_by_body(curator_client):
    draft = drafted(curator_client)
    rejected = draft["suggestions"][0]["text"]
    response = curator_client.post(
        REJECT, {"url": URL, "body_digest": draft["article"]["body_digest"], "texts": [rejected]}, format="json"
    )
    assert response.json() == {"rejected": 1, "new": 1}
    assert RejectedSuggestion.objects.get().text == rejected
    for again in (drafted(curator_client), curator_client.post(INGEST, {"text": PAGE}, format="json").json()):
        assert rejected not in [s["text"] for s in again["suggestions"]]
        assert again["held_back"]["rejected"] == 1
    # Rejecting again, the body sent instead of its digest, remembers nothing twice.
    response = curator_client.post(REJECT, {"body": draft["article"]["body"], "texts": [rejected]}, format="json")
    assert response.json() == {"rejected": 1, "new": 0}


@pytest.mark.parametrize(
    "payload",
    [{"texts": ["x y z w"]}, {"body_digest": "abc", "texts": ["x y z w"]}, {"body": "A body.", "texts": []},
     {"body": "A body.", "body_digest": "0" * 64, "texts": ["x"]}],
)  # fmt: skip
def test_a_bad_rejection_is_a_400(curator_client, payload):
    assert curator_client.post(REJECT, payload, format="json").status_code == 400
    assert not RejectedSuggestion.objects.exists()


@pytest.mark.parametrize(
    "quote",
    [{"text": "x"}, {"text": "x", "speaker": 1, "new_speaker": {"name": "A"}}, {"text": "x", "speaker": 1.5},
     {"text": "x", "new_speaker": {"name": ""}}, {"text": "x", "new_speaker": {"name": "A", "kind": "wizard"}}],
)  # fmt: skip
def test_a_quote_without_one_clear_speaker_is_a_400(curator_client, quote):
    article = ArticleFactory()
    response = curator_client.post(ACCEPT, {"article_id": article.pk, "quotes": [quote]}, format="json")
    assert response.status_code == 400
    assert "quotes" in response.json()


def test_a_new_outlet_is_created_once(curator_client):
    draft = drafted(curator_client)
    payload = accept_payload(draft)
    payload["article"]["new_outlet"] = {"name": "Example News", "homepage": "https://example.com"}
    assert curator_client.post(ACCEPT, payload, format="json").status_code == 201
    outlet = Outlet.objects.get()
    assert (outlet.name, outlet.slug, Article.objects.get().outlet) == ("Example News", "example-news", outlet)


def test_a_page_of_thousands_of_quotations_is_bounded(curator_client):
    """A hostile page: at most MAX_SUGGESTIONS are proposed; a body longer than an article may be is a 400."""
    from corpus_app.ingest.pipeline import MAX_SUGGESTIONS

    sentence = 'Analyst Arastun Orujlu said: "Baku is good and Moscow is fine today." '
    many = curator_client.post(INGEST, {"text": "Title\n\n" + sentence * 2000}, format="json")
    assert many.status_code == 200 and len(many.json()["suggestions"]) == MAX_SUGGESTIONS
    too_long = curator_client.post(INGEST, {"html": "<p>" + sentence * 3000 + "</p>"}, format="json")
    assert too_long.status_code == 400 and "longer than" in too_long.json()["html"][0]


def test_accepting_nothing_into_an_existing_article_is_a_400(curator_client):
    response = curator_client.post(ACCEPT, {"article_id": ArticleFactory().pk, "quotes": []}, format="json")
    assert response.status_code == 400 and "quotes" in response.json()


def test_the_corpus_copy_is_found_under_another_spelling_of_its_address(curator_client):
    draft = drafted(curator_client)
    assert curator_client.post(ACCEPT, accept_payload(draft), format="json").status_code == 201
    for spelling in ("http://www.example.com/lavrov-arrives/", "https://EXAMPLE.com/lavrov-arrives?utm_source=x"):
        again = curator_client.post(INGEST, {"text": PAGE, "url": spelling}, format="json").json()
        assert again["article"]["existing_article"] is not None, spelling
        assert again["held_back"]["curated"] == 2


@pytest.mark.parametrize(
    ("url", "field"), [("https://www.example.com/lavrov-arrives/", "url"), ("", "non_field_errors")]
)
def test_the_same_page_is_not_saved_twice_under_another_address(curator_client, url, field):
    draft = drafted(curator_client)
    assert curator_client.post(ACCEPT, accept_payload(draft), format="json").status_code == 201
    payload = accept_payload(draft)
    payload["article"]["url"] = url
    before = counts()
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 400
    assert "already" in response.json()["article"][field][0]
    assert counts() == before


def test_only_words_of_the_body_can_be_rejected(curator_client):
    response = curator_client.post(REJECT, {"body": "A body of the page.", "texts": ["Words elsewhere"]}, format="json")
    assert response.status_code == 400 and "0" in response.json()["texts"]
    assert not RejectedSuggestion.objects.exists()


def test_a_page_larger_than_an_article_is_refused_by_what_it_is(curator_client):
    longer = curator_client.post(INGEST, {"text": "Words of a page. " * 200_000}, format="json")  # 3.4 MB
    assert longer.status_code == 400 and "longer than" in longer.json()["text"][0]
    too_big = curator_client.post(INGEST, {"text": "Words of a page. " * 600_000}, format="json")  # 10 MB
    assert too_big.status_code == 413


def test_a_new_experts_slug_is_numbered_past_those_taken(curator_client):
    # Listed first (by name), 60 slugs that only begin like his crowd out the numbered ones.
    for n in range(60):
        ExpertFactory(slug=f"farid-mammadov-x{n}", name=f"Aaa {n}")
    for slug in ("farid-mammadov", "farid-mammadov-2"):
        ExpertFactory(slug=slug, name=f"Zzz {slug}")
    draft = drafted(curator_client)
    payload = accept_payload(draft)
    payload["quotes"] = payload["quotes"][:1]
    response = curator_client.post(ACCEPT, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["experts_created"][0]["slug"] == "farid-mammadov-3"
