"""
Who an article names, where, and as what: the people mentioned in its body, in reading order.

A person is met as a full name ("Political analyst Arastun Orujlu"), an initial ("I. Velizade"), a
surname alone once named ("Velizade said"), or, for someone the corpus knows, any spelling of theirs
("Elhan Shainoglu" is Elkhan Shahinoglu). Names are runs of capitalised words less the titles and
nationalities before them ("Russian Foreign Minister Sergei Lavrov" is Sergei Lavrov, with that role);
runs naming places and bodies ("South Caucasus", "Atlas Research Center") are not people. Known
people are matched by folded spelling (search/folding.py: Shoigu = Şoyqu) and, for the odd
misspelling, by trigram similarity word for word (search/names.py).
"""

import re
from dataclasses import dataclass, field

from corpus_app.search.folding import fold_word
from corpus_app.search.names import word_similarity

from .directory import Directory, KnownPerson

TOKEN = re.compile(r"[^\W\d_][\w'’\-.]*")
# Titles, offices and nationalities stand before a name in capitals; they describe, they do not name.
DESCRIPTOR_WORDS = {
    "russian", "azerbaijani", "azeri", "armenian", "american", "turkish", "iranian", "georgian", "ukrainian",
    "french", "british", "german", "european", "chinese", "israeli", "kazakh", "uzbek", "us", "u.s.",
    "foreign", "defense", "defence", "minister", "ministers", "president", "prime", "deputy", "assistant",
    "secretary", "state", "political", "professor", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "mp", "ambassador", "chairman", "chairwoman", "head", "director", "spokesman", "spokeswoman",
    "spokesperson", "expert", "analyst", "editor", "chief", "general", "colonel", "senator", "speaker",
    "scientist", "commentator", "journalist", "economist", "lawyer", "member", "leader", "former", "acting",
    "vice", "first", "counterpart", "official", "officials", "envoy", "representative", "adviser", "advisor",
    "aide", "governor", "mayor", "king", "queen", "sheikh", "emir", "pope", "patriarch", "according",
    "true", "also", "meanwhile", "however", "but", "and", "as", "in", "on", "at", "the", "a", "an",
    "political scientist", "kremlin", "pentagon", "azerbaijan's", "russia's",
}  # fmt: skip
# Words that make a capitalised run a place, a body, an event or a document rather than a person.
NOT_A_PERSON = {
    "south", "north", "east", "west", "eastern", "western", "central", "middle", "caucasus", "sea", "region",
    "union", "states", "republic", "federation", "kingdom", "nations", "council", "committee", "ministry",
    "agency", "center", "centre", "institute", "university", "academy", "party", "parliament", "majlis",
    "milli", "assembly", "organization", "organisation", "group", "forces", "army", "bank", "company",
    "corporation", "fund", "foundation", "press", "news", "novosti", "tv", "radio", "service", "office",
    "department", "conference", "summit", "forum", "declaration", "agreement", "statement", "treaty", "war",
    "games", "game", "corridor", "road", "street", "square", "mission", "research", "studies", "relations",
    "affairs", "magazine", "times", "post", "daily", "journal", "channel", "security", "policy", "club",
    "palace", "court", "cabinet", "government", "administration", "house", "day", "airport", "station",
    "military", "armed", "cooperation", "partnership", "format", "process", "minsk", "european", "expo",
    "karabakh", "garabagh", "nagorno-karabakh", "azerbaijan", "russia", "armenia", "turkey", "turkiye",
    "iran", "georgia", "ukraine", "moscow", "baku", "yerevan", "tbilisi", "ankara", "tehran", "kyiv",
    "washington", "paris", "london", "berlin", "brussels", "nato", "facebook", "twitter", "telegram",
    "instagram", "youtube", "sputnik", "reuters", "interfax", "tass", "ria", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "lachin", "shusha",
    "kalbajar", "zangezur", "zangazur", "nakhchivan", "gabala", "qabala", "crimea", "donbas", "syria",
    "iraq", "israel", "gaza", "america", "europe", "asia", "africa", "abkhazia", "ossetia", "transnistria",
    "islamic", "orthodox", "allied", "national", "international", "eurasian", "economic", "year", "week",
    "rights", "human", "democracy", "labor", "labour", "freedom", "peace", "justice", "development", "trade",
}  # fmt: skip
ROLE_HEADS = (
    "foreign minister", "defense minister", "defence minister", "prime minister", "minister", "president",
    "political scientist", "political analyst", "political commentator", "political expert", "analyst",
    "scientist", "commentator", "expert", "pundit", "deputy", "mp", "lawmaker", "legislator", "member",
    "head", "director", "chairman", "professor", "journalist", "editor", "ambassador", "spokesman",
    "spokeswoman", "spokesperson", "official", "diplomat", "economist", "researcher", "historian",
    "observer", "politician", "senator", "governor", "leader", "adviser", "advisor",
)  # fmt: skip
NAME_SIMILARITY = 0.5
# Capitalised at the start of a sentence, never a name.
SENTENCE_STARTERS = {
    "although", "though", "while", "when", "whereas", "if", "after", "before", "since", "because", "thus",
    "so", "then", "yet", "still", "even", "only", "now", "today", "yesterday", "here", "there", "this",
    "that", "these", "those", "it", "its", "his", "her", "their", "our", "we", "they", "he", "she", "i",
    "you", "what", "why", "how", "who", "where", "which", "for", "of", "with", "without", "during", "from",
    "to", "by", "all", "both", "each", "every", "some", "many", "most", "several", "no", "not", "nor",
    "neither", "either", "or", "once", "unlike", "like", "despite", "given", "instead", "moreover",
    "furthermore", "besides", "indeed", "nonetheless", "nevertheless", "obviously", "apparently", "perhaps",
    "presumably", "naturally", "therefore", "hence", "otherwise", "specifically", "speaking", "referring",
    "in", "on", "at", "as", "the", "a", "an", "and", "but", "also", "meanwhile", "however", "true", "another",
}  # fmt: skip


