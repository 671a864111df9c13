"""The lenders and loan programmes on the Bastau terms (DOMAIN.md "Loans"); safe to run again.

Each lender is an organisation of kind "financial institution" at its head office in Astana (an
organisation is placed in a region: accounts.Organisation), and its officers work for it. What an
administrator changed in the admin afterwards stays: rows are only created when missing.
"""

from decimal import Decimal

from django.db import transaction

from accounts.models import Organisation, OrganisationKind
from financing.models import LoanProgramme
from geography.models import Region

ASTANA_KATO = "710000000"

LENDERS = {
    "fund": {
        "name_kk": "«Ауыл шаруашылығын қаржылай қолдау қоры» АҚ",
        "name_ru": "АО «Фонд финансовой поддержки сельского хозяйства»",
        "name_en": "Fund for Financial Support of Agriculture JSC",
    },
    "acc": {
        "name_kk": "«Аграрлық несие корпорациясы» АҚ",
        "name_ru": "АО «Аграрная кредитная корпорация»",
        "name_en": "Agrarian Credit Corporation JSC",
    },
}

# Up to 8,000 MCI at 6 % for up to 60 months (DOMAIN.md); the grace period is our choice
# (docs/decisions.md "Loans").
PROGRAMMES = [
    {
        "code": "kasipker",
        "lender": "fund",
        "name_kk": "Кәсіпкер",
        "name_ru": "Касипкер",
        "name_en": "Kasipker",
        "cap_mci": 8000,
        "rate": Decimal("6.00"),
        "max_term_months": 60,
        "grace_months": 6,
    },
    {
        "code": "isker",
        "lender": "acc",
        "name_kk": "Іскер",
        "name_ru": "Іскер",
        "name_en": "Isker",
        "cap_mci": 8000,
        "rate": Decimal("6.00"),
        "max_term_months": 60,
        "grace_months": 6,
    },
]


def lender(key: str) -> Organisation | None:
    """The seeded lender by its key ("fund", "acc"), if loaded."""
    return Organisation.objects.filter(
        kind=OrganisationKind.FINANCIAL_INSTITUTION, name_ru=LENDERS[key]["name_ru"]
    ).first()


@transaction.atomic
def load_loan_programmes() -> int:
    """Create the missing lenders and programmes; returns how many programmes were created. Needs the
    geography (the head offices are in Astana): without it, nothing is made."""
    astana = Region.objects.filter(kato_code=ASTANA_KATO).first()
    if astana is None:
        return 0
    lenders = {}
    for key, names in LENDERS.items():
        lenders[key], _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.FINANCIAL_INSTITUTION,
            name_ru=names["name_ru"],
            defaults={**names, "region": astana},
        )
    created = 0
    for row in PROGRAMMES:
        values = {k: v for k, v in row.items() if k not in ("code", "lender")}
        _, made = LoanProgramme.objects.get_or_create(
            code=row["code"], defaults={**values, "lender": lenders[row["lender"]]}
        )
        created += made
    return created
