"""Reading API answers in tests."""

import csv
import io

from rest_framework import status


def results(response) -> list[dict]:
    """The rows of a 200 list answer."""
    assert response.status_code == status.HTTP_200_OK, response.content[:500]
    return response.json()["results"]


def slugs(response) -> set[str]:
    return {row["slug"] for row in results(response)}


def read_csv(response) -> list[dict]:
    """The rows of a 200 CSV answer, by column name."""
    assert response.status_code == status.HTTP_200_OK, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