@dataclass
class Mention:
    start: int
    end: int
    person: "Person"
    possessive: bool = False


@dataclass
class Person:
    """One person of the article: known to the corpus (`known`) or met here for the first time."""

    name: str
    known: KnownPerson | None = None
    descriptors: list[str] = field(default_factory=list)  # how the article describes them

    @property
    def key(self) -> str:
        return self.known.key if self.known else f"new:{self.name}"

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    def role_text(self) -> str:
        known = f"{self.known.role} {self.known.affiliation}" if self.known else ""
        return " ".join([*self.descriptors, known]).lower()


def _is_name_token(token: str) -> bool:
    if re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-Ž]\.", token):
        return True  # an initial: "I. Velizade"
    core = token.rstrip(".")
    return core[:1].isupper() and any(ch.islower() for ch in core) and len(core) >= 2


def _strip_possessive(token: str) -> tuple[str, bool]:
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            return token[: -len(suffix)], True
    return token, False


def fold_name(name: str) -> tuple[str, ...]:
    return tuple(fold_word(word) for word in re.findall(r"[^\W\d_]+", name))


class PeopleIndex:
    """The people of one article: the corpus's known people it names and the new ones it introduces."""

    def __init__(self, directory: Directory):
        self.known = directory.people
        self.people: dict[str, Person] = {}
        self._by_spelling: dict[tuple[str, ...], KnownPerson] = {}
        self._by_surname: dict[str, list[KnownPerson]] = {}
        for person in self.known:
            for spelling in person.spellings:
                folded = fold_name(spelling)
                if folded:
                    self._by_spelling.setdefault(folded, person)
                    if len(folded) > 1 or len(spelling) > 3:
                        self._by_surname.setdefault(folded[-1], []).append(person)

    # ---------------------------------------------------------------- who a written name is
    def person_for(self, name: str, *, full: bool) -> Person | None:
        folded = fold_name(name)
        if not folded:
            return None
        known = self._by_spelling.get(folded) or self._similar_known(folded, full=full)
        if known is not None:
            return self._person(known.name, known)
        if full:
            for person in self.people.values():
                if fold_name(person.name) == folded or (
                    len(folded) == 2 and len(folded[0]) <= 2 and fold_name(person.name)[-1] == folded[-1]
                ):
                    return person  # "I. Velizade" after "Ilgar Velizade"
            if len(folded) == 2 and len(folded[0]) <= 2:
                return self._person(name)  # an initial and a surname, first met
            return self._person(name)
        for person in reversed(list(self.people.values())):
            if fold_name(person.name)[-1] == folded[-1]:
                return person
        return None

    def _similar_known(self, folded: tuple[str, ...], *, full: bool) -> KnownPerson | None:
        if not full:
            candidates = self._by_surname.get(folded[-1], [])
            return candidates[0] if len({c.key for c in candidates}) == 1 else None
        if len(folded) == 2 and len(folded[0]) <= 2:  # "S. Lavrov"
            for person in self._by_surname.get(folded[-1], []):
                if any(fold_name(s)[0][:1] == folded[0][:1] for s in person.spellings):
                    return person
        best, best_score = None, 0.0
        for person in self.known:
            for spelling in person.spellings:
                theirs = fold_name(spelling)
                if len(theirs) != len(folded) or len(theirs) < 2:
                    continue
                score = min(word_similarity(a, b) for a, b in zip(folded, theirs, strict=True))
                if score >= NAME_SIMILARITY and score > best_score:
                    best, best_score = person, score
        return best

    def _person(self, name: str, known: KnownPerson | None = None) -> Person:
        key = known.key if known else f"new:{name}"
        if key not in self.people:
            self.people[key] = Person(known.name if known else name, known)
        return self.people[key]

    # ---------------------------------------------------------------- mentions in a text
    def mentions(self, body: str) -> list[Mention]:
        """Every mention, in reading order. Two passes: a surname met before the full name that explains
        it ("Lavrov ... Sergei Lavrov") is that person too."""
        self._scan(body)
        return self._scan(body)

    def _scan(self, body: str) -> list[Mention]:
        found: list[Mention] = []
        tokens = list(TOKEN.finditer(body))
        i = 0
        while i < len(tokens):
            run = [tokens[i]]
            while (
                _is_name_token(run[0].group())
                and i + len(run) < len(tokens)
                and body[run[-1].end() : tokens[i + len(run)].start()] == " "
                and _is_name_token(tokens[i + len(run)].group())
                and not _strip_possessive(run[-1].group())[1]
                and (not run[-1].group().endswith(".") or re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-Ž]\.", run[-1].group()))
            ):
                run.append(tokens[i + len(run)])
            mention = self._mention_in_run(body, run) if _is_name_token(run[0].group()) else None
            if mention:
                found.append(mention)
            i += len(run)
        return found

    def _mention_in_run(self, body: str, run) -> Mention | None:
        words = [m.group() for m in run]
        last, possessive = _strip_possessive(
            words[-1].rstrip(".") if not re.fullmatch(r"[A-Z]\.", words[-1]) else words[-1]
        )
        words[-1] = last
        lead = 0
        while lead < len(words) and (
            words[lead].lower() in DESCRIPTOR_WORDS
            or words[lead].lower() in SENTENCE_STARTERS
            or not _is_name_token(words[lead])
        ):
            lead += 1
        name_words = words[lead:][-3:]
        if len(name_words) == 3 and self._by_spelling.get(fold_name(" ".join(name_words))) is None:
            name_words = name_words[1:]  # "Labor Kara McDonald": a two-word name is far likelier
        if not name_words or any(w.lower().strip(".") in NOT_A_PERSON for w in name_words):
            return None
        if any(w.lower() in DESCRIPTOR_WORDS or w.lower() in SENTENCE_STARTERS for w in name_words):
            return None
        start = run[len(words) - len(name_words)].start()
        end = start + len(" ".join(name_words))
        full = len(name_words) >= 2
        person = self.person_for(" ".join(name_words), full=full)
        if person is None:
            return None
        descriptor = describe(body, start, end, " ".join(words[:lead]))
        if descriptor and descriptor not in person.descriptors:
            person.descriptors.append(descriptor)
        return Mention(start, end, person, possessive)


