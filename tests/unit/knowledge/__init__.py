"""Tests of bot/knowledge: the knowledge base engine (Rasa environment)."""
