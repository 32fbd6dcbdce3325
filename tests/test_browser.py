"""A curator's day in a real browser: Debian's Chromium, headless, driven by Playwright."""

import datetime
import importlib
import os
import shutil

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from corpus_app.models import Article, DatePrecision, Expert, Quote, RejectedSuggestion
from tests.factories import ArticleFactory, ExpertFactory, VisitFactory, body_quoting

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-test-password-1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def curated_site(live_server):
    """A few curated records, the two roles and a curator, on a live server (a transactional database)."""
    lavrov = ExpertFactory(name="Sergei Lavrov", slug="sergei-lavrov", official=True)
    ExpertFactory(name="Elkhan Shahinoglu", slug="elkhan-shahinoglu", alternate_names=["Elhan Shainoglu", "Shainoglu"])
    ExpertFactory(name="Elkhan Other", slug="elkhan-other")
    ExpertFactory(name="Ilgar Velizade", slug="ilgar-velizade", role="political scientist")
    ExpertFactory(name="Tawfiq Abbasov", slug="tawfiq-abbasov", role="political scientist")
    visit = VisitFactory(
        slug="lavrov-azerbaijan-2016",
        title="Lavrov's working visit to Baku, 2016",
        start_date=datetime.date(2016, 1, 1),
        start_date_precision=DatePrecision.YEAR,
        visitors=[lavrov],
    )
    VisitFactory(slug="lavrov-azerbaijan-2023-02", title="Lavrov in Baku, February 2023", visitors=[lavrov])
    ArticleFactory(
        slug="why-lavrov-flew-to-aliyev",
        title="Why Lavrov flew to Aliyev?",
        visits=[visit],
        body=body_quoting("Information is pretty scant."),
    )
    ArticleFactory(title="Why Baku waits")
    importlib.import_module("corpus_app.migrations.0005_curator_and_reader_groups").roles_create(django_apps, None)
    curator = get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curator"))
    return live_server.url


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations and script errors of the pages given to `watch`, as Chromium
    reports them on the console; every browser test ends without any."""
    violations = []

    def watch(page):
        page.on(
            "console", lambda message: "Content Security Policy" in message.text and violations.append(message.text)
        )
        page.on("pageerror", lambda error: violations.append(f"script error: {error}"))
        return page

    watch.violations = violations
    yield watch
    assert not violations, "\n".join(violations)


@pytest.fixture
def new_page(browser, csp_violations):
    """new_page() -> a page in a browser context of its own (its own session), watched for CSP violations."""
    contexts = []

    def open_page():
        context = browser.new_context()
        contexts.append(context)
        return csp_violations(context.new_page())

    yield open_page
    # No request may still be in flight when the test database is flushed.
    for context in contexts:
        for page in context.pages:
            page.wait_for_load_state("networkidle")
        context.close()


@pytest.fixture
def login(new_page, curated_site):
    """login() -> a page logged in as the curator, in a browser context of its own (its own session)."""

    def open_page():
        page = new_page()
        page.goto(f"{curated_site}/admin/login/")
        page.fill("#id_username", "curator")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{curated_site}/admin/")
        return page

    return open_page


def pick(page, field, typed, choice):
    """Choose `choice` in the admin's autocomplete (select2) widget of `field` by typing `typed`."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.locator(".select2-results__option", has_text=choice).first.click()
    settle(page)


def settle(page):
    """Wait until the page has no request in flight.

    On SQLite the live server's request threads share the test's single in-memory connection, so
    two overlapping requests (an autocomplete lookup and a form post) would interleave transactions.
    """
    page.wait_for_load_state("networkidle")


def save(page):
    settle(page)
    page.click("input[name=_save]")
    settle(page)


def test_find_an_expert_by_an_alternate_spelling(login, curated_site):
    """Searching the expert list for an alternate spelling finds that expert alone."""
    page = login()
    page.goto(f"{curated_site}/admin/corpus_app/expert/")
    page.fill("#searchbar", "Shainoglu")
    page.press("#searchbar", "Enter")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Elkhan Shahinoglu" in rows.first.inner_text()


def test_add_a_quote_through_autocomplete_and_see_the_provenance_error(login, curated_site):
    """A quote added through the autocomplete widgets is refused until its text is in the article."""
    page = login()
    page.goto(f"{curated_site}/admin/corpus_app/quote/add/")
    pick(page, "article", "Why Lavrov", "Why Lavrov flew to Aliyev?")
    pick(page, "speaker", "Lavrov", "Sergei Lavrov")
    page.fill("#id_text", "Lavrov promised a breakthrough.")
    save(page)
    assert "does not appear in the article" in page.locator(".errorlist").first.inner_text()
    assert not Quote.objects.filter(text__startswith="Lavrov promised").exists()

    page.fill("#id_text", "Information is pretty scant.")
    pick(page, "visit", "2016", "Lavrov's working visit to Baku, 2016")
    page.select_option("#id_kind", "paraphrase")
    save(page)
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    quote = Quote.objects.get(text="Information is pretty scant.")
    assert (quote.speaker.slug, quote.article.slug, quote.visit.slug) == (
        "sergei-lavrov",
        "why-lavrov-flew-to-aliyev",
        "lavrov-azerbaijan-2016",
    )


def test_see_a_change_in_history_and_revert_it(login, curated_site):
    """A change shows in the record's history, and reverting to the first version restores it."""
    expert = Expert.objects.get(slug="ilgar-velizade")
    page = login()
    page.goto(f"{curated_site}/admin/corpus_app/expert/{expert.pk}/change/")
    page.fill("#id_role", "astrologer")
    save(page)
    assert Expert.objects.get(pk=expert.pk).role == "astrologer"

    page.goto(f"{curated_site}/admin/corpus_app/expert/{expert.pk}/history/")
    assert "astrologer" in page.locator("#change-history").inner_text()
    page.locator("#change-history tbody tr").last.locator("a").first.click()  # the oldest version
    assert page.input_value("#id_role") == "political scientist"
    save(page)
    assert "changed successfully" in page.locator(".messagelist").inner_text()
    assert Expert.objects.get(pk=expert.pk).role == "political scientist"


