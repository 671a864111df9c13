import csv

import pytest
from django.core.management import call_command
from django.utils import translation

from geography.loader import KATO_FILE, load_geography
from geography.models import District, Region

pytestmark = pytest.mark.django_db


def _file_counts():
    with KATO_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return sum(r["level"] == "region" for r in rows), sum(r["level"] != "region" for r in rows)


def test_it_loads_every_region_and_district_of_the_file_with_three_names():
    load_geography()
    regions, districts = _file_counts()
    assert (Region.objects.count(), District.objects.count()) == (regions, districts)
    assert regions == 20 and districts >= 160
    assert not Region.objects.filter(name_kk="").exists() | Region.objects.filter(name_en="").exists()
    assert not District.objects.filter(name_kk="").exists()
    assert not District.objects.filter(name_ru="").exists()
    assert not District.objects.filter(name_en="").exists()


def test_loading_twice_changes_nothing():
    load_geography()
    before = list(District.objects.order_by("kato_code").values_list("pk", "kato_code", "name_kk", "region_id"))
    result = load_geography()
    call_command("load_reference_data", verbosity=0)
    after = list(District.objects.order_by("kato_code").values_list("pk", "kato_code", "name_kk", "region_id"))
    assert result.created == 0 and result.updated == 0
    assert before == after


def test_a_corrected_name_in_the_file_updates_the_row(tmp_path):
    load_geography()
    text = KATO_FILE.read_text(encoding="utf-8").replace("Целиноградский", "Целиноградский-тест")
    edited = tmp_path / "kato.csv"
    edited.write_text(text, encoding="utf-8")
    result = load_geography(edited)
    assert result.updated == 1
    assert District.objects.get(kato_code="116600000").name_ru == "Целиноградский-тест"


def test_cities_of_republican_significance_are_named_as_cities_in_each_language():
    load_geography()
    astana = Region.objects.get(kato_code="710000000")
    akmola = Region.objects.get(kato_code="110000000")
    assert astana.is_city and not akmola.is_city
    with translation.override("kk"):
        assert (str(astana), str(akmola)) == ("Астана қаласы", "Ақмола облысы")
    with translation.override("ru"):
        assert (str(astana), str(akmola)) == ("г. Астана", "Акмолинская область")
    with translation.override("en"):
        assert (str(astana), str(akmola)) == ("Astana City", "Akmola Region")


def test_district_names_carry_their_type_word():
    load_geography()
    district = District.objects.get(kato_code="116600000")
    with translation.override("kk"):
        assert str(district) == "Целиноград ауданы"
    with translation.override("ru"):
        assert str(district) == "Целиноградский район"
