"""What the demo's training says: HR's course catalogue (which job titles need which course,
how long a certificate counts, the pass mark), the projects associates are admitted to, and
the few phrases a completion's notes and an admission's reason are drawn from."""

from __future__ import annotations

from crmsup.demo.names import QUEUES, SENIOR_PREFIX, SPECIAL_TITLES
from crmsup.records.training.models import CourseKind

_TEAM_TITLES = tuple(q.title for q in QUEUES)
_ALL_TITLES = (
    *_TEAM_TITLES,
    *(SENIOR_PREFIX + t for t in _TEAM_TITLES),
    *SPECIAL_TITLES,
)


def _with_senior(*titles: str) -> tuple[str, ...]:
    return (*titles, *(SENIOR_PREFIX + t for t in titles))


#: (code, title, kind, hours, validity in months, pass mark or None (no score), titles).
CATALOGUE: tuple[tuple[str, str, CourseKind, str, int | None, int | None, tuple[str, ...]], ...] = (
    (
        "ONB-INDUCT",
        "Contact centre induction",
        CourseKind.ONBOARDING,
        "37.5",
        None,
        70,
        (),  # asked of new hires, whatever their title
    ),
    (
        "PRD-CARE",
        "Products and services essentials",
        CourseKind.PRODUCT,
        "15",
        None,
        75,
        _with_senior(
            "Customer Service Associate",
            "Onboarding Associate",
            "Back Office Associate",
            "Digital Support Associate",
        ),
    ),
    (
        "PRD-BILL",
        "Billing, payments and refunds",
        CourseKind.PRODUCT,
        "11.25",
        None,
        75,
        _with_senior("Billing Associate", "Collections Agent"),
    ),
    (
        "PRD-TECH",
        "Broadband and mobile troubleshooting",
        CourseKind.PRODUCT,
        "22.5",
        None,
        75,
        _with_senior("Technical Support Agent", "Escalations Specialist"),
    ),
    (
        "PRD-SALES",
        "Offers, contracts and retention",
        CourseKind.PRODUCT,
        "15",
        None,
        75,
        _with_senior("Sales Associate", "Retention Specialist", "Account Specialist"),
    ),
    (
        "PRD-CLAIMS",
        "Claims handling",
        CourseKind.PRODUCT,
        "15",
        None,
        75,
        _with_senior("Claims Associate"),
    ),
    (
        "CMP-GDPR",
        "Data protection and confidentiality",
        CourseKind.COMPLIANCE,
        "1.5",
        12,
        80,
        _ALL_TITLES,
    ),
    (
        "CMP-PCI",
        "Card payments (PCI DSS)",
        CourseKind.COMPLIANCE,
        "1",
        12,
        80,
        _with_senior(
            "Customer Service Associate",
            "Billing Associate",
            "Sales Associate",
            "Retention Specialist",
            "Collections Agent",
            "Account Specialist",
        ),
    ),
    (
        "CMP-VULN",
        "Vulnerable customers",
        CourseKind.COMPLIANCE,
        "2",
        24,
        80,
        _with_senior("Collections Agent", "Claims Associate", "Escalations Specialist"),
    ),
    (
        "SSK-WRITE",
        "Writing for chat and e-mail",
        CourseKind.SOFT_SKILLS,
        "3",
        None,
        None,
        _with_senior("Digital Support Associate"),
    ),
    (
        "SSK-COACH",
        "Coaching conversations",
        CourseKind.SOFT_SKILLS,
        "7",
        None,
        None,
        ("Team Lead", "Trainer", "Quality Analyst"),
    ),
    ("SSK-DEESC", "Handling difficult calls", CourseKind.SOFT_SKILLS, "4", None, None, ()),
    ("SSK-CALL", "Call control and handling time", CourseKind.SOFT_SKILLS, "2", None, None, ()),
)
#: Soft-skills courses a supervisor asks for, not required of any title.
AD_HOC = (("SSK-DEESC", 3), ("SSK-CALL", 2), ("SSK-WRITE", 1))
#: Projects an associate is admitted to, and the courses their passes must cover.
PROJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Card payments hotline", ("CMP-PCI", "CMP-GDPR")),
    ("Vulnerable customers team", ("CMP-VULN", "CMP-GDPR")),
    ("Fibre launch support", ("PRD-TECH",)),
    ("Premium accounts cover", ("PRD-SALES", "CMP-PCI")),
    ("Chat pilot", ("SSK-WRITE", "CMP-GDPR")),
)
REASONS = (
    "Strong quality scores over the last quarter and all required passes in date.",
    "Volunteered for the project; product knowledge confirmed on recent calls.",
    "Needed to cover the project's extended hours; passes checked with the trainer.",
    "Recommended by the team's supervisor after side-by-side listening.",
    "Experienced on this queue; all courses the project asks for are current.",
)
FAIL_NOTES = (
    "Below the pass mark on the assessment; retake booked.",
    "Ran out of time on the final module; retake booked with the trainer.",
    "Struggled with the scenario questions; revisit the workbook before the retake.",
)
PASS_NOTES = (
    "Good questions during the session.",
    "Completed the optional module as well.",
    "Asked for the advanced course next.",
)
