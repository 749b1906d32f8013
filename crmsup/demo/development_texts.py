"""Narrative for demo development records: HR's call-monitoring scorecards, and what a
supervisor writes in a monthly plan, its weekly updates, a coaching session and a call
evaluation. Plain, believable, and about no one.
"""

from __future__ import annotations

from crmsup.records.development.scorecard_rules import ItemSpec

#: (name, revisions oldest first): the voice scorecard was revised once (an item added and the
#: weights moved), so older evaluations keep its retired first revision.
VOICE = "Voice call quality"
CHAT = "Chat and e-mail quality"
_VOICE_1 = (
    ItemSpec("Greeting and branding as scripted", 5),
    ItemSpec("Identity verified before any account detail was discussed", 0, auto_fail=True),
    ItemSpec("Reason for the contact explored with open questions", 15),
    ItemSpec("Accurate information and a correct resolution", 25),
    ItemSpec("Process in the knowledge base followed", 15),
    ItemSpec("Empathy, tone and ownership", 15),
    ItemSpec("Hold and transfer etiquette", 10),
    ItemSpec("Next steps summarised and confirmed", 10),
    ItemSpec("Mandatory disclosure read in full", 5, auto_fail=True),
)
_VOICE_2 = (
    *_VOICE_1[:6],
    ItemSpec("Hold and transfer etiquette", 5),
    ItemSpec("Self-service options offered where they fit", 5),
    *_VOICE_1[7:],
    ItemSpec("Wrap-up notes and disposition code accurate", 5),
)
_CHAT_1 = (
    ItemSpec("Customer verified under the digital verification policy", 0, auto_fail=True),
    ItemSpec("Response within the service level", 15),
    ItemSpec("Accurate and complete answer", 30),
    ItemSpec("Tone, grammar and spelling", 20),
    ItemSpec("Templates personalised, not pasted", 10),
    ItemSpec("Concurrent chats handled without long silences", 10),
    ItemSpec("Case notes and tags accurate", 15),
)
SCORECARDS: tuple[tuple[str, tuple[tuple[ItemSpec, ...], ...]], ...] = (
    (VOICE, (_VOICE_1, _VOICE_2)),
    (CHAT, (_CHAT_1,)),
)
#: Items that often do not apply to a call (no hold, no transfer; nothing to self-serve).
OFTEN_NA = frozenset({"Hold and transfer etiquette", "Self-service options offered where they fit"})

#: Goal pools by focus: a plan draws its goals from one or two.
GOALS: tuple[tuple[str, ...], ...] = (
    (
        "Bring average handle time from about 8 minutes down to the 6 minute target.",
        "Use the knowledge base search instead of holds for product questions.",
        "Keep after-call work under 45 seconds per contact.",
    ),
    (
        "Reach a quality score of 85% or more on every evaluated call.",
        "Read the mandatory disclosure word for word on every sales call.",
        "Summarise next steps before closing each call.",
    ),
    (
        "Lift first-contact resolution to 75% on the billing queue.",
        "Resolve refund queries without a transfer to back office.",
    ),
    (
        "Schedule adherence of 92% or more, breaks taken as planned.",
        "Logged in and ready at the start of every shift this month.",
    ),
    (
        "Finish the retention offers module and use it on cancellation calls.",
        "Shadow a senior associate on escalations for two afternoons.",
        "Take the lead on the team's morning huddle once a week.",
    ),
    (
        "Complete the nesting checklist and handle calls without floor support.",
        "Pass the product knowledge quiz with 80% or more.",
    ),
)
UPDATES: tuple[str, ...] = (
    "On track: handle time averaged 6 min 40 s this week, down from 7 min 30 s.",
    "Two side-by-side sessions done; holds used much less on product questions.",
    "Quality 88% on the calls evaluated this week; disclosure read in full each time.",
    "Slower week: system outage on Tuesday, targets not comparable. Carry on as planned.",
    "Adherence 94%; one late return from lunch discussed on the spot.",
    "Knowledge quiz passed at 86%. Now taking billing calls without support.",
    "First-contact resolution 71% this week, up from 64%. Transfers to back office halved.",
    "Absent two days (sickness); goals left as they are for the rest of the month.",
    "Led Thursday's huddle on the new refund process; good questions from the team.",
    "Handle time up again (7 min 50 s) on complex calls; agreed to review two recordings.",
)
OUTCOMES: tuple[tuple[str, int], ...] = (
    ("Goals met: targets reached in the last two weeks of the month and held.", 45),
    ("Goals partly met: quality on target, handle time still 40 s above it. Carried over.", 35),
    ("Goals not met: little change over the month. Refresher training booked; see next plan.", 12),
    ("Goals met early; stretch goal for next month agreed with the associate.", 8),
)
TOPICS: tuple[str, ...] = (
    "Monthly one-to-one: progress on the development plan",
    "Call review: handle time on billing calls",
    "Call review after a failed evaluation",
    "Customer verification steps",
    "De-escalating angry customers",
    "Schedule adherence and break times",
    "Using the knowledge base during calls",
    "Retention offers on cancellation calls",
    "Career conversation: senior associate path",
)
NOTES: tuple[str, ...] = (
    "Listened to two recorded calls together; the associate spotted the long hold themselves.",
    "Discussed the last evaluation item by item. Agrees the summary at the end was missing.",
    "Associate finds the new billing system slow; raised with the site's trainer.",
    "Good progress since last month. Confidence on escalations is clearly higher.",
    "Role-played a cancellation call twice; second attempt used the offers in the right order.",
    "Talked through the adherence report; lateness is linked to the shuttle timetable.",
)
ACTIONS: tuple[str, ...] = (
    "Side-by-side with a senior associate next week; review again in two weeks.",
    "Use the closing checklist on every call until the next session.",
    "Complete the refresher module on verification by Friday.",
    "Supervisor to send the knowledge base shortcuts; associate to try them for a week.",
    "Self-assess three of their own calls before the next one-to-one.",
)
STRENGTHS: tuple[str, ...] = (
    "Warm greeting and clear, patient explanations throughout.",
    "Took ownership of the problem and resolved it without a transfer.",
    "Verified the customer quickly and kept the call well structured.",
    "Calm with an upset customer; acknowledged the frustration before solving it.",
    "Accurate notes and the right disposition code.",
)
EVALUATION_ACTIONS: tuple[str, ...] = (
    "Confirm next steps before closing the call.",
    "Avoid dead air: explain what you are checking while you search.",
    "Read the disclosure in full, not a summary of it.",
    "Offer the self-service app where it fits the request.",
    "Verify identity before opening the account, every time.",
)
