"""Narrative for demo records: what a supervisor writes in a warning, a review or a
recommendation. Plain, believable, and about no one; `{day}` is filled with a date.
"""

from __future__ import annotations

from types import MappingProxyType

from crmsup.records.discipline.models import DisciplineCategory

_C = DisciplineCategory

INCIDENTS: MappingProxyType[DisciplineCategory, tuple[str, ...]] = MappingProxyType(
    {
        _C.ATTENDANCE: (
            "Logged in 25 minutes after the scheduled start of shift on {day} without notice.",
            "Absent on {day} without calling the absence line before the shift started.",
            "Extended breaks on {day}: 38 minutes over the scheduled break time in total.",
            "Left the floor 45 minutes before the end of shift on {day} without approval.",
        ),
        _C.PERFORMANCE: (
            "Average handle time of 9 min 40 s for the week ending {day}, against a 6 min target.",
            "Quality score of 61% on the calls evaluated up to {day}; the floor is 80%.",
            "First-contact resolution of 48% in the month to {day}, against a team average of 71%.",
            "Wrap-up codes left blank on 23 contacts handled on {day}.",
        ),
        _C.CONDUCT: (
            "Raised voice at a customer on a call recorded on {day} (reference in the QA tool).",
            "Disrespectful remarks to a colleague on the floor on {day}, reported by two people.",
            "Ended a customer call abruptly on {day} while the customer was still speaking.",
        ),
        _C.POLICY: (
            "Customer identity not verified before discussing the account on {day}.",
            "Personal mobile phone used on the floor during live calls on {day}.",
            "Shared a screen showing card details in a chat message on {day}.",
            "Refund issued above the approval limit without a second signature on {day}.",
        ),
        _C.OTHER: (
            "Did not complete the mandatory compliance e-learning due on {day}.",
            "Badge lent to another person to enter the building on {day}.",
        ),
    }
)

EXPECTATIONS: MappingProxyType[DisciplineCategory, str] = MappingProxyType(
    {
        _C.ATTENDANCE: "Attendance and punctuality policy, section 2: be logged in and ready "
        "at the scheduled start of every shift; report an absence before the shift starts.",
        _C.PERFORMANCE: "Performance standards for the queue: handle time, quality score and "
        "resolution targets as agreed in the monthly scorecard.",
        _C.CONDUCT: "Code of conduct: treat customers and colleagues with courtesy and respect "
        "at all times.",
        _C.POLICY: "Information security and customer verification policy.",
        _C.OTHER: "Company rules as set out in the associate handbook.",
    }
)

IMPROVEMENTS: tuple[str, ...] = (
    "Meet the standard every week for the next eight weeks; weekly check-in with the supervisor.",
    "Complete the refresher module and two side-by-side sessions with a senior associate.",
    "Follow the agreed action plan; progress reviewed at each one-to-one.",
    "No further occurrence during the live period of this record.",
)

CONSEQUENCES: tuple[str, ...] = (
    "A repeat may lead to the next step of the disciplinary procedure.",
    "Further occurrences may lead to a written warning.",
    "Any further breach during the live period may lead to a final written warning.",
    "A further breach may lead to dismissal.",
)

STATEMENTS: tuple[str, ...] = (
    "I understand what is expected and will improve.",
    "Public transport strikes made me late; I have changed my route.",
    "I was dealing with a family matter at the time. I accept the record.",
    "I disagree with the measurement period but accept the coaching.",
    "I did not know the limit had changed; I will follow the new process.",
)

DEVIATIONS_DOWN: tuple[str, ...] = (
    "Mitigating circumstances: documented family emergency, confirmed with HR.",
    "Previous record concerned a different shift pattern; coaching is more proportionate.",
    "The associate reported the issue themselves and corrected it the same day.",
)
DEVIATIONS_UP: tuple[str, ...] = (
    "Serious breach with risk to customer data: the procedure allows starting at this level.",
    "Deliberate conduct witnessed by two colleagues; a lower level would not be proportionate.",
)
DEVIATION_CAP = "A further step would be dismissal; this record stays at the final warning level."

DECISIONS: tuple[str, ...] = (
    "Facts are documented and proportionate. Approved.",
    "Approved; please schedule the follow-up within two weeks.",
    "Approved after review of the call recordings.",
)
RESCINDS: tuple[str, ...] = (
    "The absence was later covered by a medical certificate.",
    "The call was mis-attributed by the routing system; the associate was not on it.",
    "Appeal upheld by the site manager after hearing the associate.",
)
WITNESS_ROLES: tuple[str, ...] = ("Team lead", "Quality analyst", "HR business partner")

# ---- reviews ------------------------------------------------------------------------------

SCALE: tuple[str, ...] = (
    "Unsatisfactory: well below expectations",
    "Needs improvement: below expectations in part",
    "Meets expectations",
    "Exceeds expectations",
    "Outstanding: a reference for the team",
)

