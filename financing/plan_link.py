"""The frozen business plan a loan referral carries.

TODO(lead, plans merge): the plans stage (branch `plans`) builds
`plans.selectors.frozen_version_of(application)`. When it is merged, return
`version.pk if (version := frozen_version_of(application)) else None` here, turn
`Referral.plan_version_id` into a ForeignKey to `plans.PlanVersion` (a migration), and link the
plan's PDF from templates/financing/_referral_facts.html. Until then no referral carries a plan.
"""


def frozen_plan_id(application) -> int | None:
    """The id of the graduate's frozen business-plan version, or None (see the TODO above)."""
    return None
