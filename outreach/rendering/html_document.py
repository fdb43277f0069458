"""The HTML part of an email as a whole document: doctype, charset and body around the text.

Mail clients and spam filters read a bare fragment, but they score a whole document better and
render it the same everywhere; the charset is stated in the document too, for clients that show
the part outside its MIME headers.
"""

from __future__ import annotations

import html
import re

_WHOLE = re.compile(r"\A\s*(<!doctype\b|<html\b)", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)

_PAGE = """<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body>
{body}
</body>
</html>
"""


def html_document(markup: str, *, footer: str = "", title: str = "") -> str:
    """``markup`` with ``footer`` (HTML) as its last paragraph, as a whole document.

    A whole document written by hand is kept as it is, with the footer put before ``</body>``.
    """
    closing = f"<p>{footer}</p>\n" if footer else ""
    if _WHOLE.match(markup):
        for end in (_BODY_END, _HTML_END):
            found = list(end.finditer(markup))
            if found:
                at = found[-1].start()
                return markup[:at] + closing + markup[at:]
        return markup.rstrip() + "\n" + closing
    body = markup.strip() + ("\n" + closing.rstrip("\n") if closing else "")
    return _PAGE.format(title=html.escape(title), body=body)
