"""The export formats we recognise: column aliases, default picklist maps, and detection from the header row.

Every table is keyed by :func:`~ae_coach.crm._values.normalise_key` forms, so ``Close Date``, ``close_date``
and ``CLOSE DATE`` are one column, and ``Account.Name`` (Data Loader) equals ``Account Name`` (report).

Stage maps (documented choices; a mapping file's ``stages`` overrides any of them):

Salesforce's default sales process, whose default probabilities are in brackets:

============================  ===========  ==========================================================
Salesforce stage              ae-coach     why
============================  ===========  ==========================================================
Prospecting (10%)             discovery    first conversations; pain not yet confirmed
Qualification (10%)           discovery    still confirming pain, champion, budget and timeline
Needs Analysis (20%)          scoping      requirements and success criteria are being defined
Value Proposition (50%)       validation   proving value and ROI, the seed's validation work
Id. Decision Makers (60%)     validation   reaching the economic buyer is a validation exit criterion
Perception Analysis (70%)     validation   the buyer is still judging the solution, not the terms
Proposal/Price Quote (75%)    proposal     commercial terms on the table
Negotiation/Review (90%)      closing      verbal yes, legal and procurement
Closed Won / Closed Lost      closed_won / closed_lost
============================  ===========  ==========================================================

HubSpot's default sales pipeline (internal id / label, default probability):

=====================================================  ===========
appointmentscheduled / Appointment Scheduled (20%)     discovery
qualifiedtobuy / Qualified To Buy (40%)                scoping
presentationscheduled / Presentation Scheduled (60%)   validation
decisionmakerboughtin / Decision Maker Bought-In (80%) proposal
contractsent / Contract Sent (90%)                     closing
closedwon / Closed Won, closedlost / Closed Lost       closed_won / closed_lost
=====================================================  ===========

Salesforce contact roles: Economic Buyer and Decision Maker become ``economic_buyer``; Technical Buyer and
Evaluator ``technical_buyer``; Business User ``user_buyer``; Influencer ``influencer``; Other ``unknown``.
**Executive Sponsor becomes ``influencer``, not ``economic_buyer``**: the seed's economic buyer is the person
who signs, and a senior sponsor often is not; counting the sponsor as the EB would silence the
``meddpicc.economic_buyer`` finding on exactly the deals where nobody has met the signer. Orgs whose sponsor
does sign can say so in a mapping file (``roles: {Executive Sponsor: economic_buyer}``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ae_coach.crm._values import normalise_key
from ae_coach.deal import ForecastCategory, Role, Stage

FIELDS: tuple[str, ...] = (
    "id", "name", "account", "account_country", "amount", "currency", "stage", "close_date", "created",
    "probability", "forecast_category", "forecast_api", "next_step", "last_activity", "owner", "is_closed",
    "is_won", "notes",
)  # fmt: skip
"""The deal fields a CSV column can feed. ``forecast_api`` is Salesforce's ForecastCategory API value."""


def _keys(*names: str) -> tuple[str, ...]:
    return tuple(normalise_key(n) for n in names)


@dataclass(frozen=True)
class Format:
    """One export shape: its name, the columns that prove it, and aliases for each field."""

    name: str
    label: str
    signature: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matches(self, headers: set[str]) -> bool:
        return all(s in headers for s in self.signature)


SALESFORCE_REPORT = Format(
    "salesforce_report",
    "Salesforce report export",
    _keys("Opportunity Name", "Stage"),
    {
        "id": _keys("Opportunity ID", "Opportunity ID (18)", "Opportunity Id"),
        "name": _keys("Opportunity Name"),
        "account": _keys("Account Name", "Account"),
        "account_country": _keys(
            "Billing Country Code",
            "Billing Country",
            "Account: Billing Country",
            "Account Billing Country",
            "Account Country",
            "Country",
        ),
        "amount": _keys("Amount", "Total Contract Value", "ACV", "Annual Contract Value"),
        "currency": _keys("Opportunity Currency", "Amount Currency", "Currency"),
        "stage": _keys("Stage"),
        "close_date": _keys("Close Date"),
        "created": _keys("Created Date"),
        "probability": _keys("Probability (%)", "Probability"),
        "forecast_category": _keys("Forecast Category"),
        "next_step": _keys("Next Step"),
        "last_activity": _keys("Last Activity", "Last Activity Date"),
        "owner": _keys("Opportunity Owner", "Owner", "Owner Name"),
        "notes": _keys("Description"),
        "is_closed": _keys("Closed"),
        "is_won": _keys("Won"),
    },
)

