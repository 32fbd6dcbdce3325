"""A curator's day in a real browser: Debian's Chromium, headless, driven by Playwright."""

import datetime
import importlib
import os
import shutil

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from corpus_app.models import (
    Article,
    City,
    DatePrecision,
    Expert,
    Outlet,
    ParticipantRole,
    Quote,
    RejectedSuggestion,
    SearchSynonym,
    Visit,
    VisitParticipant,
)
from tests.factories import (
    ArticleFactory,
    CityFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
    VisitFactory,
    VisitParticipantFactory,
    body_quoting,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-test-password-1"
# The window of the curator's laptop the admin is laid out for.
WINDOW = {"width": 1400, "height": 1000}

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
        context = browser.new_context(viewport=WINDOW)
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
    """login() -> a page logged in as the curator (or `username`), in a browser context of its own (its own session)."""

    def open_page(username="curator"):
        page = new_page()
        page.goto(f"{curated_site}/admin/login/")
        page.fill("#id_username", username)
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


def test_the_api_front_page_leads_to_swagger_ui_and_to_the_login_under_the_csp(new_page, curated_site):
    """From /api/, the documentation link opens Swagger UI, which lists the operations and runs one ("Try it out"),
    and the login link logs in and back to /api/, which logs out again: all under the strict CSP."""
    page = new_page()
    page.goto(f"{curated_site}/api/")
    assert page.locator("h1").inner_text() == "corpus API"
    with page.expect_navigation() as docs:
        page.get_by_role("link", name="API documentation").click()
    assert docs.value.url == f"{curated_site}/api/docs/"
    assert "script-src 'self';" in docs.value.headers["content-security-policy"] + ";"
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 20
    page.locator(".opblock-summary", has_text="/api/experts/").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text() == "200"

    page.goto(f"{curated_site}/api/")
    page.locator("#content").get_by_role("link", name="Log in").click()
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{curated_site}/api/")
    assert page.locator(".navbar .navbar-text").inner_text() == "curator"
    page.locator(".navbar-logout button").click()
    page.wait_for_url(f"{curated_site}/api/")
    assert page.locator(".navbar a", has_text="Log in").count() == 1


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


# Layout: every admin page fits the curator's window, with the longest values the corpus holds.

# What spills sideways: the page itself, or a box that scrolls its content (a changelist's table
# scrolls inside .results, so the page never widens while its last columns are out of sight).
OVERFLOW = """() => {
  const root = document.documentElement;
  const found = root.scrollWidth > root.clientWidth ? [`the page is ${root.scrollWidth}px wide`] : [];
  for (const element of document.querySelectorAll("#container *")) {
    const overflow = getComputedStyle(element).overflowX;
    if (["auto", "scroll"].includes(overflow) && element.tagName !== "TEXTAREA"
        && element.scrollWidth > element.clientWidth + 1) {
      const name = element.id ? `#${element.id}` : `${element.tagName.toLowerCase()}.${element.className}`;
      found.push(`${name} scrolls sideways: ${element.scrollWidth}px in ${element.clientWidth}px`);
    }
  }
  return found;
}"""

LONG_TEXT = " ".join(
    ["The sides agreed that the normalisation process and the delimitation of the border would continue"] * 20
)


@pytest.fixture
def long_records(curated_site):
    """A record of each corpus model with values as long as the corpus's longest, each with several related records."""
    long_name = "Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani-Aliyev-Velizade"
    visitor = ExpertFactory(
        name=long_name,
        role="Deputy Prime Minister and Minister of Foreign Affairs of the Republic of Azerbaijan (2004-2020)",
        affiliation="Institute of International Relations and Strategic Studies at the Academy of Sciences",
        country="AZ",
        alternate_names=[f"{long_name} {n}" for n in range(6)],
    )
    others = [ExpertFactory(name=f"{long_name}-{n}", country="RU", official=True) for n in range(5)]
    cities = [CityFactory(name=f"Nakhchivan Autonomous Republic's capital {n}", country="AZ") for n in range(3)]
    title = "Lavrov's official visit to Azerbaijan for the trilateral talks on the normalisation process, February 2023"
    visit = VisitFactory(title=title, summary=LONG_TEXT, cities=cities, visitors=[visitor, *others[:3]])
    for person in others[3:]:
        participant = VisitParticipantFactory(
            visit=visit, person=person, role=ParticipantRole.MET, office=f"{visitor.role} {person.pk}", note=LONG_TEXT
        )
    other_visits = [VisitFactory(title=f"{title}, part {n}", visitors=[visitor]) for n in range(3)]
    outlet = OutletFactory(
        name="The Caspian Sea Region's Independent Information and Analytical Agency",
        homepage="https://www.example-caspian-information-agency.az/en/news/politics/2023/02/27/",
        country="AZ",
    )
    texts = [f"{LONG_TEXT} ({n})" for n in range(4)]
    article = ArticleFactory(
        title=f"Scene-setter: {title} amid the Kremlin's string of setbacks with the West, analysts say",
        outlet=outlet,
        body=body_quoting(*texts),
        visits=[visit, *other_visits],
    )
    quotes = [
        QuoteFactory(article=article, text=text, speaker=others[n % 2], relayed_by=visitor, visit=visit)
        for n, text in enumerate(texts)
    ]
    records = {
        Article: article,
        City: cities[0],
        Expert: others[0],  # two quotes and a visit
        Outlet: outlet,
        Quote: quotes[0],
        SearchSynonym: SearchSynonym.objects.create(spellings="Nagorno-Karabakh\nNagorny Karabakh\nArtsakh"),
        Visit: visit,
        VisitParticipant: participant,
    }
    # Every model the admin lists, a new one included: it needs its long record here.
    assert set(records) == {model for model in admin.site._registry if model._meta.app_label == "corpus_app"}
    return records


def corpus_admin_pages(records):
    """The index, and each corpus model's changelist, add page and change page of its long record."""
    pages = [reverse("admin:index")]
    for model, record in records.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add"), reverse(f"{name}_change", args=[record.pk])]
    return pages


def test_every_corpus_admin_page_fits_the_window(login, curated_site, long_records):
    """At 1400×1000 no corpus admin page, with long values in every column, scrolls sideways; the index lays out
    its Views as an app; an article's page has small quote boxes and a visits picker to read.

    One test, so the pages share one logged-in browser page and one set of records (each test empties the database).
    """
    get_user_model().objects.create_superuser("admin", password=PASSWORD)  # search synonyms are not the curator's
    page = login("admin")
    spills = {}
    for path in corpus_admin_pages(long_records):
        # Loaded is laid out: the admin's scripts (select2's pickers) run before the load event; the pages
        # fetch nothing after it.
        assert page.goto(f"{curated_site}{path}").ok, path
        if found := page.evaluate(OVERFLOW):
            spills[path] = found
    assert not spills, "\n".join(f"{path}: {'; '.join(found)}" for path, found in spills.items())
    index_lays_out_views_like_an_app_and_recent_actions_at_the_top(page, curated_site)
    article_page_has_small_quote_boxes_and_a_visits_picker_to_read(page, curated_site, long_records[Article])


def index_lays_out_views_like_an_app_and_recent_actions_at_the_top(page, site):
    """The index's Views box sits in the app list's column; Recent actions starts at the top of the sidebar."""
    page.goto(f"{site}/admin/")
    app_list, views = page.locator("#content-main .app-corpus_app").bounding_box(), page.locator("#corpus-views")
    assert views.locator("xpath=ancestor::*[@id='content-main']").count() == 1
    box = views.bounding_box()
    assert box["x"] == app_list["x"] and box["width"] == app_list["width"] and box["y"] >= app_list["y"]
    first_app = page.locator("#content-main .module").first.bounding_box()
    recent = page.locator("#recent-actions-module").bounding_box()
    assert recent["x"] > box["x"] + box["width"] and abs(recent["y"] - first_app["y"]) < 5


def article_page_has_small_quote_boxes_and_a_visits_picker_to_read(page, site, article):
    """Each quote's box on the article's page is three lines that hold the whole quote, and the visits picker is
    wide enough to read a visit's title."""
    page.goto(f"{site}{reverse('admin:corpus_app_article_change', args=[article.pk])}")
    boxes = page.locator(".inline-related:not(.empty-form) .field-text textarea")
    assert boxes.count() == article.quotes.count() == 4
    assert {boxes.nth(n).get_attribute("rows") for n in range(4)} == {"3"}
    assert sorted(boxes.nth(n).input_value() for n in range(4)) == sorted(article.quotes.values_list("text", flat=True))
    picker = page.locator(".field-visits .select2-container").bounding_box()
    assert picker["width"] >= 600
    chosen = page.locator(".field-visits .select2-selection__choice").first.bounding_box()
    assert chosen["x"] + chosen["width"] <= picker["x"] + picker["width"]
