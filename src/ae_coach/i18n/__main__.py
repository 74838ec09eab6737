"""``python -m ae_coach.i18n``: rewrite the compiled catalogues (``en.json``, ``zh.json``) from the YAML."""

from ae_coach.i18n import _DIR, LANGUAGES, compiled_catalogue

for lang in LANGUAGES:
    (_DIR / f"{lang}.json").write_text(compiled_catalogue(lang), encoding="utf-8")
    print(f"wrote {_DIR / f'{lang}.json'}")