SALESFORCE_API = Format(
    "salesforce_api",
    "Salesforce Data Loader / API export",
    _keys("StageName"),
    {
        "id": _keys("Id"),
        "name": _keys("Name"),
        "account": _keys("Account.Name", "AccountName", "AccountId"),
        "account_country": _keys("Account.BillingCountryCode", "Account.BillingCountry", "BillingCountry"),
        "amount": _keys("Amount"),
        "currency": _keys("CurrencyIsoCode"),
        "stage": _keys("StageName"),
        "close_date": _keys("CloseDate"),
        "created": _keys("CreatedDate"),
        "probability": _keys("Probability"),
        "forecast_category": _keys("ForecastCategoryName"),
        "forecast_api": _keys("ForecastCategory"),
        "next_step": _keys("NextStep"),
        "last_activity": _keys("LastActivityDate"),
        "owner": _keys("Owner.Name", "OwnerName", "OwnerId"),
        "is_closed": _keys("IsClosed"),
        "is_won": _keys("IsWon"),
        "notes": _keys("Description"),
    },
)

HUBSPOT_LABELS = Format(
    "hubspot_labels",
    "HubSpot deal export",
    _keys("Deal Name", "Deal Stage"),
    {
        "id": _keys("Record ID", "Deal ID"),
        "name": _keys("Deal Name"),
        "account": _keys("Associated Company", "Associated Company (Primary)", "Company name", "Company"),
        "account_country": _keys("Country/Region", "Company Country/Region", "Country"),
        "amount": _keys("Amount", "Annual contract value"),
        "currency": _keys("Currency"),
        "stage": _keys("Deal Stage"),
        "close_date": _keys("Close Date"),
        "created": _keys("Create Date"),
        "probability": _keys("Deal probability"),
        "forecast_category": _keys("Forecast category"),
        "next_step": _keys("Next step"),
        "last_activity": _keys("Last Activity Date"),
        "owner": _keys("Deal owner"),
        "notes": _keys("Deal Description"),
        "is_closed": _keys("Is Closed"),
        "is_won": _keys("Is closed won", "Is Deal Closed Won"),
    },
)

HUBSPOT_API = Format(
    "hubspot_api",
    "HubSpot deal export (API names)",
    _keys("dealname", "dealstage"),
    {
        "id": _keys("hs_object_id", "dealId", "id"),
        "name": _keys("dealname"),
        "account": _keys("associatedcompanyname", "company", "associations.companies"),
        "account_country": _keys("country", "company_country"),
        "amount": _keys("amount", "hs_acv"),
        "currency": _keys("deal_currency_code"),
        "stage": _keys("dealstage"),
        "close_date": _keys("closedate"),
        "created": _keys("createdate"),
        "probability": _keys("hs_deal_stage_probability"),
        "forecast_category": _keys("hs_manual_forecast_category", "hs_forecast_category"),
        "next_step": _keys("hs_next_step"),
        "last_activity": _keys("notes_last_updated", "hs_lastactivitydate"),
        "owner": _keys("hubspot_owner_id"),
        "notes": _keys("description"),
        "is_closed": _keys("hs_is_closed"),
        "is_won": _keys("hs_is_closed_won"),
    },
)

FORMATS: tuple[Format, ...] = (SALESFORCE_REPORT, SALESFORCE_API, HUBSPOT_LABELS, HUBSPOT_API)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}

CONTACT_ROLE_COLUMNS = _keys("OpportunityId", "Role")
HISTORY_COLUMNS = _keys("OpportunityId", "StageName")


def _map(pairs: Mapping[str, Any]) -> dict[str, Any]:
    return {normalise_key(k): v for k, v in pairs.items()}


_OUR_STAGES = {s.value: s for s in Stage} | {s.value.replace("_", " "): s for s in Stage}

SALESFORCE_STAGES: dict[str, Stage] = _map(
    {
        "Prospecting": Stage.DISCOVERY,
        "Qualification": Stage.DISCOVERY,
        "Needs Analysis": Stage.SCOPING,
        "Value Proposition": Stage.VALIDATION,
        "Id. Decision Makers": Stage.VALIDATION,
        "Perception Analysis": Stage.VALIDATION,
        "Proposal/Price Quote": Stage.PROPOSAL,
        "Negotiation/Review": Stage.CLOSING,
        "Closed Won": Stage.CLOSED_WON,
        "Closed Lost": Stage.CLOSED_LOST,
    }
    | _OUR_STAGES
)

