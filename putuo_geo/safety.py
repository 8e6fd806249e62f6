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

#: Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and
#: escaping all of them also defuses Streamlit's extras (``:red[...]`` colour
#: directives, ``:emoji:`` shortcodes, ``$LaTeX$``) and raw HTML (``<``, ``>``).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape_html(text: Any) -> str:
    """``text`` as HTML that shows exactly the text: :func:`html.escape` plus ``{``/``}``.

    The braces become character references so no Jinja delimiter (``{{``, ``{%``,
    ``{#``) survives into a folium template; browsers show them as braces.
    """
    return html.escape(str(text)).translate(_BRACES)


def escape_markdown(text: Any) -> str:
    """``text`` as Markdown that renders exactly as the text (on one line).

    Every ASCII punctuation character is backslash-escaped; line breaks become
    spaces so a value cannot start a heading, a list or a code block.

    """
    one_line = _LINE_BREAKS.sub(" ", str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def problem_bullets(problems: Iterable[Any]) -> str:
    """An error panel's list: one escaped Markdown bullet per problem."""
    return "\n".join(f"- {escape_markdown(p)}" for p in problems)
