"""Language names and directions come from langcodes."""

from archive.languages import describe


def test_names_autonyms_and_direction() -> None:
    assert describe("zh").label == "Chinese (中文)"
    assert describe("en").label == "English"
    assert describe("fa").direction == "rtl" and describe("he").direction == "rtl"
    assert describe("ru").direction == "ltr"
    assert describe("zh-Hans").is_cjk and not describe("bg").is_cjk