HUBSPOT_STAGES: dict[str, Stage] = _map(
    {
        "appointmentscheduled": Stage.DISCOVERY,
        "Appointment Scheduled": Stage.DISCOVERY,
        "qualifiedtobuy": Stage.SCOPING,
        "Qualified To Buy": Stage.SCOPING,
        "presentationscheduled": Stage.VALIDATION,
        "Presentation Scheduled": Stage.VALIDATION,
        "decisionmakerboughtin": Stage.PROPOSAL,
        "Decision Maker Bought-In": Stage.PROPOSAL,
        "contractsent": Stage.CLOSING,
        "Contract Sent": Stage.CLOSING,
        "closedwon": Stage.CLOSED_WON,
        "Closed Won": Stage.CLOSED_WON,
        "closedlost": Stage.CLOSED_LOST,
        "Closed Lost": Stage.CLOSED_LOST,
    }
    | _OUR_STAGES
)

STAGE_MAPS: dict[str, dict[str, Stage]] = {
    "salesforce_report": SALESFORCE_STAGES,
    "salesforce_api": SALESFORCE_STAGES,
    "hubspot_labels": HUBSPOT_STAGES,
    "hubspot_api": HUBSPOT_STAGES,
    "custom": _map(_OUR_STAGES),
}

FORECAST_MAP: dict[str, ForecastCategory] = _map(
    {
        # Salesforce ForecastCategoryName labels, and the ForecastCategory API values ("Forecast" is Commit).
        "Omitted": ForecastCategory.OMITTED,
        "Pipeline": ForecastCategory.PIPELINE,
        "Best Case": ForecastCategory.BEST_CASE,
        "BestCase": ForecastCategory.BEST_CASE,
        "Commit": ForecastCategory.COMMIT,
        "Forecast": ForecastCategory.COMMIT,
        "Closed": ForecastCategory.CLOSED,
        # HubSpot's hs_manual_forecast_category internal values and labels.
        "OMIT": ForecastCategory.OMITTED,
        "Not forecasted": ForecastCategory.OMITTED,
        "BEST_CASE": ForecastCategory.BEST_CASE,
        "Closed won": ForecastCategory.CLOSED,
        "omitted": ForecastCategory.OMITTED,
    }
)

ROLE_MAP: dict[str, Role] = _map(
    {
        "Economic Buyer": Role.ECONOMIC_BUYER,
        "Decision Maker": Role.ECONOMIC_BUYER,
        "Executive Sponsor": Role.INFLUENCER,
        "Technical Buyer": Role.TECHNICAL_BUYER,
        "Evaluator": Role.TECHNICAL_BUYER,
        "Business User": Role.USER_BUYER,
        "Influencer": Role.INFLUENCER,
        "Champion": Role.CHAMPION,  # not in Salesforce's default picklist, but common and unambiguous
        "Other": Role.UNKNOWN,
    }
)


def detect(headers: Sequence[str]) -> Format | None:
    """The format whose signature the header row carries; the one with most known columns wins."""
    keys = {normalise_key(h) for h in headers}
    if "opportunityid" in keys:
        return None  # OpportunityHistory / OpportunityContactRole: companions, not opportunities
    candidates = [f for f in FORMATS if f.matches(keys)]
    if not candidates:
        return None

    def known(fmt: Format) -> int:
        return sum(1 for aliases in fmt.aliases.values() if any(a in keys for a in aliases))

    return max(candidates, key=known)


def column_index(fmt: Format, headers: Sequence[str]) -> dict[str, int]:
    """Field -> column position, taking each field's first alias present (aliases are in priority order)."""
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        positions.setdefault(normalise_key(header), i)
    index: dict[str, int] = {}
    for name, aliases in fmt.aliases.items():
        for alias in aliases:
            if alias in positions:
                index[name] = positions[alias]
                break
    return index


EXPECTED_COLUMNS = (
    "a Salesforce report (Opportunity Name, Account Name, Stage, Amount, Close Date, ...), "
    "a Salesforce Data Loader export (Id, Name, StageName, Amount, CloseDate, ...), "
    "a HubSpot deal export (Deal Name, Deal Stage, Amount, Close Date, ... or dealname, dealstage, ...), "
    "or any CSV with a column mapping (--mapping FILE)"
)
