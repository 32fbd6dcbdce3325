"""
Page chrome out, the article's own paragraphs in: a line-level cleaner for text copied from a web page.

A curator who copies a page gets its menus, share buttons, captions, view counters and comment forms
with the article. The rules here are about lines, not about any site: prose is long and ends like a
sentence; chrome is short, ends in no punctuation, or says what widgets say ("Leave a Reply",
"Views: 818", "© 2025"). The body is the run from the first prose line to the last, less the chrome
inside it; what comes before it (the head) and after it (the tail) is kept for metadata.py, which
reads the title, dateline and byline there.
"""

import re
import unicodedata
from dataclasses import dataclass, field

TERMINAL = tuple('.!?…"”»’)]:;')
PROSE_MIN_WORDS = 8
LONG_LINE_WORDS = 25  # a line this long is prose even without a full stop (a garbled closing)
SUBHEAD_MIN_WORDS = 4
SUBHEAD_MAX_WORDS = 14

# What widgets and page furniture say, whatever the site. Matched against a whole line, case-insensitively.
_CHROME_LINES = [
    r"(share|print|print version|copy link|loading|ads?|advertisement|search|menu|home|login|log ?in|sign ?in|"
    r"sign ?up|register|close|more|next|previous|top|tags?|comments?|reply|send|submit|ok)",
    r"(leave|write|post|add) (a|your) (reply|review|comment|response)",
    r"(subscribe|newsletter|follow us|connect with us|join us|download (our|the) app|get (the )?latest)\b.*",
    r"(related|recommended|popular|latest|more)( news| articles| stories| posts| from .*)?:?",
    r"read (more|also|next)\b.*",
    r"back to top.*",
    r"(views?|reads?|hits?)\s*[:\-]?\s*[\d\s,.]+",
    r"[\d\s,.]+\s*(views?|reads?|comments?)",
    r"(url|link|source)\s*:\s*https?://\S+",
    r"https?://\S+",
    r".*©.*",
    r".*\ball rights reserved\b.*",
    r".*\b(any use of (the )?materials?|reprinting|reproduction) .*(allowed|permitted|prohibited|hyperlink).*",
    r"recommend (news|this|article).*",
    r"(your|friend'?s|friend’s) (name|e-?mail)\s*:?",
    r"your email address will not be published\.?.*",
    r"required fields are marked.*",
    r"(liked|enjoyed) the (story|article)\?.*",
    r".*\bshare (it|this) on\b.*",
    r"[a-z]{1,3}",  # language switches: ru, arm, az
    r"[a-z+\-]{1,3}",  # font-size controls: A+ A-
    r"(twitter|x|youtube|instagram|facebook|telegram|whatsapp|linkedin|vk|tiktok|apple store|app store|"
    r"play market|google play|rss|e-?mail)",
    r"[\w\s]*_[\w\s]*",  # css-ish identifiers: night_theme, share-line
    r"[^\w]*",  # rules, bullets and punctuation alone
]
CHROME_LINE = re.compile(r"^(?:" + "|".join(_CHROME_LINES) + r")$", re.IGNORECASE)
# A caption credits a picture: "Photo: Reuters", "İllüstrasiya: Reuters", "(@handle) / Twitter".
CAPTION = re.compile(
    r"\b(photo|photograph|picture|image|illustration|illüstrasiya|foto|фото|şəkil|credit|getty images|"
    r"reuters|ap photo|afp)\b\s*[:/]|\(@\w+\)|/\s*twitter$|\bvia (getty|reuters|ap)\b",
    re.IGNORECASE,
)
SOCIAL_TOKENS = re.compile(r"^[\w\-]+(\s+[\w\-]+)?$")  # one or two bare tokens: "share-line", "night_theme"
# A wire service's end mark after the last paragraph: "— 0—", "-0-", "(END)", "###".
END_MARK = re.compile(r"\s*(?:[—–-]+\s*0\s*[—–-]+|\(end\)|#{3,}|\*{3,})\s*$", re.IGNORECASE)


@dataclass
class CleanedPage:
    head: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # chrome found inside the body's run, for the curator

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.body)


def normalise_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    # Runs of spaces and tabs become one space; a no-break space is the page's own and kept.
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]


def word_count(line: str) -> int:
    return len(line.split())


# A menu or a tag list: three or more short items between bars or dots ("Home | Politics | Economy").
MENU = re.compile(r"^[^|•·]{1,30}(?:\s*[|•·]\s*[^|•·]{1,30}){2,}$")


def is_chrome(line: str) -> bool:
    stripped = line.strip(" •·-–—|*")
    if not stripped:
        return True
    if MENU.match(stripped) and all(word_count(item) <= 3 for item in re.split(r"[|•·]", stripped)):
        return True
    if CHROME_LINE.match(stripped):
        return True
    return word_count(stripped) <= 30 and not stripped.endswith(".") and bool(CAPTION.search(stripped))


def is_prose(line: str) -> bool:
    if is_chrome(line):
        return False
    words = word_count(line)
    if words >= LONG_LINE_WORDS:
        return True
    return words >= PROSE_MIN_WORDS and line.rstrip().endswith(TERMINAL) and not line.rstrip().endswith(":")


def is_subhead(line: str) -> bool:
    """A short heading inside the body that is the article's own words, not a caption or a link."""
    words = word_count(line)
    return (
        SUBHEAD_MIN_WORDS <= words <= SUBHEAD_MAX_WORDS
        and line[:1].isupper()
        and not line.endswith(":")
        and not re.search(r"[@/|©#]", line)
    )


def clean(text: str) -> CleanedPage:
    lines = [line for line in normalise_lines(text) if line]
    prose = [i for i, line in enumerate(lines) if is_prose(line)]
    if not prose:
        return CleanedPage(head=lines)
    first, last = prose[0], prose[-1]
    page = CleanedPage(head=lines[:first], tail=lines[last + 1 :])
    prose_indexes = set(prose)
    for i in range(first, last + 1):
        line = lines[i]
        if i in prose_indexes or (is_subhead(line) and not is_chrome(line) and i + 1 in prose_indexes):
            page.body.append(line)
        else:
            page.removed.append(line)
    if page.body:
        ending = END_MARK.search(page.body[-1])
        if ending:
            page.removed.append(page.body[-1][ending.start() :].strip())
            page.body[-1] = page.body[-1][: ending.start()].rstrip()
    return page
