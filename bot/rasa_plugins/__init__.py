"""Custom Rasa components: German mood, register, USE features, escalation policy."""
