"""Paid time off: HR's accrual rules per job title, an associate's ledger and balance on any
day worked out from the rules and the stored movements, and time-off requests checked
against the balance projected to their first day.

`service` holds the rules, ledger and balance; `requests` files, approves, denies and cancels
requests. `rules` and `request_rules` are the pure arithmetic and life cycle, `ledger` reads
the ledger's inputs from plain columns.
"""