def _has_role(text: str) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(head)}\b", lowered) for head in ROLE_HEADS)


def describe(body: str, start: int, end: int, capitalised_lead: str) -> str:
    """How the text introduces the name at [start, end): the role just before it ("political analyst",
    "Milli Majlis mp") and a role in apposition after it (", head of the Atlas Research Center,")."""
    before = body[max(0, start - 160) : start]
    clauses = re.split(
        r"[.;:!?\"“”«»()\[\]]|,|\b(?:that|by|with|to|from|said|told|says|noted|believes|nor|neither|than|was|"
        r"were|is|are|has|had|have|made|clear)\s",
        before,
    )
    clause = (
        next((c for c in reversed(clauses) if c and c.strip()), "")
        if not clauses[-1].strip() and before.rstrip().endswith(",")
        else clauses[-1]
    )
    words = clause.split()
    while words and (words[0].lower() in SENTENCE_STARTERS or words[0].lower() in {"the", "a", "an"}):
        words = words[1:]
    lead = " ".join(words[-12:])
    parts = [lead] if lead and _has_role(lead) else []
    after = body[end : end + 200]
    apposition = re.match(r",\s+(?:(?:a|an|the)\s+)?([a-z][^,.;:]{3,140}?)(?:[,;]|\.(?:\s|$)|$)", after)
    heads = "|".join(re.escape(head) for head in ROLE_HEADS)
    if apposition and re.match(rf"^(?:[\w\-]+\s+){{0,3}}?(?:{heads})\b", apposition.group(1), re.IGNORECASE):
        parts.append(apposition.group(1).strip())
    of_body = re.match(
        r"\s+of\s+the\s+([A-Z][^,.;:]{3,100}?)(?=\s+(?:is|was|has|said|told|believes|thinks)\b|[,.;])", after
    )
    if of_body:
        parts.append(f"of the {of_body.group(1)}")
    return ", ".join(parts) if parts else ""


