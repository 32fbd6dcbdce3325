"""Time DRF's field-by-field representation against the compiled one (corpus_app/api/compiled.py).

    DJANGO_DEBUG=1 .venv/bin/python bench/serialize.py [--rows 50] [--rounds 200]

Builds a throwaway SQLite database with generate_corpus, then serializes one page of each list both
ways and prints milliseconds per page and the ratio. Not a test: numbers, for the README and reviews.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_DEBUG", "1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.serializers import ModelSerializer

    from corpus_app.api import serializers as s
    from corpus_app.models import Article, Expert, Quote, Visit

    call_command("migrate", verbosity=0)
    call_command("generate_corpus", articles=max(args.rows, 60), seed=1, verbosity=0, stdout=open(os.devnull, "w"))
    compiled_way = s.CorpusModelSerializer.to_representation
    lists = {
        "quotes": (s.QuoteSerializer, Quote),
        "articles": (s.ArticleSerializer, Article),
        "visits": (s.VisitSerializer, Visit),
        "experts": (s.ExpertSerializer, Expert),
    }
    print(f"{'list':10} {'DRF ms/page':>12} {'compiled':>10} {'ratio':>6}")
    for name, (serializer_class, model) in lists.items():
        page = list(model.objects.for_listing()[: args.rows])
        serializer = serializer_class(context={})
        timings = []
        for compiled in (False, True):
            # DRF's own way everywhere, nested serializers included, then the compiled one.
            s.CorpusModelSerializer.to_representation = compiled_way if compiled else ModelSerializer.to_representation
            start = time.perf_counter()
            for _ in range(args.rounds):
                [serializer.to_representation(record) for record in page]
            timings.append((time.perf_counter() - start) * 1000 / args.rounds)
        print(f"{name:10} {timings[0]:12.2f} {timings[1]:10.2f} {timings[0] / timings[1]:6.1f}")


if __name__ == "__main__":
    main()
