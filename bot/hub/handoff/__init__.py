"""Human handoff: the queue, who may see which conversation, contact details for a callback
(agent accounts are in bot/hub/accounts/)."""
