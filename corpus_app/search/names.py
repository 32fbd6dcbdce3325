"""Which people a search names, misspelt or not: trigram similarity between its words and theirs.

The database finds candidates by its trigram index (PostgreSQL's pg_trgm, `%>`, generous on purpose);
the decision is made here, word against word, by the Jaccard similarity of their trigrams as pg_trgm
counts them. Word against word, because a whole-name measure lets a short name inside a long query
word pass: "Karabakh" shares half its trigrams with "Kara" (McDonald), but as words the two are
0.44 alike, below NAME_SIMILARITY, while "Shaginoglu"/"Shahinoglu" are 0.54 and "Lavrof"/"Lavrov"
0.56. Both sides are folded first (folding.py), so transliterations are already equal.
"""

from functools import lru_cache

from .folding import STOP_WORDS

NAME_SIMILARITY = 0.5
MIN_WORD_LENGTH = 3  # shorter words (initials, "de") would name half the corpus's people


def name_words(name_text: str) -> list[str]:
    """The words of a folded query that could be (part of) a name."""
    return [word for word in name_text.split() if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS]


@lru_cache(maxsize=50_000)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def word_similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def name_similarity(query_words: list[str], folded_names: str) -> tuple[float, float]:
    """(least, mean) over the query's words of each one's similarity to its nearest word of a person's
    spellings. A person is named when every word is near one of theirs (least), as a text matches
    only with every word: "Elhan Shainoglu" names Elkhan Shahinoglu, not another Elkhan."""
    words = set(folded_names.split())
    nearest = [max((word_similarity(q, w) for w in words), default=0.0) for q in query_words]
    return min(nearest, default=0.0), sum(nearest) / len(nearest) if nearest else 0.0


def most_similar(query_words: list[str], candidates, limit: int) -> list[tuple[int, float]]:
    """The `limit` (pk, similarity) of `candidates` ((pk, folded names) pairs) similar enough, best first."""
    scored = [(pk, *name_similarity(query_words, folded)) for pk, folded in candidates]
    similar = sorted(
        ((pk, mean) for pk, least, mean in scored if least >= NAME_SIMILARITY), key=lambda p: (-p[1], p[0])
    )
    return similar[:limit]
