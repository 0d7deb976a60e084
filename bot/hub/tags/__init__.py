"""Tags on conversations and requests (issue 27.9); the tables and queries are in bot/hub/store/tags_repo.py."""
