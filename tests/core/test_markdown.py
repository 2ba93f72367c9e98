"""User Markdown is rendered without any way to run script in a reader's browser."""

from __future__ import annotations

import pytest

from core.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '![x](x" onerror="alert(1))',
    '<p onclick="alert(1)">hi</p>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_render_markdown_removes_script_vectors(payload):
    html = render_markdown(payload).lower()
    for marker in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<style",
        "<iframe",
        "<svg",
        "style=",
        "data:text",
    ):
        assert marker not in html, (payload, html)


def test_render_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("**bold** and [docs](https://example.com/docs)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com/docs"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<li>one</li>" in html


def test_render_markdown_of_blank_text_is_empty():
    assert render_markdown("  \n ") == ""