def test_the_second_of_two_concurrent_edits_is_refused(login, curated_site):
    """Of two curators editing one record in two browsers, the second to save is refused."""
    expert = Expert.objects.get(slug="tawfiq-abbasov")
    url = f"{curated_site}/admin/corpus_app/expert/{expert.pk}/change/"
    first, second = login(), login()
    first.goto(url)
    second.goto(url)

    first.fill("#id_role", "political scientist and columnist")
    save(first)
    assert "was changed successfully" in first.locator(".messagelist").inner_text()

    second.fill("#id_role", "economist")
    save(second)
    assert "Someone else saved this record while you were editing it" in second.locator(".errorlist").first.inner_text()
    assert Expert.objects.get(pk=expert.pk).role == "political scientist and columnist"


# Content-Security-Policy: the pages work under it (every test above also ends without a violation).


def test_swagger_ui_renders_and_calls_the_api_under_the_csp(new_page, curated_site):
    """Swagger UI, served under a strict CSP, lists the operations and runs one ("Try it out")."""
    page = new_page()
    response = page.goto(f"{curated_site}/api/docs/")
    assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 20
    page.locator(".opblock-summary", has_text="/api/experts/").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text() == "200"


def test_admin_pages_work_under_the_csp(login, curated_site, tmp_path):
    """Under the CSP: a changelist and its filters, the timeline, the export page's toggle, an import preview."""
    page = login()
    response = page.goto(f"{curated_site}/admin/corpus_app/expert/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert page.locator("#result_list tbody tr").count() == 5
    page.locator("#changelist-filter a", has_text="Analyst").first.click()
    settle(page)

    page.goto(f"{curated_site}/admin/corpus_app/visit/timeline/")
    assert page.locator("#visit-timeline .visit-row").count() == 2
    # The legend's colours come from the stylesheet, not from inline styles the CSP would drop.
    assert page.locator(".timeline-legend-quotes").evaluate("e => getComputedStyle(e).color") == "rgb(192, 57, 43)"

    page.goto(f"{curated_site}/admin/corpus_app/expert/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 3 and all(fields.nth(n).is_checked() for n in range(fields.count()))
    page.click("#select-all-toggle")
    assert not any(fields.nth(n).is_checked() for n in range(fields.count()))

    csv_file = tmp_path / "experts.csv"
    csv_file.write_text("slug,name,kind\nilgar-velizade,Ilgar Velizade,legislator\n")
    page.goto(f"{curated_site}/admin/corpus_app/expert/import/")
    page.set_input_files("#id_import_file", str(csv_file))
    page.select_option("#id_format", "0")
    page.click("input[type=submit]")
    assert page.locator("table.import-preview tr.update del").first.inner_text() == "analyst"
    page.click("input[name=confirm]")
    settle(page)
    assert "1 updated" in page.locator(".messagelist").inner_text()
    assert Expert.objects.get(slug="ilgar-velizade").kind == "legislator"


INGESTED_PAGE = (
    "Home | Politics | Economy\n\nLavrov is back in Baku\n\n27 February 2023 [17:59]\n\n"
    "Russian Foreign Minister Sergei Lavrov arrived in Baku on Monday for talks on the peace agenda.\n\n"
    "“Moscow cannot afford to lose Baku as a partner in the region,” Elhan Shainoglu told Turan.\n\n"
    '"The visit will focus on the peace treaty and on transport links," said Farid Mammadov, a political '
    "analyst at the Baku Policy Institute.\n\n"
    "Share\nFacebook\n\n© 2023 Example News"
)


def test_a_pasted_page_becomes_an_article_with_its_accepted_quotes(login, curated_site):
    page = login()
    page.goto(f"{curated_site}/admin/corpus_app/article/")
    page.click("text=Add article from page")
    page.fill("#id_text", INGESTED_PAGE)
    page.fill("#id_url", "https://example.com/lavrov-back")
    page.click("input[value='Read page']")
    page.wait_for_selector("#ingest-review-form")
    assert page.input_value("#id_article-title") == "Lavrov is back in Baku"
    assert page.input_value("#id_article-published_date") == "2023-02-27"
    assert "Facebook" not in page.input_value("#id_article-body")
    # The known expert is matched by another spelling; the new one is proposed with the article's words.
    assert "Elkhan Shahinoglu" in page.locator("#suggestion-0 .field-speaker").inner_text()
    assert page.input_value("#id_quote-1-new_speaker_name") == "Farid Mammadov"
    assert page.input_value("#id_quote-1-new_speaker_role") == "political analyst at the Baku Policy Institute"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # The visit the article covers (by its date) is proposed for the article and for each quote.
    assert "Lavrov in Baku, February 2023" in page.locator(".field-visits").inner_text()
    assert "Lavrov in Baku, February 2023" in page.locator("#suggestion-0 .field-visit").inner_text()
    page.check("#id_quote-1-decision_1")  # Reject
    settle(page)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert "with 1 quote(s)" in page.locator(".messagelist").inner_text()
    article = Article.objects.get(url="https://example.com/lavrov-back")
    assert page.url.endswith(f"/admin/corpus_app/article/{article.pk}/change/")
    (quote,) = article.quotes.all()
    assert (quote.speaker.slug, quote.visit.slug) == ("elkhan-shahinoglu", "lavrov-azerbaijan-2023-02")
    assert RejectedSuggestion.objects.get().text.startswith("The visit will focus")
