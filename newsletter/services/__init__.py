"""Writes for the newsletter, by responsibility: subscribers (sign-up with double opt-in,
preferences, leaving, erasure, provider events), issues (building, approval), delivery
(the ledger, sending, test sends) and importing a list from another tool."""
