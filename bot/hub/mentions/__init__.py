"""Mentions and presence (issue 27.11): `@Name` in an internal note reaches that agent live (a
console frame and the "Für mich" list) and by e-mail when they are not online and mail is on; the
consoles show who is viewing a conversation and warn a second agent who starts replying.

names.py finds the agents a note names, store.py keeps the mentions, service.py notifies,
viewers.py relays who is looking at which conversation (live only, never stored).
"""
