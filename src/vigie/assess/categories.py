"""Map Vigie kinds and mentions to the EDPB breach-notification data types and GDPR art. 9.

The CNIL form follows the EDPB common notification template, whose field 70 ("type of
personal data") is a closed list. Each personal kind maps to exactly one value of it, so a
DPO can copy the assessment into the form; every health kind and every free-text health
mention is a special category of data (GDPR art. 9(1), "data concerning health", read
broadly by art. 4(15) and recital 35). Source: /work/shared/research/breach-response.md
§2 (EDPB template fields 70-73) and requirement 7.
"""

from __future__ import annotations

from vigie.kinds import KIND_CATEGORY, MENTIONS

# EDPB template field 70 values used by Vigie: stable key -> the template's wording.
EDPB_DATA_TYPES: dict[str, str] = {
    "basic_data": "Basic personal data (name, date of birth, sex)",
    "contact_details": "Contact details",
    "identification_data": "Identification data (national ID number)",
    "economic_financial": "Economic and financial data",
    "payment_methods": "Payment methods",
    "user_credentials": "User credentials",
    "location": "Location data",
    "health_data": "Health data (medical records, test results)",
}

# Vigie category -> EDPB field-70 key. Kinds inherit their category's value unless
# KIND_EXCEPTIONS says otherwise.
_CATEGORY_EDPB: dict[str, str] = {
    "identity": "basic_data",
    "contact": "contact_details",
    "national_id": "identification_data",
    "insurance": "identification_data",   # a membership number identifies the insured person
    "financial": "economic_financial",
    "credentials": "user_credentials",
    "technical": "location",               # an IP address locates a device and its user
    "health": "health_data",
}
_KIND_EXCEPTIONS: dict[str, str] = {
    "payment_card": "payment_methods",
    "insurer": "economic_financial",       # which complementary insurer covers the person
}


def edpb_data_type(kind_or_mention: str) -> str | None:
    """EDPB field-70 key of a kind or a free-text mention; None for non-personal kinds."""
    if kind_or_mention in MENTIONS:
        return "health_data"
    if kind_or_mention in _KIND_EXCEPTIONS:
        return _KIND_EXCEPTIONS[kind_or_mention]
    return _CATEGORY_EDPB.get(KIND_CATEGORY[kind_or_mention])


def is_art9(kind_or_mention: str) -> bool:
    """True for special-category data (GDPR art. 9): every health kind and every mention."""
    return kind_or_mention in MENTIONS or KIND_CATEGORY.get(kind_or_mention) == "health"
