"""Language names and directions come from langcodes."""

from archive.base.languages import describe, standard_form


def test_names_autonyms_and_direction() -> None:
    assert describe("zh").label == "Chinese (中文)"
    assert describe("en").label == "English"
    assert describe("fa").direction == "rtl" and describe("he").direction == "rtl"
    assert describe("ru").direction == "ltr"
    assert describe("zh-Hans").is_cjk and not describe("bg").is_cjk


def test_primary_language_drops_script_and_region() -> None:
    assert describe("zh-Hans").primary == "zh"
    assert describe("pt-BR").primary == "pt"
    assert describe("bg").primary == "bg"


def test_standard_form() -> None:
    assert standard_form("zh-Hans") == "zh-Hans"
    assert standard_form("zh-hans") == "zh-Hans"
    assert standard_form("chinese") is None
    assert standard_form("zh-hans") == "zh-Hans"  # a code found not standard is not remembered as one
