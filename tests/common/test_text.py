from cinemateca_common.text import fold, fold_title


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Estados  Unídos ") == "estados unidos"
    assert fold("MIÉRCOLES") == fold("miercoles")


def test_fold_keeps_punctuation_fold_title_drops_it() -> None:
    assert fold("Se7en: (1995)") == "se7en: (1995)"
    assert fold_title("Se7en: (1995)!") == "se7en 1995"
    assert fold_title("Amélie") == "amelie"


def test_every_script_keeps_its_letters() -> None:
    assert fold_title("반드시 잡는다") == "반드시 잡는다"
    assert fold_title("يوم الدين") == "يوم الدين"
    assert fold_title("忍者ハットリくん!") == "忍者ハットリくん"
    assert fold_title("गली बॉय") == "गली बॉय"  # vowel signs are marks that belong to the letter
    assert fold_title("ПЁТР") == "петр"  # Cyrillic and Greek lose their accents like Latin
    assert fold_title("Ωμέγα") == "ωμεγα"


def test_compatibility_forms_and_line_breaks_fold() -> None:
    assert fold_title("the memphis belle: a story of a\r\nflying fortress") == (
        "the memphis belle a story of a flying fortress"
    )
    assert fold("ＡＢＣ ﬁlm") == "abc film"  # full-width letters and ligatures (NFKC)
    assert fold("ｶﾞ") == fold("ガ")  # half-width kana compose with their mark


def test_a_title_of_punctuation_only_keeps_a_key() -> None:
    assert fold_title("?!") == "?!"
    assert fold_title("x_y") == "x y"
