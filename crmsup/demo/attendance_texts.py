"""Narrative for demo attendance and PTO: what a supervisor notes about an absence, what an
associate says of a time-off request, why it was denied, why HR adjusted a balance. Plain,
believable, and about no one.
"""

from __future__ import annotations

from decimal import Decimal

from crmsup.records.attendance.models import AttendanceKind

_K = AttendanceKind

NOTES = {
    _K.ABSENCE_EXCUSED: (
        "Called the absence line before the shift: unwell.",
        "Family emergency; called the team lead at 07:40.",
        "Medical appointment; certificate handed in the next day.",
        "Child's school closed at short notice; called in before the shift.",
    ),
    _K.ABSENCE_UNEXCUSED: (
        "Called in 20 minutes after the shift started; no reason given.",
        "Texted the team lead instead of calling the absence line.",
        "Said they overslept; called in an hour after the start of shift.",
    ),
    _K.LATE_ARRIVAL: (
        "Train cancelled; sent a message before the shift.",
        "Logged in late after a system lock-out; IT ticket raised.",
        "No message before the shift.",
    ),
    _K.EARLY_LEAVE: (
        "Felt unwell; left after lunch with the team lead's agreement.",
        "Left for a school pick-up; agreed with the team lead.",
        "Logged out before the end of shift without telling anyone.",
    ),
    _K.NO_CALL_NO_SHOW: (
        "No call, no show. Mobile rang out; voicemail left at 10:15.",
        "Did not attend or call; reached the next day, said they forgot the shift change.",
    ),
    _K.PTO_TAKEN: (
        "Short-notice day off agreed by the team lead; cover found.",
        "Half day agreed the day before.",
    ),
}
COMMENTS = (
    "Family wedding abroad.",
    "School holidays with the children.",
    "Moving house.",
    "Dentist in the morning.",
    "Visiting family.",
    "Long weekend, booked months ago.",
)
DENIALS = (
    "The team's leave quota for that week is full (peak season).",
    "Too many of the team already off that week; please pick other dates.",
    "Blackout period for the billing cycle; offered the following week.",
)
NO_HOURS = "Not enough PTO for these dates; the balance would fall below zero."
APPROVALS = ("Approved; enjoy.", "Approved; please hand over open cases beforehand.")
CANCELS = ("Plans changed; cancelled by the associate.", "Cancelled: trip postponed.")
ADJUSTMENT_REASONS = (
    (Decimal(8), "Day in lieu for working the public holiday."),
    (Decimal(4), "Half day in lieu for the weekend system cut-over."),
    (Decimal(16), "Leave restored: approved days cancelled at the company's request."),
    (Decimal(-8), "Correction: a day off recorded twice."),
    (Decimal(-4), "Correction: half day taken, not recorded."),
)
