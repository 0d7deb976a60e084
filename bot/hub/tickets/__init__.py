"""Request (ticket) handling for agents (issue 27.7): statuses, grouping, taking one over into a chat."""
