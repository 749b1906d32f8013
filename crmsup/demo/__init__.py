"""`crmsup-admin demo`: turn an empty database into a realistic organisation to try the app on
and to benchmark it.

The accounts, sites and teams are made with the real services (`people.org`, `people.users`,
`people.grants`), so they hold their keys exactly as a real organisation's would. Associates
and their files are written in bulk, row by row as the services would write them — every
personal field encrypted under the associate's data key, bound to its table, column and row —
because a service call per record would take hours at 50,000 associates.

Modules: `plan` (how many sites and teams, pure), `names` and `texts` (pools of names and
narrative), `organisation` (structure and accounts, through the services), `people`
(associates), `recommendation_plan` (who is recommended for what, and what approvals
changed), one module per area of the associate's file (`discipline_records`,
`review_records`, `recommendation_records`, and behind the small interface of `areas`:
`training_records`, `attendance_records`, `policy_records`, `development_records`, with their
text pools), `file_batch` and `workers` (building batches
in worker processes), `bulk` and `rows` (writing them), and `generate` (the orchestration
and its summary).
"""
