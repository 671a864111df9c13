"""Fill untranslated entries of the kk/ru catalogues from other .po files (say, a branch's copy).

    .venv/bin/python scripts/fill_translations.py other-kk.po other-ru.po ...

Each source file's language is read from its name (…kk….po / …ru….po). Only entries that are
empty or fuzzy here are filled, and only with a real translation (not a copy of the English)."""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def main(sources: list[str]) -> None:
    for lang in ("kk", "ru"):
        target = polib.pofile(LOCALE / lang / "LC_MESSAGES" / "django.po")
        known = {}
        for source in sources:
            if f"-{lang}" in Path(source).name or f"{lang}." in Path(source).name:
                for entry in polib.pofile(source).translated_entries():
                    known[(entry.msgctxt, entry.msgid)] = entry
        filled = 0
        for entry in target:
            if entry.translated() and "fuzzy" not in entry.flags:
                continue
            found = known.get((entry.msgctxt, entry.msgid))
            if found is None:
                continue
            entry.msgstr, entry.msgstr_plural = found.msgstr, dict(found.msgstr_plural)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        target.save()
        missing = [e.msgid for e in target if not e.translated() or "fuzzy" in e.flags]
        print(f"{lang}: filled {filled}, still missing {len(missing)}")


if __name__ == "__main__":
    main(sys.argv[1:])