NATIONALITY = re.compile(
    r"^(?:(?:russian|azerbaijani|azeri|armenian|american|turkish|iranian|georgian|ukrainian|us|former)\s+)+",
    re.IGNORECASE,
)
AFFILIATION = re.compile(r"\b(?:of|at) (?:the )?((?:[A-Z][\w'’\-]*[a-z][\w'’\-]*\s?(?:(?:and|for|of|on|the)\s)*)+)")


def role_and_affiliation(person: Person) -> tuple[str, str]:
    """A new expert's role and affiliation as the article gives them, for the curator to correct."""
    described = [d for d in person.descriptors if d]
    text = described[0] if described else ""  # as the article introduces them
    text = NATIONALITY.sub("", re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.IGNORECASE)).strip(" ,")
    match = AFFILIATION.search(text)
    affiliation = match.group(1).strip() if match else ""
    affiliation = re.sub(r"\s+(?:and|for|of|on|the)$", "", affiliation)
    role = re.sub(r"^(?:and|or)\s+", "", text)
    first, _, rest = role.partition(" ")
    if first[:1].isupper() and first[1:].islower() and rest == rest.lower():
        role = f"{first.lower()} {rest}".strip()  # "Political analyst" opened a sentence
    return role, affiliation


# A new expert's kind, read from the role the article gives (models.ExpertKind's values); the first
# group whose word the role contains decides, so "deputy foreign minister" is an official.
KIND_WORDS = (
    ("official", ("minister", "president", "ambassador", "spokesman", "spokeswoman", "spokesperson", "official",
                  "diplomat", "governor", "adviser", "advisor", "secretary", "envoy", "aide")),
    ("legislator", ("deputy", "mp", "lawmaker", "legislator", "senator", "parliament", "majlis", "duma")),
    ("journalist", ("journalist", "editor", "correspondent", "reporter", "columnist")),
    ("analyst", ("analyst", "scientist", "expert", "commentator", "pundit", "professor", "researcher", "historian",
                 "economist", "observer", "director", "head", "fellow", "scholar")),
)  # fmt: skip


def kind_of_role(role: str) -> str:
    """'official', 'legislator', 'journalist', 'analyst' or 'other', as the role's words suggest."""
    words = set(re.findall(r"[a-z]+", role.lower()))
    return next((kind for kind, markers in KIND_WORDS if words.intersection(markers)), "other")
