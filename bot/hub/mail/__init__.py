"""E-mail follow-up: confirmations for tickets and callback requests, agents answering a ticket by
e-mail, and the customer's reply coming back into the same conversation. Off by default
(KD_MAIL_ENABLED). Sending goes through the outbox (outbox.py), never inside a customer's turn.
"""
