"""JSON request bodies as the API reads them: nested no deeper than a record needs, text that is text.

DRF's JSONParser answers 400 only for a ValueError. Two bodies got past it into 500s:
  - nesting about 1,000 deep makes Python's decoder raise RecursionError;
  - "\\ud800" decodes to a lone surrogate, which is no character: any message or row holding it fails
    to encode (a choice field's "is not a valid choice" echoes its input) or to store.
Both are refused here, for every field at once, with a 400 naming where the bad value is. So are
two bodies it read as something else than was sent: a field given twice (`{"name": "A", "name": "B"}`,
of which Python keeps the last), and a number beyond any float (`1e999`, read as infinity, which a
text field stored as "inf").
"""

import codecs
import math
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

# A record's body is an object of fields holding at most a list of values (alternate_names): depth 2.
MAX_DEPTH = 20

_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(key: str) -> str:
    """A key as it can be shown in a message: quoted, short, and with surrogates escaped."""
    shown = key if len(key) <= 40 else f"{key[:40]}…"
    return "'" + shown.encode("utf-8", "backslashreplace").decode("utf-8") + "'"


def problem_in(data) -> str | None:
    """What makes a decoded body unacceptable, or None. Iterative: a deep body must not recurse here either."""
    stack = [(data, 1, "the body")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            return f"The JSON is nested deeper than {MAX_DEPTH} levels (at {where})."
        if isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return f"A field name holds an unpaired surrogate ({_printable(key)}), which is not a character."
                stack.append((item, depth + 1, _printable(key) if depth == 1 else f"{where}[{_printable(key)}]"))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, f"{where}[{index}]") for index, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{where} is a number beyond the largest a number may be."
        elif isinstance(value, str) and (found := _SURROGATE.search(value)):
            return (
                f"{where} holds an unpaired surrogate (U+{ord(found.group()):04X}), which is not a character: "
                "send text as UTF-8, or escape characters beyond U+FFFF as a pair (\\ud83d\\ude00)."
            )
    return None


def _object_refusing_repeated_fields(pairs: list) -> dict:
    fields = dict(pairs)
    if len(fields) != len(pairs):
        repeated = next(key for index, (key, _) in enumerate(pairs) if key in dict(pairs[:index]))
        raise ValueError(f"the field {_printable(repeated)} is given twice, so which value is meant is unclear")
    return fields


class CorpusJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        """DRF's JSONParser.parse, with an object hook refusing a field given twice."""
        try:
            data = json.load(
                codecs.getreader(get_encoding(parser_context or {}))(stream),
                parse_constant=json.strict_constant if self.strict else None,
                object_pairs_hook=_object_refusing_repeated_fields,
            )
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        problem = problem_in(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
