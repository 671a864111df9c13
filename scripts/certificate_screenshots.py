"""Screenshots of certificates: the PDF rendered to PNG, the public verification page (valid, and an
uploaded file found altered) and the Chamber's group page, in Kazakh and Russian at 360 and 1280 px.

Against a running portal with the demo data (its group Бастау-С has a certificate of completion and
one of participation), with the browser tests' Playwright set-up (Debian's Chromium):

    export DEBUG=1 DATABASE_URL=sqlite:////tmp/shots.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8077 --noreload &
    .venv/bin/python scripts/certificate_screenshots.py [BASE_URL]   # default http://127.0.0.1:8077

Saves into docs/screenshots/: certificate-completion.png, certificate-participation.png (page 1 of
each PDF at 150 dpi, PDFium), verify-<lang>-<width>.png, verify-altered-<lang>-1280.png and
certificates-group-<lang>-1280.png.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastau.settings")


def main() -> int:
    import django

    django.setup()
    import pypdfium2
    from playwright.sync_api import sync_playwright

    from certificates.models import Certificate
    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.browser.helpers import WIDTHS, open_context

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8077")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    certificates = {c.kind: c for c in Certificate.objects.filter(render_state="ready", revoked_at__isnull=True)}
    for kind, certificate in certificates.items():
        document = pypdfium2.PdfDocument(certificate.file.path)
        document[0].render(scale=150 / 72).to_pil().save(args.out / f"certificate-{kind}.png")
        document.close()
        print(f"  certificate-{kind}.png")
    certificate = certificates[Certificate.Kind.COMPLETION]
    group_code = certificate.group.code  # read now: no ORM inside Playwright's event loop
    altered = bytearray(Path(certificate.file.path).read_bytes())
    altered[len(altered) // 3] ^= 1
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(altered)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for lang in ("kk", "ru"):
            for width in WIDTHS:
                context, page = open_context(browser, args.base, width=width, lang=lang)
                page.goto(f"/c/{certificate.code}/")
                page.screenshot(path=str(args.out / f"verify-{lang}-{width}.png"), full_page=True)
                if width == 1280:
                    page.set_input_files("#id_file", f.name)
                    page.locator("form[enctype] [type=submit]").click()
                    page.wait_for_load_state("load")
                    page.screenshot(path=str(args.out / f"verify-altered-{lang}-1280.png"), full_page=True)
                context.close()
            context, page = open_context(browser, args.base, width=1280, lang=lang, username="chamber")
            page.goto(f"/staff/certificates/groups/{group_code}/")
            page.screenshot(path=str(args.out / f"certificates-group-{lang}-1280.png"), full_page=True)
            context.close()
        browser.close()
    os.unlink(f.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
