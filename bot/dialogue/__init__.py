"""Dialogue logic of the Rasa side (actions, NLU components): mood, escalation, pending question, empathy."""