#: name, (competency, weight, description), for each template HR keeps.
TEMPLATES: tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...] = (
    (
        "Contact centre associate — annual",
        (
            ("Customer focus", 3, "Understands the customer's need and resolves it."),
            ("Quality and compliance", 3, "Follows scripts, verification and data rules."),
            ("Productivity", 2, "Handle time, adherence to schedule, availability."),
            ("Product knowledge", 2, "Knows the offers, tools and processes of the queue."),
            ("Teamwork", 1, "Helps colleagues, shares knowledge, accepts feedback."),
        ),
    ),
    (
        "Probation review",
        (
            ("Learning pace", 2, "Absorbs training and applies it on live contacts."),
            ("Attendance and punctuality", 2, "Present and ready at the start of every shift."),
            ("Customer focus", 3, "Courteous, patient and clear with customers."),
            ("Quality and compliance", 3, "Meets the quality floor for the period."),
        ),
    ),
    (
        "Senior and specialist — annual",
        (
            ("Customer focus", 2, "Resolves complex and escalated contacts."),
            ("Quality and compliance", 2, "Consistently above the quality floor."),
            ("Coaching others", 2, "Supports new starters and side-by-side sessions."),
            ("Problem solving", 2, "Finds root causes and proposes fixes."),
            ("Productivity", 1, "Handle time and adherence to schedule."),
            ("Ownership", 1, "Follows cases through to the end."),
        ),
    ),
)

RATING_COMMENTS: MappingProxyType[int, tuple[str, ...]] = MappingProxyType(
    {
        1: ("Consistently below target despite coaching.", "Several serious lapses."),
        2: ("Below target in most weeks.", "Improving but not yet at the standard."),
        3: ("Solid and reliable.", "At the standard in every month.", "Meets the targets."),
        4: ("Above target in most months.", "Often asked for help by colleagues."),
        5: ("Best results on the queue this year.", "A model for new starters."),
    }
)
STRENGTHS: tuple[str, ...] = (
    "Calm and patient with difficult callers.",
    "Excellent product knowledge; the team's go-to person for billing questions.",
    "Reliable attendance and punctuality all year.",
    "Clear, friendly written replies on chat and e-mail.",
)
IMPROVE: tuple[str, ...] = (
    "Reduce after-call work; use the wrap-up templates.",
    "Verify identity before every account discussion, without exception.",
    "Ask for help earlier on complex cases rather than holding the customer.",
    "Keep to scheduled breaks to protect the queue's service level.",
)
GOALS: tuple[str, ...] = (
    "Quality score at or above 85% every month.",
    "Complete the advanced product certification by the end of the second quarter.",
    "Mentor one new starter through their probation.",
    "First-contact resolution of 75% or more.",
)
ASSOCIATE_COMMENTS: tuple[str, ...] = (
    "Fair review. I would like to be considered for the mentoring programme.",
    "I agree with the ratings and the goals.",
    "I think the productivity rating does not reflect the system outage in March.",
    "Thank you for the support this year.",
)

# ---- recommendations and candidates -------------------------------------------------------

RATIONALES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "promotion": (
            "Top quartile on quality and resolution for four quarters; already mentors new "
            "starters. Ready for the senior role.",
            "Has covered the team lead's duties during leave with good results.",
        ),
        "advancement": (
            "Completed the advanced product certification; consistent 'exceeds' ratings.",
            "Two years at the top of the current band with strong reviews.",
        ),
        "transfer": (
            "Asked to move to a queue closer to their experience; both supervisors agree.",
            "Language skills needed on the receiving team; the move suits the associate too.",
        ),
        "termination": (
            "Final written warning still live and a further serious breach; the procedure "
            "has been followed at every step.",
            "Repeated unauthorised absences after a final written warning.",
        ),
        "hire": (
            "Strong interview: clear, patient, good judgement in the role play.",
            "Relevant experience in another contact centre; passed the typing and system test.",
        ),
    }
)
MANAGER_COMMENTS: tuple[str, ...] = (
    "Agreed; the evidence supports it.",
    "Supported. Please align the start date with the training calendar.",
    "Not now: budget for the band is used this quarter.",
)
HR_COMMENTS: tuple[str, ...] = (
    "Approved; the change is applied.",
    "Approved in line with the grading policy.",
    "Rejected: the procedure requires a live final warning first.",
)
INTERVIEW_NOTES: tuple[str, ...] = (
    "Good listening; handled the angry-customer role play calmly. Typing 52 wpm.",
    "Some hesitation on the system test; friendly and motivated. Available for late shifts.",
    "Previous contact-centre experience (3 years, telecoms). References checked.",
)
RESULTS: tuple[str, ...] = ("recommended", "recommended", "reserve list", "not suited")
