"""The names of agent actions in the audit log (readable by admins: GET /api/v1/agent/audit)."""

from __future__ import annotations


class Audit:
    """Action names in the audit log (EXPORT and ERASE are written by the GDPR admin API and CLI)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    CLAIM = "claim"
    VIEW_CONVERSATION = "view_conversation"
    NOTE_ADDED = "note_added"
    VIEW_TICKETS = "view_tickets"  # the request list: contacts, notes, summaries
    VIEW_TICKET_MAILS = "view_ticket_mails"
    TICKET_ANSWERED = "ticket_answered"  # by e-mail
    TICKET_CLOSED = "ticket_closed"
    TICKET_DENIED = "ticket_denied"  # another team's request, or one that is done
    TICKET_ASSIGNED = "ticket_assigned"
    TICKET_STATUS = "ticket_status"  # detail: from, to
    TICKET_TAKEN_OVER = "ticket_taken_over"  # detail: mode chat (claimed) or ticket (kept)
    TAGGED = "tagged"  # a tag set on a conversation or request
    UNTAGGED = "untagged"
    TAG_CHANGED = "tag_changed"  # renamed or coloured (admins)
    TAG_MERGED = "tag_merged"
    VIEW_HISTORY = "view_history"  # a customer's earlier conversations and requests
    SEARCH = "search"  # detail: the query, its filters, the conversations on the page shown
    CONVERSATION_MERGED = "conversation_merged"
    VIEW_LEARNING = "view_learning_candidates"  # customer messages the bot did not understand
    VIEW_ATTACHMENT = "view_attachment"  # an agent opened a customer's or agent's file
    EXPORT = "gdpr_export"
    ERASE = "gdpr_erase"
    AGENT_CREATED = "agent_created"
    AGENT_TEAMS = "agent_teams"
    ROLE_CHANGED = "role_changed"
    DEACTIVATED = "deactivated"
    ACTIVATED = "activated"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_CHANGE_FAILED = "password_change_failed"
    TWO_FACTOR_ENROLLED = "2fa_enrolled"
    TWO_FACTOR_ENABLED = "2fa_enabled"
    TWO_FACTOR_DISABLED = "2fa_disabled"
    TWO_FACTOR_RESET = "2fa_reset"
    TWO_FACTOR_ENROLMENT_CODE = "2fa_enrolment_code"  # issued by an admin or the CLI
    TWO_FACTOR_ENROLMENT_FAILED = "2fa_enrolment_failed"  # a wrong enrolment code
