"""Kundendialog: the conversation hub and the German NLU components."""
