"""The kinds vocabulary of DESIGN.md: every column and free-text span gets one kind.

Kinds group into categories that match how the CNIL notification form and the GDPR
talk about data. This module is the single source of that vocabulary; recognisers,
the generator's ground truth and the reports all use these names.
"""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "identity": ("last_name", "first_name", "birth_name", "full_name", "sex",
                 "date_of_birth", "age", "place_of_birth"),
    "contact": ("address", "postcode", "city", "phone", "email"),
    "national_id": ("nir", "identity_document"),
    "insurance": ("insurer", "insurance_number"),
    "financial": ("iban", "payment_card"),
    "credentials": ("username", "password_hash", "password"),
    "technical": ("ip_address",),
    "health": ("blood_group", "physician", "lab_test", "lab_result", "diagnosis",
               "medication", "medical_free_text"),
    "none": ("record_id", "event_date", "none"),
}

KIND_CATEGORY: dict[str, str] = {k: cat for cat, kinds in CATEGORIES.items() for k in kinds}
KINDS: tuple[str, ...] = tuple(KIND_CATEGORY)

# Health findings in free text (counted whatever their polarity).
MENTIONS: tuple[str, ...] = ("hiv", "pregnancy", "hepatitis", "diabetes", "cancer",
                             "mental_health", "medication", "sti", "addiction", "disability")


def category_of(kind: str) -> str:
    """Category of a kind; raises KeyError on a kind outside the vocabulary."""
    return KIND_CATEGORY[kind]


def is_personal(kind: str) -> bool:
    """True when the kind says something about a person (anything outside 'none')."""
    return KIND_CATEGORY[kind] != "none"
