"""PDF rendering with WeasyPrint, set up once per process (PITFALLS.md: ~10x faster, flat memory).

One FontConfiguration, the parsed stylesheets and a URL fetcher limited to our own static files
(and `data:` URIs, for an inline image such as a QR code) are built on first use and reused for
every document. A worker builds them at start (`warm_up()`, bastau/celery.py worker_process_init).

Stylesheets live in templates/pdf/: `base.css` for lists and protocols (A4 portrait), another one
named by the caller for a document of its own layout (certificate.css: A4 landscape). Every one
names "DejaVu Sans" (Debian's fonts-dejavu-core, installed by scripts/setup.sh): it covers Kazakh
letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І), and WeasyPrint embeds the subset of the font a document uses.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


@functools.cache
def _weasy():
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class LocalStaticFetcher(URLFetcher):
        """Documents may pull in our static files (`static:css/x.css`) and data: URIs; never the network."""

        def fetch(self, url, headers=None):
            if url.startswith("static:") and (found := finders.find(url.removeprefix("static:"))):
                return super().fetch(Path(found).as_uri(), headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDF resource not allowed: {url}")

    return FontConfiguration(), LocalStaticFetcher()


@functools.cache
def _stylesheet(name: str):
    from weasyprint import CSS

    fonts, _fetcher = _weasy()
    css_path = Path(settings.BASE_DIR) / "templates" / "pdf" / name
    return CSS(string=css_path.read_text(encoding="utf-8"), font_config=fonts)


def warm_up(*stylesheets: str) -> None:
    """Build the fonts, fetcher and stylesheets now (a worker process at start), not on the first PDF."""
    _weasy()
    for name in ("base.css", *stylesheets):
        _stylesheet(name)


def render_pdf(template: str, context: dict, *, stylesheet: str = "base.css") -> bytes:
    return render_html_pdf(render_to_string(template, context), stylesheet=stylesheet)


def render_html_pdf(html: str, *, stylesheet: str = "base.css") -> bytes:
    from weasyprint import HTML

    fonts, fetcher = _weasy()
    return HTML(string=html, url_fetcher=fetcher, base_url=".").write_pdf(
        stylesheets=[_stylesheet(stylesheet)], font_config=fonts
    )
