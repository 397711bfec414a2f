"""UI text in English and Korean through gettext catalogs. A page speaks the language of `?lang=`, else the
signed-in user's (their profile), else English (`page_language`).

The catalogs are `src/tanso/locale/<lang>/LC_MESSAGES/tanso.po`; a message id is a stable key
("nt.tab.trends"), the English catalog holds the English text. The `.po` files are the only source:
they are compiled in memory with Babel when a process first needs them (a few ms), so a fresh clone
works without a build step and no compiled `.mo` is committed. `make i18n` (this module's `main`)
extracts with Babel the keys the code passes literally to `t`, `markup` or `md` and adds the new ones to
both catalogs with an empty text to fill in; it never removes a key (some are built at run time, e.g.
`f"kind.{kind}"`). A unit test checks every key has an English and a Korean text.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
DOMAIN = "tanso"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalog of ``lang`` (read from its .po once per process)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def messages() -> dict[str, dict[str, str]]:
    """Every key with its text per language (for checks and tools)."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        for key, text in translations(lang)._catalog.items():
            if key:  # "" is the catalog header
                out.setdefault(key, {})[lang] = text
    return out


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The message for `key` in `lang`; falls back to English, then to the key itself."""
    text = translations(normalise(lang)).gettext(key)
    if text == key and lang != DEFAULT:
        text = translations(DEFAULT).gettext(key)
    return text.format(**values) if values else text


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def page_language(requested: str | None, user_language: str | None = None) -> str:
    """`?lang=` when it names a language; else the signed-in user's language; else English."""
    for lang in (requested, user_language):
        if lang in LANGUAGES:
            return lang
    return DEFAULT


def markup(key: str, lang: str = DEFAULT, **values):
    """The message for `key` as Markdown (the catalog is trusted), every value escaped."""
    from tanso.ui.safe import markdown

    return markdown(t(key, lang), **values)


KEYWORDS = {"t": None, "markup": None, "md": None}


def keys_in_code(root: Path | None = None) -> set[str]:
    """Message keys passed literally to `t`, `markup` or `md` under ``root`` (Babel's extractor)."""
    import contextlib
    import os

    from babel.messages.extract import extract_from_dir

    root = root or Path(__file__).resolve().parents[1]
    # Babel reports every f-string it skips on stderr; keys built at run time are skipped on purpose.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):
        found = list(extract_from_dir(root, method_map=[("**.py", "python")], keywords=KEYWORDS))
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def main() -> None:
    """Add the keys used in the code and missing from a catalog, with an empty text to translate."""
    from babel.messages.pofile import read_po, write_po

    known = set(messages())
    new = sorted(k for k in keys_in_code() if k not in known and not _joined(k, known))
    for lang in LANGUAGES:
        with catalog_path(lang).open("rb") as po:
            catalog = read_po(po, locale=lang, domain=DOMAIN)
        for key in new:
            catalog.add(key, "")
        with catalog_path(lang).open("wb") as po:
            write_po(po, catalog, width=120, no_location=True)
    print("\n".join(f"added {key}" for key in new) or "every key used in the code is in the catalogs")


def _joined(key: str, known: set[str]) -> bool:
    """Babel joins the literals of `t("a" if x else "b")` into "ab": both halves known is fine."""
    return any(key[:i] in known and key[i:] in known for i in range(1, len(key)))


if __name__ == "__main__":
    main()
