"""Content from outside is sanitized with nh3 before it is stored."""

from __future__ import annotations

from integrations.feed.content import from_html, from_text


def test_scripts_styles_and_handlers_are_dropped():
    text, html = from_html(
        '<p onclick="x()">Hi <a href="javascript:evil()">there</a></p><script>steal()</script>'
        '<style>p{}</style><img src="https://t.example/pixel.gif"><p>Bye &amp; thanks</p>'
    )
    assert text == "Hi there\nBye & thanks"
    assert "script" not in html and "steal" not in html and "onclick" not in html
    assert "javascript" not in html and "<img" not in html and "style" not in html


def test_links_are_kept_with_a_safe_rel():
    _, html = from_html('<a href="https://ok.example/x">read</a>')
    assert html == '<a href="https://ok.example/x" rel="noopener noreferrer nofollow">read</a>'


def test_plain_text_is_escaped_for_the_html_form():
    text, html = from_text("1 < 2 & <b>not bold</b>\nnext")
    assert text == "1 < 2 & <b>not bold</b>\nnext"
    assert html == "1 &lt; 2 &amp; &lt;b&gt;not bold&lt;/b&gt;<br>next"
