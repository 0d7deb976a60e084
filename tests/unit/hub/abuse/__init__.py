"""Abuse suite: the threat model as request sequences against the real hub (issue 23)."""
