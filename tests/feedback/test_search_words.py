"""The words a search looks for and the configuration each language is stemmed with:
pure, without a database."""

from __future__ import annotations

import pytest

from feedback.search import fold, search_config, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please add export to Excel", ["export", "excel"]),
        ("Exportación de los informes para el equipo", ["exportación", "informes", "equipo"]),
        ("Εξαγωγή των αναφορών σε Excel και CSV", ["εξαγωγή", "αναφορών", "excel", "csv"]),
        # Stop words match whatever the accents and the final sigma.
        ("ΤΗΣ Της της τησ αναφοράς", ["αναφοράς"]),
    ],
)
def test_words_drop_the_stop_words_of_every_language(text, expected):
    assert words(text) == expected


def test_fold_removes_accents_and_the_final_sigma():
    assert fold("Λογαριασμός") == "λογαριασμοσ"
    assert fold("Exportación") == "exportacion"


@pytest.mark.parametrize(
    ("language", "config"),
    [("en", "english"), ("es", "spanish"), ("es-ar", "spanish"), ("el", "greek"), ("fr", "simple")],
)
def test_each_language_has_its_text_search_configuration(language, config):
    assert search_config(language) == config
