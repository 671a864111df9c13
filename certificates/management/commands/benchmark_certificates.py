"""How long a certificate takes to render, beside WeasyPrint alone on the same HTML (docs/performance.md).

    python manage.py benchmark_certificates --renders 1000

Renders one sample certificate (not saved; Kazakh and Russian text, QR code) in three ways, in this
process, after a warm-up, one of each in turn: WeasyPrint alone on the same HTML with the shared fonts, stylesheet and
fetcher (the floor); the whole PDF the worker makes (template, QR code, WeasyPrint, PAdES signature);
and, for a few, WeasyPrint "the default way" (a new FontConfiguration and stylesheet each time).
Memory is the process's resident set at the start, after a tenth and at the end.
"""

import datetime
import statistics
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.loader import render_to_string


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sample_certificate():
    from certificates.models import Certificate
    from geography.models import District, Region
    from programme.models import ProgrammeYear, Stream

    region = Region(name_kk="Ақмола облысы", name_ru="Акмолинская область", name_en="Akmola Region")
    district = District(region=region, name_kk="Целиноград ауданы", name_ru="Целиноградский район")
    stream = Stream(year=ProgrammeYear(year=2026), number=3, course_start=datetime.date(2026, 9, 7))
    return Certificate(
        code=uuid.uuid4(),
        number="BST-2026-000123",
        year=2026,
        sequence=123,
        iin="900517300012",
        masked_iin="••••••••0012",
        holder_name="Серікбаев Нұрлан Асқарұлы",
        kind=Certificate.Kind.COMPLETION,
        issued_on=datetime.date(2026, 11, 20),
        district=district,
        stream=stream,
        course_start=datetime.date(2026, 9, 7),
        course_end=datetime.date(2026, 10, 12),
    )


class Command(BaseCommand):
    help = "Time certificate PDFs: WeasyPrint alone on the same HTML, the whole signed PDF, the default way."

    def add_arguments(self, parser):
        parser.add_argument("--renders", type=int, default=1000)
        parser.add_argument("--default-way", type=int, default=20)

    def handle(self, *args, renders, default_way, **options):
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from certificates import rendering
        from core.pdf import render_html_pdf, warm_up

        certificate = sample_certificate()
        html = render_to_string("certificates/pdf/certificate.html", rendering.context_for(certificate))
        warm_up(rendering.STYLESHEET)
        for _ in range(5):
            rendering.render_signed(certificate)
        rss = {"start": _rss_mb()}

        def timed(fn, n):
            times = []
            for _ in range(n):
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            return times

        # Interleaved, one of each in turn, so a machine busy with other work slows both alike.
        floor, whole = [], []
        for i in range(renders):
            floor += timed(lambda: render_html_pdf(html, stylesheet=rendering.STYLESHEET), 1)
            whole += timed(lambda: rendering.render_signed(certificate), 1)
            if i == renders // 10:
                rss["tenth"] = _rss_mb()
        rss["end"] = _rss_mb()
        css_path = Path(__file__).resolve().parents[3] / "templates" / "pdf" / rendering.STYLESHEET

        def default():
            fonts = FontConfiguration()
            HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(css_path), font_config=fonts)], font_config=fonts)

        naive = timed(default, default_way)
        signing_ms = statistics.median(whole) - statistics.median(floor)
        for name, values in (("WeasyPrint alone, shared set-up (floor)", floor), ("whole signed PDF", whole)):
            median = statistics.median(values)
            self.stdout.write(
                f"{name}: median {median:.1f} ms, p95 {sorted(values)[int(len(values) * 0.95) - 1]:.1f} ms, "
                f"{60_000 / median:.0f} per minute ({len(values)} renders)"
            )
        self.stdout.write(f"the default way: median {statistics.median(naive):.1f} ms ({default_way} renders)")
        self.stdout.write(
            f"whole / floor throughput: {statistics.median(floor) / statistics.median(whole):.2f} "
            f"(template, QR code and signature add {signing_ms:.1f} ms)"
        )
        self.stdout.write(
            f"memory (RSS): {rss['start']:.0f} MB after warm-up, {rss.get('tenth', 0):.0f} MB after "
            f"{renders // 10} of each, {rss['end']:.0f} MB after {renders} of each ({2 * renders} PDFs)"
        )
        self.stdout.write(f"PDF size: {len(rendering.render_signed(certificate)) / 1024:.0f} KB")
