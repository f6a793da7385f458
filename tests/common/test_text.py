from cinemateca_common.text import fold, fold_title


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Estados  Unídos ") == "estados unidos"
    assert fold("MIÉRCOLES") == fold("miercoles")


def test_fold_keeps_punctuation_fold_title_drops_it() -> None:
    assert fold("Se7en: (1995)") == "se7en: (1995)"
    assert fold_title("Se7en: (1995)!") == "se7en 1995"
    assert fold_title("Amélie") == "amelie"
