"""The README says what a user needs to run the app on a set day and to find its exports."""

from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
USING_IT = README.split("## Using it", 1)[1].split("\n## ", 1)[0]


def test_using_it_names_reception_now():
    assert "`RECEPTION_NOW`" in USING_IT and "`RECEPTION_TZ`" in USING_IT


def test_using_it_says_where_exports_go():
    assert "exports" in USING_IT and "beside the database" in USING_IT
    assert "`-o`" in USING_IT
