"""The message catalogue's sources: what ``pybabel extract`` reads (``babel.cfg``).

Templates and Python sources are read by Babel's own extractors (``_()`` in
templates; ``N_``, ``msg`` and ``Msg`` in Python, :mod:`site_gen.words`).
The vocabulary's labels and notes are message ids too: :func:`extract_vocabulary`
yields every one, so the English catalogue names every category, kind,
metric, level, status and topic.
"""

from __future__ import annotations

from typing import IO, Any, Iterator

from site_gen import vocabulary as vocab

KEYWORDS = {"N_": None, "msg": None, "Msg": None, "_": None}
"""Functions whose first argument is a message id, for ``pybabel extract -k``."""


def vocabulary_messages() -> list[str]:
    """Every label and note of every vocabulary, in order, once each."""
    found: dict[str, None] = {}
    for name in dir(vocab):
        table = getattr(vocab, name)
        if name.isupper() and isinstance(table, dict):
            for term in table.values():
                if isinstance(term, vocab.Term):
                    for text in (term.label, term.note) + ((term.unit,) if isinstance(term, vocab.Metric) else ()):
                        if text:
                            found.setdefault(text, None)
    return list(found)


def extract_vocabulary(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                       options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    for text in vocabulary_messages():
        yield 1, None, text, []
