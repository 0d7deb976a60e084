"""A customer's history for agents (issue 27.12): earlier conversations, requests and orders."""
