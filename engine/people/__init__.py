"""People as the desk writes them down: names folded for searching, phone numbers and ID
numbers checked and normalised, and the search terms of a dossier's applicant.

Pure functions and one data file (``id_provinces.toml``); no storage, no clock."""

from engine.people.ids import check_id_number
from engine.people.names import fold, words
from engine.people.phones import check_phone
from engine.people.terms import SearchTerms, applicant_problems, search_terms

__all__ = ["SearchTerms", "applicant_problems", "check_id_number", "check_phone", "fold",
           "search_terms", "words"]
