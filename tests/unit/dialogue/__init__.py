"""Tests of bot/dialogue: the Rasa-side dialogue logic (Rasa environment)."""
