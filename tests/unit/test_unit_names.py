"""Unit names in Vietnamese order, for the reports' unit lists and row groups."""

from __future__ import annotations

from engine.units.names import name_key


def test_unit_names_sort_as_vietnamese_readers_expect() -> None:
    names = ["Phường Yết Kiêu", "Phường Đồng Mai", "Phường Vạn Phúc", "Phường Văn Quán",
             "Phường Dương Nội", "Phường Ân Thi", "Phường An Khánh"]
    # Code points would put Đ after Y and Ân after every plain letter.
    assert sorted(names, key=name_key) == [
        "Phường An Khánh", "Phường Ân Thi", "Phường Dương Nội", "Phường Đồng Mai",
        "Phường Vạn Phúc", "Phường Văn Quán", "Phường Yết Kiêu"]
