"""The dashboard's charts are drawn once per figures and language in each process (reports/charts.py):
the same figures give the same chart without drawing again; other figures or another language, a new one."""

import base64
from types import SimpleNamespace

from django.utils import translation

from reports import charts


def _svg(url: str) -> str:
    return base64.b64decode(url.split(",", 1)[1]).decode()


def test_the_same_figures_are_not_drawn_again_and_new_ones_are():
    charts._drawn.cache_clear()
    total = SimpleNamespace(values={"applied": 120, "eligible": 90, "passed": 41})
    with translation.override("kk"):
        first = charts.funnel_chart(total)
        again = charts.funnel_chart(total)
        assert again == first and charts._drawn.cache_info().hits == 1
        moved = charts.funnel_chart(SimpleNamespace(values={**total.values, "passed": 43}))
        assert ">43<" in _svg(moved) and ">43<" not in _svg(first) and ">41<" in _svg(first)
    with translation.override("ru"):
        russian = charts.funnel_chart(total)
    assert "до какого этапа дошли" in _svg(russian) and "қай кезеңге дейін жетті" in _svg(first)
    assert charts._drawn.cache_info().misses == 3
