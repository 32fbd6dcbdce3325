"""The corpus: articles, the visits they cover, the people they quote, and the quotes."""

from .article import Article
from .base import CorpusModel, FixtureRowError, StaleVersionError
from .change_stamp import CorpusChangeStamp
from .city import City
from .dates import DatePrecision
from .expert import Expert, ExpertKind
from .links import StillListedError
from .outlet import Outlet
from .quote import Quote, QuoteKind
from .rejected_suggestion import RejectedSuggestion
from .synonym import SearchSynonym
from .visit import ParticipantRole, Visit, VisitKind, VisitParticipant, VisitStatus

__all__ = [
    "Article",
    "City",
    "CorpusChangeStamp",
    "CorpusModel",
    "DatePrecision",
    "Expert",
    "ExpertKind",
    "FixtureRowError",
    "Outlet",
    "ParticipantRole",
    "Quote",
    "QuoteKind",
    "RejectedSuggestion",
    "SearchSynonym",
    "Visit",
    "VisitKind",
    "VisitParticipant",
    "StaleVersionError",
    "StillListedError",
    "VisitStatus",
]
