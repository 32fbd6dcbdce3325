"""
Matching quoted text against article bodies.

The press is inconsistent with white space and quotation marks (straight, curly, guillemets), and a
curator copying a quote should not have to reproduce a seed's exact line breaks or mark style. So
quotes are compared after folding every run of white space to one space and every quotation mark to
its plain ASCII form; letters, digits and punctuation must match exactly, case included.
"""

import hashlib

_MARK_FOLDING = str.maketrans(
    {
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2033": '"',  # ″
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "\u0060": "'",  # `
    }
)


def normalise_for_matching(text: str) -> str:
    """Fold quotation marks and white space; strip the ends."""
    return " ".join(text.translate(_MARK_FOLDING).split())


def _normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise `text` like normalise_for_matching, keeping each output character's input offset."""
    folded = text.translate(_MARK_FOLDING)
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for offset, char in enumerate(folded):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(offset - 1)
            pending_space = False
        chars.append(char)
        offsets.append(offset)
    return "".join(chars), offsets


def quote_position_in_article(quote_text: str, body: str) -> int | None:
    """Character offset in `body` where `quote_text` begins, or None if the body does not contain it."""
    needle = normalise_for_matching(quote_text)
    if not needle:
        return None
    haystack, offsets = _normalise_with_offsets(body)
    found = haystack.find(needle)
    return None if found < 0 else offsets[found]


def quote_is_in_article(quote_text: str, body: str) -> bool:
    return quote_position_in_article(quote_text, body) is not None


def quote_digest(quote_text: str) -> str:
    """A stable identity for a quote's words: two spellings of its white space or marks are one quote."""
    return hashlib.sha256(normalise_for_matching(quote_text).encode("utf-8")).hexdigest()
