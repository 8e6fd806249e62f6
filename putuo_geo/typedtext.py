"""Text a person types or pastes, made comparable: the one normaliser (issue 23 §3).

Chinese input methods type full-width forms (``１２１.４２１６，３１.２３８１``,
``ＣＨＡＮＧＦＥＮＧ``), and text copied from web pages and chat apps carries invisible
characters (a zero-width space between ``长`` and ``风``, a byte-order mark, bidi marks).
Before it is parsed or searched, everything people type or paste goes through
:func:`normalise`:

1. lone surrogates (``"\\ud800"`` is valid JSON, and Python keeps it in a ``str`` that
   cannot be encoded) become U+FFFD, so no later ``encode`` raises;
2. Unicode NFKC: full-width digits, letters and punctuation become ASCII (``１`` → ``1``,
   ``．`` → ``.``, ``，`` → ``,``), ligatures and compatibility forms their plain letters;
3. zero-width and bidi control characters are removed (:data:`INVISIBLE`): a right-to-
   left override (U+202E) in a name would otherwise turn the text after it around;
4. a text left with no visible character (only spaces, invisible characters or
   combining marks) is blank, ``""``.

Callers: the one coordinate-pair parser (:func:`putuo_geo.latlon.read_pair`), the site
search (:func:`putuo_geo.overview.filter_sites`, the search box, a link's ``q``), every
query parameter (:func:`putuo_geo.permalink.decode`), uploaded names, ids, categories
and file names (:mod:`putuo_geo.uploads`), and the command's dates
(``putuo-geo events --from``).
"""

from __future__ import annotations

import re
import unicodedata

#: Characters removed after NFKC: zero-width ones (space, non-joiner, joiner, word
#: joiner, invisible operators, byte-order mark, soft hyphen, Mongolian vowel separator,
#: Hangul fillers) and the bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates).
INVISIBLE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufeff\uffa0]"
)
#: A lone UTF-16 surrogate (cannot be encoded as UTF-8: ``UnicodeEncodeError``).
SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (always encodable)."""
    return SURROGATE.sub(REPLACEMENT, text)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only whitespace, :data:`INVISIBLE` characters and
    combining marks (``"\\u0301\\u0301"`` draws two accents over nothing)."""
    return all(
        c.isspace() or INVISIBLE.match(c) or unicodedata.category(c).startswith("M") for c in text
    )


def normalise(text: str) -> str:
    """``text`` as typed, made comparable: NFKC, invisible characters gone, blank as ``""``.

    Linear in ``len(text)``; never raises on any ``str`` (lone surrogates included).
    Surrounding whitespace is kept (callers strip where they mean to).

    Examples
    --------
    >>> normalise("１２１.４２１６，３１.２３８１")
    '121.4216,31.2381'
    >>> normalise("长\\u200b风"), normalise("ＣＨＡＮＧＦＥＮＧ"), normalise("Ｍ５０")
    ('长风', 'CHANGFENG', 'M50')
    >>> normalise("\\u200b"), normalise("\\u0301\\u0301"), normalise("evil\\u202egpj.csv")
    ('', '', 'evilgpj.csv')
    >>> normalise("Caf\\u00e9 \\ud800")
    'Café �'
    """
    flat = INVISIBLE.sub("", unicodedata.normalize("NFKC", without_surrogates(text)))
    return "" if is_blank(flat) else flat
