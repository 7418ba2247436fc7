"""The checks of an administrative-units file: each refusal names the line at fault."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import UnitsInvalid
from engine.model import UnitLevel
from engine.units import read_units

HEADER = "code,agency_code,name,level,parent,valid_from,valid_to,successors,confirmed,source"
PROVINCE = "01,000.00.00.H26,Thành phố Hà Nội,province,,2008-08-01,,,yes,"
DISTRICT = "268,000.00.20.H26,Quận Hà Đông,district,01,2009-05-08,2025-06-30,,yes,"
OLD_WARD = "09538,000.01.20.H26,Phường Nguyễn Trãi,commune,268,2009-05-08,2025-06-30,09552,yes,"
NEW_WARD = "09552,000.00.81.H26,Phường Hà Đông,commune,01,2025-07-01,,,no,unconfirmed code"


def _file(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(UnitsInvalid) as refused:
        read_units("units.csv", text)
    return [str(p) for p in refused.value.problems]


def test_a_merger_history_reads_as_units() -> None:
    units = read_units("units.csv", "# a comment line\n" + _file(
        PROVINCE, DISTRICT, OLD_WARD, NEW_WARD))
    by_code = {u.code: u for u in units}
    assert by_code["09538"].successors == ("09552",)
    assert by_code["09538"].valid_to == date(2025, 6, 30)
    assert by_code["09552"].level is UnitLevel.COMMUNE and by_code["09552"].parent == "01"
    assert by_code["09552"].confirmed is False and by_code["01"].parent is None


def test_a_reused_code_is_a_later_version_of_it() -> None:
    # Phú La's code 09552 ends with the old ward and begins again as the new ward.
    old = "09552,000.08.20.H26,Phường Phú La,commune,268,2009-05-08,2025-06-30,09552,yes,"
    units = read_units("units.csv", _file(PROVINCE, DISTRICT, old, NEW_WARD))
    assert [u.name for u in units if u.code == "09552"] == ["Phường Phú La", "Phường Hà Đông"]


def test_overlapping_versions_of_one_code_are_refused_on_the_later_line() -> None:
    twice = "09552,000.00.82.H26,Phường Hà Đông mới,commune,01,2025-12-01,,,no,"
    assert _problems(_file(PROVINCE, NEW_WARD, twice)) == [
        "units.csv:4: unit '09552': overlaps in time with line 3, which has the same code "
        "'09552' with no end; end one version before the other begins"]


def test_one_agency_code_for_two_units_at_once_is_refused() -> None:
    other = "09541,000.00.81.H26,Phường Mộ Lao,commune,01,2025-07-01,,,no,"
    assert _problems(_file(PROVINCE, NEW_WARD, other)) == [
        "units.csv:4: unit '09541': overlaps in time with line 3, which has the same agency "
        "code '000.00.81.H26' with no end; end one version before the other begins"]


def test_an_unknown_parent_is_refused() -> None:
    assert _problems(_file(PROVINCE, OLD_WARD.replace(",268,", ",269,"), NEW_WARD)) == [
        "units.csv:3: unit '09538': parent '269' is not in the file; add it or write an "
        "existing code"]


def test_a_parent_must_exist_over_the_childs_whole_interval() -> None:
    late = OLD_WARD.replace(",2009-05-08,2025-06-30,", ",2009-05-08,2025-07-31,")
    assert _problems(_file(PROVINCE, DISTRICT, late, NEW_WARD.replace(
        "2025-07-01", "2025-08-01"))) == [
        "units.csv:4: unit '09538': parent '268' does not exist on 2025-07-01; the unit's "
        "validity (2009-05-08 to 2025-07-31) must lie within its parent's"]
    early = DISTRICT.replace("2009-05-08", "2010-01-01")
    assert "parent '268' does not exist on 2009-05-08" in _problems(
        _file(PROVINCE, early, OLD_WARD, NEW_WARD))[0]


def test_a_parent_of_the_same_or_a_lower_level_is_refused() -> None:
    child = "09541,000.02.20.H26,Phường Mộ Lao,commune,09538,2009-05-08,2025-06-30,09552,yes,"
    assert _problems(_file(PROVINCE, DISTRICT, OLD_WARD, child, NEW_WARD)) == [
        "units.csv:5: unit '09541': parent '09538' is a commune (line 4); a commune's parent "
        "is of a higher level"]


def test_parent_links_in_a_cycle_are_refused() -> None:
    a = "09538,000.01.20.H26,Phường A,commune,09541,2025-07-01,,,yes,"
    b = "09541,000.02.20.H26,Phường B,commune,09538,2025-07-01,,,yes,"
    assert _problems(_file(a, b)) == [
        "units.csv:2: unit '09538': parent links go round in a cycle: 09538 → 09541 → 09538",
        "units.csv:3: unit '09541': parent links go round in a cycle: 09541 → 09538 → 09541"]


def test_an_unknown_successor_is_refused() -> None:
    assert _problems(_file(PROVINCE, DISTRICT, OLD_WARD)) == [
        "units.csv:4: unit '09538': successor '09552' is not in the file; add it or correct "
        "the code"]


def test_a_successor_begins_the_day_after_its_predecessor_ends() -> None:
    later = NEW_WARD.replace("2025-07-01", "2025-07-02")
    assert _problems(_file(PROVINCE, DISTRICT, OLD_WARD, later)) == [
        "units.csv:4: unit '09538': successor '09552' does not begin on 2025-07-01, the day "
        "after this unit ends; its versions begin on 2025-07-02"]


def test_a_unit_naming_itself_as_successor_needs_a_later_version() -> None:
    itself = OLD_WARD.replace(",09552,", ",09538,")
    assert "successor '09538' does not begin on 2025-07-01" in _problems(
        _file(PROVINCE, DISTRICT, itself))[0]


def test_levels_come_from_a_fixed_list_and_districts_end_with_the_reform() -> None:
    assert _problems(_file(PROVINCE.replace("province", "region"))) == [
        "units.csv:2: unit '01': level 'region' is not one of province, district, commune"]
    assert _problems(_file(PROVINCE, DISTRICT.replace("2025-06-30", ""))) == [
        "units.csv:3: unit '268': districts ended on 2025-06-30; write valid_to 2025-06-30 "
        "or earlier"]


def test_one_units_own_figures() -> None:
    backwards = NEW_WARD.replace("2025-07-01,,", "2025-07-01,2025-06-01,")
    assert _problems(_file(PROVINCE, backwards)) == [
        "units.csv:3: unit '09552': valid_to 2025-06-01 is before valid_from 2025-07-01"]
    # Rows that cannot be read are all reported before any rule between units is applied.
    problems = _problems(_file(PROVINCE, "1,000.00.83.H26,Xã X,commune,01,2025-07-01,,,maybe,",
                               "09999,,,commune,01,1 July,,,,"))
    assert problems == [
        "units.csv:3: unit '1': confirmed 'maybe' is neither yes nor no",
        "units.csv:4: unit '09999': 'agency_code' is empty",
        "units.csv:4: unit '09999': 'name' is empty",
        "units.csv:4: unit '09999': valid_from '1 July' is not a date; write YYYY-MM-DD"]
    assert _problems(_file(PROVINCE, "1,000.00.83.H26,Xã X,commune,01,2025-07-01,,,no,")) == [
        "units.csv:3: unit '1': a commune's code is 5 digits (the national "
        "administrative-unit code), not '1'"]


def test_an_agency_code_keeps_the_pattern() -> None:
    assert _problems(_file(PROVINCE.replace("000.00.00.H26", "H26"))) == [
        "units.csv:2: unit '01': agency code 'H26' is not in the pattern 000.00.20.H26"]


def test_the_header_names_known_columns() -> None:
    assert _problems("code,name,level,valid_from,colour\n") == [
        "units.csv:1: header: unknown column 'colour'; the columns are code, agency_code, "
        "name, level, parent, valid_from, valid_to, successors, confirmed, source",
        "units.csv:1: header: column 'agency_code' is missing"]
    assert _problems("# only a comment\n")[0].startswith("units.csv:1: header: the file is empty")


def test_a_quoted_name_may_hold_a_comma_and_extra_cells_are_refused() -> None:
    quoted = '09552,000.00.81.H26,"Phường Hà Đông, mới",commune,01,2025-07-01,,,no,'
    units = read_units("units.csv", _file(PROVINCE, quoted))
    assert units[1].name == "Phường Hà Đông, mới"
    assert _problems(_file(PROVINCE, NEW_WARD + ",extra")) == [
        "units.csv:3: unit '09552': 11 cells for 10 columns; quote a name that holds a comma"]
