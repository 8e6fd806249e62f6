"""Text from the data, made safe for where it is shown: Markdown, HTML and CSV.

Names, sources and addresses are edited by people and uploaded by strangers, so any
of them may hold HTML, ``</script>``, Markdown links, LaTeX or a spreadsheet formula.
The rule: a value from the data always reaches a reader as the text it is.

- HTML (tooltips, popups, legend, layer control): :func:`escape_html`, done where the
  HTML is built (:mod:`putuo_geo.mapview`). It escapes ``{`` and ``}`` too: folium
  (branca) renders each layer's script and then parses the result *again* as a Jinja
  template, so a name holding ``{{ ... }}`` or ``{% ... %}`` would otherwise run as a
  template on the server (found by the hostile-text test);
- Markdown (``st.markdown``, ``st.error``, ``st.caption`` ...): :func:`escape_markdown`;
- CSV downloads: :func:`putuo_geo.exports.neutralise_formula` (OWASP "CSV injection").
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from typing import Any

from putuo_geo import errors, i18n

#: Most problems an error panel lists; one more line says how many are left out (an
#: upload with 5,000 bad rows rendered 10,000 bullets, 800 kB, in 6.7 s). Above the
#: largest real data case (one problem per station, 24, plus one).
MAX_LISTED_PROBLEMS = 30

#: Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and
#: escaping all of them also defuses Streamlit's extras (``:red[...]`` colour
#: directives, ``:emoji:`` shortcodes, ``$LaTeX$``) and raw HTML (``<``, ``>``).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
#: Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a name from
#: the data, U+202E turns the rest of the line around ("evil\u202egpj.exe" reads
#: "evilexe.jpg"), the page's own words after it included. Removed wherever data text is
#: shown; typed and uploaded text loses them earlier (putuo_geo.typedtext).
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def escape_html(text: Any) -> str:
    """``text`` as HTML that shows exactly the text: :func:`html.escape` plus ``{``/``}``
    (bidi controls removed: :data:`_BIDI_CONTROLS`).

    The braces become character references so no Jinja delimiter (``{{``, ``{%``,
    ``{#``) survives into a folium template; browsers show them as braces.
    """
    return html.escape(str(text).translate(_BIDI_CONTROLS)).translate(_BRACES)


def escape_markdown(text: Any) -> str:
    """``text`` as Markdown that renders exactly as the text (on one line).

    Every ASCII punctuation character is backslash-escaped; line breaks become
    spaces so a value cannot start a heading, a list or a code block; bidi controls
    are removed (:data:`_BIDI_CONTROLS`).

    """
    one_line = _LINE_BREAKS.sub(" ", str(text).translate(_BIDI_CONTROLS))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def problem_bullets(
    problems: Iterable[Any], *, lang: i18n.Lang = "en", limit: int = MAX_LISTED_PROBLEMS
) -> str:
    """An error panel's list: one escaped Markdown bullet per problem, in ``lang``.

    :class:`~putuo_geo.errors.Problem` items are translated; at most ``limit`` are
    listed, then one bullet says how many more there are (:func:`errors.capped`).
    """
    shown = errors.capped(list(problems), limit=limit)
    return "\n".join(f"- {escape_markdown(errors.localise(p, lang))}" for p in shown)
