"""Characters and words that content may not contain, and where they are.

Content arrives by pull request, and a reviewer reads it in an editor or a
diff.  What the reviewer sees must be what the site publishes, so these are
refused in every YAML file, Markdown summary and archived text:

* invisible format characters (Unicode category Cf): bidirectional overrides,
  embeddings, isolates and marks make text display in another order than it
  is stored ("Trojan Source"); zero-width characters and tag characters hide
  inside words, break quote matching and search, and can smuggle text;
* control characters (Cc) other than tab, line feed and carriage return: a
  terminal acts on them (ESC starts escape sequences), and none belongs in text;
* the line and paragraph separators U+2028/U+2029, which Python and
  JavaScript treat as line breaks but most editors do not show;
* surrogates and the non-characters U+FFFE/U+FFFF;
* Pagefind's private markers (``___PAGEFIND_ANCHOR___``, ``___PAGEFIND_WEIGHT___``,
  ``___PAGEFIND_AUTO_WEIGHT___``, ``___END_PAGEFIND_WEIGHT___``): Pagefind 1.4
  writes them into the text it indexes and then reads any word starting with
  them as an instruction, so content holding one could add fake result
  anchors or change how pages rank.

A leading byte-order mark is not content: :func:`~site_gen.load.yaml_source.read_text`
removes it before these checks.  Ingest removes the characters from scraped
pages (:func:`site_gen.ingest.clean.remove_invisible`), so archived texts it
writes pass.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Iterator

from site_gen.errors import Problem

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_CONTROLS = frozenset("\t\n\r")
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
NONCHARACTERS = frozenset("\ufffe\uffff")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
PAGEFIND_MARKER = re.compile(r"___(?:END_)?PAGEFIND_", re.IGNORECASE)
MAX_PROBLEMS_PER_FILE = 10

# unicodedata has no names for control characters; these are their Unicode aliases.
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
MARKER_MESSAGE = (
    "{found!r} is reserved by the search index (expected other text: Pagefind reads words "
    "starting ___PAGEFIND_ as its own anchor and weight markers, so this text could steer search results)"
)


def is_refused(ch: str) -> bool:
    if ch in ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) in REFUSED_CATEGORIES or ch in NONCHARACTERS


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``, ``U+001B ESCAPE``, ``U+0085 (a C1 control character)``."""
    code = ord(ch)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code <= 0x9F:
        name = "(a C1 control character)"
    else:
        name = unicodedata.name(ch, "(unnamed)")
    return f"U+{code:04X} {name}"


def _why(ch: str) -> str:
    if ch in BIDI:
        return "it makes text display in a different order than it is stored"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "control characters can drive a terminal and do not belong in text"
    if category in ("Zl", "Zp"):
        return "it breaks lines where editors show no break; use a newline"
    if category == "Cf":
        return "it is invisible, hides inside words and breaks quote matching and search"
    return "it is not a character"


def character_message(ch: str) -> str:
    return f"{describe(ch)} is not allowed (expected visible text; {_why(ch)})"


def first_unsafe(value: str) -> str | None:
    """The message for the first refused character or marker in ``value``, if any."""
    if not value.isprintable():  # all-printable text (the common case) is passed over at C speed
        for ch in value:
            if is_refused(ch):
                return character_message(ch)
    marker = PAGEFIND_MARKER.search(value)
    if marker:
        return MARKER_MESSAGE.format(found=marker.group())
    return None


def unsafe_spots(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) of every refused character and marker, 1-based.

    Lines are counted by line feeds only, as YAML and editors count them; a
    line that is all printable (the common case) is passed over at C speed.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.isprintable():
            for column, ch in enumerate(line, start=1):
                if is_refused(ch):
                    yield number, column, character_message(ch)
        for marker in PAGEFIND_MARKER.finditer(line):
            yield number, marker.start() + 1, MARKER_MESSAGE.format(found=marker.group())


def capped(problems: list[Problem], display: str) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems, and a last one saying how many more there were."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    kept = problems[:MAX_PROBLEMS_PER_FILE]
    last = kept[-1]
    more = len(problems) - len(kept)
    return kept + [Problem(display, last.line, last.column, "file",
                           f"{more} more refused character(s) or marker(s) after this line (expected none)")]


def text_problems(text: str, display: str) -> list[Problem]:
    """Every refused character and marker of a file's text, as problems (capped)."""
    return capped([Problem(display, line, column, "file", message)
                   for line, column, message in unsafe_spots(text)], display)


def markdown_problems(text: str, display: str, parser: MarkdownIt) -> list[Problem]:
    """Refused characters and markers in a Markdown file, written out or not.

    Markdown decodes entities (``&#x202E;``) and backslash escapes (``\\_``),
    so the text published can hold what the file does not show.  When the file
    itself is clean, its parsed text and link attributes are checked too, and
    a problem is reported at the line of the block that holds it.  ``parser``
    is the one the site renders with (:func:`site_gen.markdown.make_markdown`),
    made once for many files (making one takes longer than parsing a summary).
    """
    problems = text_problems(text, display)
    if problems:
        return problems
    for token in parser.parse(text):
        line = token.map[0] + 1 if token.map else 1
        inline = list(token.children or ())
        while inline:  # an image's alt text is a list of tokens inside its token
            child = inline.pop()
            inline.extend(child.children or ())
            for value in (child.content, *(str(v) for v in child.attrs.values())):
                message = first_unsafe(value)
                if message:
                    problems.append(Problem(display, line, 1, "file", message))
                    break
    return capped(sorted(set(problems)), display)
