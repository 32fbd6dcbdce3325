"""Which stemming each record's text gets: its article's language, where PostgreSQL can stem it.

Folded text is ASCII (folding.py), so only languages written in the Latin alphabet keep a stemmer
that works on it; anything else, Russian once romanised included, is matched word for word
('simple') with prefix search to stand in. Quotes, experts and visits are ranked as English, the
language the corpus is curated in. Adding a language is a line here; the search vector's
expression (schema.py) follows from this table on the next migration that rebuilds it.
"""

from functools import lru_cache

import snowballstemmer

# Language subtag (an article's `language`, before any "-") → PostgreSQL text search configuration.
STEMMED_LANGUAGES = {"en": "english", "tr": "turkish"}
UNSTEMMED = "simple"
DEFAULT_CONFIG = "english"  # for records without a language of their own
CONFIGS = (*STEMMED_LANGUAGES.values(), UNSTEMMED)

_STEMMERS = {config: snowballstemmer.stemmer(config) for config in STEMMED_LANGUAGES.values()}


def config_for(language: str) -> str:
    return STEMMED_LANGUAGES.get((language or "").split("-")[0].lower(), UNSTEMMED)


@lru_cache(maxsize=200_000)
def stem(word: str, config: str) -> str:
    """`word` as the configuration's Snowball stemmer reduces it, as PostgreSQL does (snippets.py).

    Remembered: a snippet stems every word up to its window, and a language has few distinct words
    next to the words it is written in (a few microseconds a stem, tens of thousands a page)."""
    stemmer = _STEMMERS.get(config)
    return stemmer.stemWord(word) if stemmer else word


def language_condition(column: str, language: str) -> str:
    """SQL true when the language tag in `column` is `language` or one of its regional forms (en-GB)."""
    return f"split_part({column}, '-', 1) = '{language}'"
