"""People as the desk writes them down: names folded for searching, phone numbers and ID
numbers checked and normalised, and the search terms of a dossier's applicant.

Pure functions and one data file (``id_provinces.toml``); no storage, no clock."""

from engine.people.ids import check_id_number
from engine.people.names import fold, words
from engine.people.phones import check_phone
from engine.people.terms import (
    SearchQuery,
    SearchTerms,
    applicant_problems,
    cleaned_applicant,
    parse_query,
    search_terms,
)

__all__ = ["SearchQuery", "SearchTerms", "applicant_problems", "check_id_number", "check_phone",
           "cleaned_applicant", "fold", "parse_query", "search_terms", "words"]
