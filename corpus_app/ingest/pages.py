"""
A saved web page or pasted text, as the lines the cleaner reads.

HTML goes through trafilatura, made for exactly this (main text without navigation, comments and
boilerplate, and the page's own metadata: title, author, date, site name, canonical URL). What it
returns is then cleaned line by line like pasted text, for the chrome it keeps (a "Views: 818" inside
the article element). A fragment too small for trafilatura to call an article (the paragraphs alone)
is read block by block with lxml instead.
"""

from dataclasses import dataclass, field

import lxml.html

BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "pre", "figcaption", "br")


@dataclass
class PageText:
    text: str
    title: str = ""
    author: str = ""
    date: str = ""
    sitename: str = ""
    url: str = ""
    metadata: dict = field(default_factory=dict)


def from_html(html: str, *, url: str = "") -> PageText:
    import trafilatura  # a third of a second to import: only when a page is read, not in every process

    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    blocks = _blocks(html)
    text = (document.text or "") if document is not None else ""
    # trafilatura drops short pages' paragraphs as boilerplate; the blocks keep every word the page shows.
    if len(text) < 0.3 * len(blocks):
        text = blocks
    if document is None:
        return PageText(text)
    return PageText(
        text,
        title=document.title or "",
        author=document.author or "",
        date=document.date or "",
        sitename=document.sitename or "",
        url=document.url or "",
    )


def _blocks(html: str) -> str:
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in BLOCKS and not any(child.tag in BLOCKS for child in element if isinstance(child.tag, str)):
            text = " ".join(element.text_content().split())
            if text:
                lines.append(text)
    return "\n".join(lines) if lines else " ".join(root.text_content().split())


def decode(data: bytes) -> str:
    """A saved page's text: UTF-8 (with or without a byte-order mark), else as trafilatura guesses its encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return decode_file(data)
