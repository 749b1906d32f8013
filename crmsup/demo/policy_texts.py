"""What the demo's policies say, and the narrative of notes, feedback and client claims.

Policies are plain (not personal data). Notes and claims are drawn from these pools and
encrypted like any other personal field; `{day}` is replaced by the date the text is about.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PolicyText:
    """One version as HR publishes it: days before the demo's day it was published and it
    comes (or came) into force (negative: into force later), and its text."""

    published: int
    effective: int
    body: str


#: Titles and their versions, oldest first. The attendance policy's new version was published
#: three days ago (many associates have yet to acknowledge it); hybrid working comes into
#: force in two weeks (published, not yet current).
POLICIES: tuple[tuple[str, tuple[PolicyText, ...]], ...] = (
    (
        "Code of conduct",
        (
            PolicyText(
                2400,
                2400,
                "We treat every caller, colleague and client with courtesy and honesty. "
                "Conflicts of interest, gifts above 25 EUR and outside work for a client are "
                "declared to HR. Harassment and discrimination are never tolerated.",
            ),
            PolicyText(
                420,
                410,
                "We treat every caller, colleague and client with courtesy and honesty. "
                "Conflicts of interest, gifts above 25 EUR and outside work for a client are "
                "declared to HR. Harassment and discrimination are never tolerated. New in "
                "this version: speaking up (section 4) and social media (section 6).",
            ),
        ),
    ),
    (
        "Data protection and call recording",
        (
            PolicyText(
                1800,
                1790,
                "Customers' personal data is used only for the call it was given for. Calls "
                "are recorded for quality and training; recordings are kept 90 days. Card "
                "numbers are never written down or read back.",
            ),
            PolicyText(
                200,
                180,
                "Customers' personal data is used only for the call it was given for. Calls "
                "are recorded for quality and training; recordings are kept 90 days, and "
                "paused automatically while card details are taken (pause-and-resume). "
                "A suspected breach is reported to the supervisor within the hour.",
            ),
        ),
    ),
    (
        "Attendance, breaks and time off",
        (
            PolicyText(
                1500,
                1490,
                "Log in at the start of your shift, ready for calls. An absence is reported "
                "to the supervisor before the shift starts. Breaks follow the published "
                "schedule; time off is requested at least two weeks ahead.",
            ),
            PolicyText(
                3,
                3,
                "Log in at the start of your shift, ready for calls. An absence is reported "
                "by phone to the supervisor before the shift starts (a text message is not "
                "enough). Attendance points now expire after 6 months instead of 12; a late "
                "arrival of more than 15 minutes counts half a point.",
            ),
        ),
    ),
    (
        "Information security and acceptable use",
        (
            PolicyText(
                900,
                890,
                "Lock your screen whenever you leave your desk. Passwords are never shared. "
                "Only approved software is used on the floor; USB storage is blocked. "
                "Phishing is reported with the button in the mail client.",
            ),
        ),
    ),
    (
        "Clean desk and personal phones on the floor",
        (
            PolicyText(
                60,
                53,
                "Nothing is written on paper on the production floor. Personal phones stay "
                "in the lockers during shifts and may be used in the break areas.",
            ),
        ),
    ),
    (
        "Hybrid working",
        (
            PolicyText(
                2,
                -14,
                "Associates with six months' service and a satisfactory review may work from "
                "home up to two days a week, on a wired connection, in a private room, with "
                "the supervisor's agreement on the days.",
            ),
        ),
    ),
)

CONVERSATIONS = (
    "One-to-one on {day}: went through last week's adherence (94%). Agreed to log into the "
    "phone 5 minutes before shift start.",
    "Side-by-side listening on {day}: good rapport and clear explanations; hold time on "
    "billing questions still long. Will shadow a senior associate on Thursday.",
    "Talked on {day} about the queue change: happy to move to the billing line next month.",
    "Check-in on {day} after the return from leave: settling back in well, no concerns.",
    "Discussed on {day} the two escalations of the week: both handled calmly, good notes in "
    "the CRM. Praised in the team huddle.",
    "Conversation on {day} about the upcoming certification: booked the refresher session.",
    "Asked on {day} about schedule flexibility for evening classes; will see what the "
    "planning team can offer from next month.",
    "Recap on {day} of the call-recording pause procedure; demonstrated correctly on a live "
    "call afterwards.",
    "Welfare conversation on {day}: a difficult week with angry callers. Reminded of the "
    "employee assistance line and agreed a short break after any abusive call.",
    "Talked on {day} about average handle time: above target on technical calls. Will use "
    "the new troubleshooting script.",
    "Quick chat on {day}: interested in becoming a floor mentor. Will propose for the next "
    "buddy programme.",
    "Follow-up on {day} of the coaching plan: first-call resolution up from 71% to 78%.",
)

FEEDBACK = (
    "Feedback given on {day}: the new knowledge base is hard to search during calls.",
    "Said on {day} that the schedule swaps are published too late to plan childcare.",
    "Feedback on {day}: the refresher training on refunds was very useful, would like one "
    "on the new tariffs too.",
    "Raised on {day} that the headset on desk 14 crackles; reported to IT.",
    "Feedback on {day}: would like more notice before being moved to another queue.",
    "Said on {day} that the team huddles help, but 8:55 is too close to shift start.",
    "Thanked the team on {day} for the help during the system outage.",
)

CLAIMS = (
    "The customer says the associate was impatient and cut them off while they were "
    "explaining a billing error.",
    "The client reports that a promised call-back did not happen.",
    "The customer says they were given wrong information about their contract's notice "
    "period and were charged for an extra month.",
    "The customer complains that the associate transferred them three times without "
    "explaining why.",
    "The client's quality team flagged a call where the data protection check was skipped.",
    "The customer says the associate was rude when refusing the refund.",
    "The customer reports being put on hold for over ten minutes without an update.",
    "The client says an order was cancelled without the customer's agreement.",
)

CLIENTS = (
    "{name}, customer account ending {digits}",
    "{name}, by e-mail to the complaints address",
    "Client quality team (escalation ref. Q-{digits})",
    "{name}, through the client's social media team",
)

RESPONSES = (
    "Called the customer back, apologised and confirmed the review of the call recording; "
    "will come back within 5 working days.",
    "Acknowledged by e-mail to the client; listening to the recording today.",
    "Spoke to the customer, corrected the account and confirmed in writing.",
    "Replied to the client's quality team: call located, investigation under way.",
)

OUTCOME_NOTES = (
    "Recording reviewed: the associate's tone was abrupt. Coaching session held; customer "
    "offered a goodwill credit.",
    "Recording reviewed: the information given was correct; explained to the customer.",
    "Process gap found (call-back list not shared between shifts); fixed for the team.",
    "The customer withdrew the claim after the call-back.",
    "Partly justified: the transfer was needed, but not explained. Reminder given.",
)
