"""The pipeline.* findings: when each fires, from figures the review has already computed.

Thresholds are ae-coach defaults (named constants), except the seed's 40/25/20/10/5 stage mix and the
1 / win rate coverage rule, which come from the seed framework.
"""

from __future__ import annotations

from ae_coach.deal import STAGE_ORDER
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import current, join, t, term
from ae_coach.pipeline._money import money
from ae_coach.pipeline.math import PipelineMath
from ae_coach.pipeline.model import (
    NO_OWNER,
    Coverage,
    DealLine,
    OwnerSummary,
    StageMixRow,
)

STAGE_MIX_TOLERANCE = 0.10
"""ae-coach default: a stage whose share of open pipeline is more than 10 points off the seed's target fires."""
STAGE_MIX_HIGH = 0.20
"""ae-coach default: more than 20 points off makes the stage-mix finding medium rather than low."""
EARLY_TARGET = 0.65
LATE_TARGET = 0.15
"""The seed's split summed: discovery + scoping 65%, proposal + closing 15%."""
OWNER_GAP_SHARE = 0.5
"""ae-coach default: a code on at least half of one owner's open deals is recurring for that owner..."""
OWNER_GAP_MARGIN = 0.25
"""...and it is a gap only when that share is 25 points above the rest of the team (not a team-wide habit)."""
OWNER_GAP_MIN_DEALS = 3
"""ae-coach default: an owner needs this many open deals with the code before it counts as recurring."""


def _stage(value: object) -> str:
    """A stage or severity in a finding: its value in English (as before), the glossary's word otherwise."""
    raw = str(value)
    return raw if current() == "en" else term(raw)


def coverage_gap(coverage: Coverage) -> Finding | None:
    """Fires when open pipeline closing in the period covers less of the remaining quota than 1 / win rate."""
    if coverage.ratio is None or coverage.ratio >= coverage.needed:
        return None
    severity = Severity.HIGH if coverage.ratio < coverage.needed / 2 else Severity.MEDIUM
    shortfall = coverage.needed * (coverage.remaining_quota or 0) - coverage.open_in_period
    return Finding(
        code="pipeline.coverage_gap",
        severity=severity,
        title=t("pipeline.finding.coverage_gap", ratio=f"{coverage.ratio:.1f}", needed=f"{coverage.needed:.1f}"),
        evidence=[
            t("pipeline.finding.coverage_open", amount=money(coverage.open_in_period)),
            t(
                "pipeline.finding.coverage_quota",
                amount=money(coverage.remaining_quota or 0),
                won=money(coverage.closed_won),
            ),
            t("pipeline.finding.coverage_short", amount=money(shortfall)),
        ],
        data={"ratio": round(coverage.ratio, 3), "needed": round(coverage.needed, 3), "shortfall": round(shortfall, 2)},
    )


def stage_mix(rows: list[StageMixRow]) -> Finding | None:
    """Fires when a stage's share of open pipeline value is more than the tolerance off the seed's split."""
    off = sorted((r for r in rows if abs(r.deviation) > STAGE_MIX_TOLERANCE), key=lambda r: -abs(r.deviation))
    if not off or sum(r.amount for r in rows) <= 0:
        return None
    evidence = [
        t(
            "pipeline.finding.mix_share",
            stage=_stage(r.stage),
            share=f"{r.share:.0%}",
            target=f"{r.target:.0%}",
            points=f"{r.deviation * 100:+.0f}",
        )
        for r in off
    ]
    early = sum(r.share for r in rows if STAGE_ORDER[r.stage] <= 1)
    late = sum(r.share for r in rows if STAGE_ORDER[r.stage] >= 3)
    if early < EARLY_TARGET - STAGE_MIX_TOLERANCE:
        evidence.append(t("pipeline.finding.mix_early", share=f"{early:.0%}", target=f"{EARLY_TARGET:.0%}"))
    if late > LATE_TARGET + STAGE_MIX_TOLERANCE:
        evidence.append(t("pipeline.finding.mix_late", share=f"{late:.0%}", target=f"{LATE_TARGET:.0%}"))
    worst = abs(off[0].deviation)
    return Finding(
        code="pipeline.stage_mix",
        severity=Severity.MEDIUM if worst > STAGE_MIX_HIGH else Severity.LOW,
        title=t(
            "pipeline.finding.mix",
            stages=join(
                t("pipeline.finding.mix_stage", stage=_stage(r.stage), points=f"{r.deviation * 100:+.0f}")
                for r in off[:2]
            ),
        ),
        evidence=evidence,
        data={"shares": {r.stage.value: round(r.share, 4) for r in rows}, "off": [r.stage.value for r in off]},
    )


