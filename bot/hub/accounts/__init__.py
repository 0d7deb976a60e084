"""Agent accounts: passwords, sessions, roles, two-factor and the login throttle.

Not part of the handoff: every console user has an account, whether or not they take conversations.
"""
