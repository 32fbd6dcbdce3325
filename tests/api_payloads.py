"""Valid write payloads for each API resource, with whatever related rows they need."""

from tests.factories import ArticleFactory, ExpertFactory, VisitFactory

# A visit that ends the day before it starts: refused by the model and by the database.
BACKWARDS_VISIT = {
    "slug": "backwards", "title": "Backwards", "host_country": "AZ",
    "start_date": "2024-05-02", "start_date_precision": "day", "end_date": "2024-05-01", "end_date_precision": "day",
}  # fmt: skip

RESOURCES = ["articles", "visits", "visit-participants", "experts", "quotes", "outlets", "cities"]


def valid_payload(resource: str) -> dict:
    if resource == "outlets":
        return {"slug": "caspian-post", "name": "Caspian Post"}
    if resource == "cities":
        return {"slug": "ganja", "name": "Ganja", "country": "AZ"}
    if resource == "experts":
        return {"slug": "new-analyst", "name": "New Analyst", "kind": "analyst", "alternate_names": ["N. Analyst"]}
    if resource == "visits":
        return {
            "slug": "new-visit",
            "title": "New visit",
            "host_country": "AZ",
            "start_date": "2024-05-02",
            "start_date_precision": "day",
        }
    if resource == "visit-participants":
        return {"visit": VisitFactory().pk, "person": ExpertFactory().pk, "role": "visitor", "office": "Minister"}
    if resource == "articles":
        return {"slug": "new-article", "title": "New article", "body": "Text of the article.", "language": "en"}
    if resource == "quotes":
        article = ArticleFactory()
        return {"article": article.pk, "speaker": ExpertFactory().pk, "text": "We expect progress"}
    raise ValueError(resource)