def required_activity(math: PipelineMath | None, created_last_quarter: int | None) -> Finding | None:
    """Info with the seed's math whenever there is a quota; medium when recent opportunity creation falls short."""
    if math is None:
        return None
    evidence = [
        t(
            "pipeline.finding.needs_deals",
            deals=f"{math.deals_needed:.0f}",
            avg=money(math.avg_deal),
            quota=money(math.quota),
        ),
        t(
            "pipeline.finding.needs_coverage",
            coverage=f"{math.coverage_needed:.1f}",
            pipeline=money(math.pipeline_needed),
            win_rate=f"{math.win_rate:.0%}",
        ),
        t("pipeline.finding.needs_opportunities", count=f"{math.opportunities_per_quarter:.0f}"),
        t(
            "pipeline.finding.needs_meetings",
            count=f"{math.meetings_per_week:.0f}",
            conversion=f"{math.meeting_conversion:.0%}",
        ),
    ]
    severity, title = Severity.INFO, t("pipeline.finding.needs")
    if created_last_quarter is not None and created_last_quarter < math.opportunities_per_quarter:
        severity = Severity.MEDIUM
        needed = f"{math.opportunities_per_quarter:.0f}"
        title = t("pipeline.finding.needs_short", created=created_last_quarter, needed=needed)
        evidence.append(t("pipeline.finding.needs_created", created=created_last_quarter))
    data = math.model_dump(
        include={"deals_needed", "coverage_needed", "pipeline_needed", "opportunities_per_quarter", "meetings_per_week"}
    )
    data["created_last_quarter"] = created_last_quarter
    return Finding(code="pipeline.required_activity", severity=severity, title=title, evidence=evidence, data=data)


def at_risk(lines: list[DealLine]) -> Finding | None:
    """Fires when any open deal has a high or critical finding; lists the riskiest by amount x severity."""
    risky = [d for d in lines if d.worst in (Severity.CRITICAL, Severity.HIGH)]
    if not risky:
        return None
    total = sum(d.amount for d in risky)
    return Finding(
        code="pipeline.at_risk",
        severity=Severity.HIGH if any(d.worst is Severity.CRITICAL for d in risky) else Severity.MEDIUM,
        title=t("pipeline.finding.at_risk", count=len(risky), amount=money(total)),
        evidence=[
            t(
                "pipeline.finding.at_risk_deal",
                account=d.account,
                amount=money(d.amount),
                stage=_stage(d.stage),
                severity=_stage(d.worst),
                headline=d.headline,
            )
            for d in risky[:5]
        ],
        data={"deals": [d.id for d in risky[:10]], "count": len(risky), "amount": round(total, 2)},
    )


def _first(names, limit: int = 3) -> str:
    names = list(names)
    more = t("pipeline.finding.and_more", count=len(names) - limit) if len(names) > limit else ""
    return join(names[:limit]) + more


def owner_gaps(owners: list[OwnerSummary]) -> list[Finding]:
    """One finding per owner whose recurring gaps stand out from the rest of the team."""
    findings = []
    for owner in owners:
        if owner.owner == NO_OWNER:  # a habit belongs to a person; unowned deals are an ownership problem
            continue
        gaps = [
            g for g in owner.gaps
            if g.deals >= OWNER_GAP_MIN_DEALS and g.share >= OWNER_GAP_SHARE and g.share - g.team_share >= OWNER_GAP_MARGIN
        ]  # fmt: skip
        if not gaps:
            continue
        findings.append(
            Finding(
                code="pipeline.owner_gap",
                severity=Severity.MEDIUM,
                title=t("pipeline.finding.owner_gap", owner=owner.owner, codes=_first(g.code for g in gaps)),
                evidence=[
                    t(
                        "pipeline.finding.owner_gap_line",
                        code=g.code,
                        deals=g.deals,
                        open=owner.open_deals,
                        share=f"{g.share:.0%}",
                        team=f"{g.team_share:.0%}",
                    )
                    for g in gaps
                ],
                data={"owner": owner.owner, "gaps": [g.model_dump() for g in gaps]},
            )
        )
    return findings
