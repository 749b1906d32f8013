"""Spreadsheet exchange for HR: `.xlsx` and `.csv` import and export built on the services.

This layer may import `crmsup.records` and `crmsup.security`, never Qt.
"""
