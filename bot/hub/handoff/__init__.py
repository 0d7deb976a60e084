"""Human handoff: the queue, agents and their console API."""
