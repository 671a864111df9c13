from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_string_has_a_real_translation(lang):
    po = polib.pofile(LOCALE / lang / "LC_MESSAGES" / "django.po")
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert len(po) > 100
    assert untranslated == [] and fuzzy == []
    # A translation equal to the English text is a copy, not a translation (names aside).
    copies = [e.msgid for e in po.translated_entries() if e.msgstr == e.msgid and any(c.isalpha() for c in e.msgid)]
    assert copies == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_compiled_catalogue_matches_the_po_file(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(folder / "django.po")}
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(folder / "django.mo")}
    missing = {key for key in po if key[1] and key not in mo}
    assert missing == set(), "run `make messages` to recompile"
