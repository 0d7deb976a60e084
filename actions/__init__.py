"""Custom actions for the Kundendialog assistant (run by `rasa run actions`)."""
