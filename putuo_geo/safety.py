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
- CSV downloads: :func:`neutralise_csv_cell` / :func:`csv_safe_frame` (OWASP "CSV
  injection": a cell a spreadsheet would run as a formula gets a leading ``'``).
"""

from __future__ import annotations

import html
import re
import string
from typing import Any

import pandas as pd

#: Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and
#: escaping all of them also defuses Streamlit's extras (``:red[...]`` colour
#: directives, ``:emoji:`` shortcodes, ``$LaTeX$``) and raw HTML (``<``, ``>``).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")

#: A spreadsheet treats a cell starting with one of these as a formula (OWASP).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


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


def neutralise_csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a line break gets a
    leading apostrophe (the OWASP recommendation), which spreadsheets show as text.
    Numbers and other non-text values are returned as they are (a negative number
    is data, not a formula; only text is ever prefixed).
    """
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for CSV export: every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_csv_cell)
    safe.columns = [neutralise_csv_cell(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read Chinese names right) of a neutralised copy."""
    return csv_safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def problems_markdown(title: str, problems: list[str]) -> str:
    """An error panel's Markdown: a bold title, then one bullet per problem, all escaped."""
    bullets = "\n".join(f"- {escape_markdown(p)}" for p in problems)
    return f"**{escape_markdown(title)}**" + (f"\n\n{bullets}" if bullets else "")
