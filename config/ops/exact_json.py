"""`dumpdata`'s JSON, keeping times to the microsecond: a dump is a backup, and must restore exactly.

Django's JSON serializer writes datetimes and times through DjangoJSONEncoder, which cuts them to
milliseconds (ECMAScript's precision): every record's created_at and updated_at came back from a
dump-and-load slightly different. Registered as the "json" format (SERIALIZATION_MODULES), this
serializer writes them in full ISO 8601; `loaddata` reads those as it reads any other, and a stock
Django reads these dumps too. Everything else is Django's JSON serializer.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder's text for datetimes and times ("Z" for UTC), with every microsecond digit.

    A value on a whole millisecond reads as before, so dumps and fixtures written earlier compare equal.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self):
        super()._init_options()
        if self.json_kwargs["cls"] is DjangoJSONEncoder:
            self.json_kwargs["cls"] = ExactJSONEncoder
