"""Every route of the hub, in one table: `init_app` (bot/hub/app.py) calls `setup_routes`.

Handlers live in one module per concern and register nothing themselves. A route added with
`api.get/post/delete` and the `Doc` written next to its handler is also in /api/v1/openapi.json
(web/spec.py); pages, static files, /metrics and the document itself go to the router directly.
"""

from __future__ import annotations

from aiohttp import web

from bot.hub import metrics
from bot.hub.mail.outbox import CONFIRM_PATH
from bot.hub.reports.service import SECTIONS
from bot.hub.web import (
    admin,
    agent,
    attachments,
    channels_routes,
    chat_end,
    customer,
    history_routes,
    learning,
    macros_routes,
    mail_routes,
    mentions_routes,
    pages,
    reports,
    search_routes,
    sla_routes,
    tags_routes,
    teams_routes,
    tickets_routes,
)
from bot.hub.web.spec import API, Api


def setup_routes(app: web.Application) -> None:
    """Adds every route; the documented ones are kept on the app for /api/v1/openapi.json."""
    api = Api(app.router)
    router = app.router

    # Customer API (the widget; token: conversationToken)
    api.post(
        "/api/v1/conversations", customer.create_conversation, customer.CREATE_CONVERSATION_DOC
    )
    api.post(
        "/api/v1/conversations/{conversation_id}/messages",
        customer.post_message,
        customer.POST_MESSAGE_DOC,
    )
    api.get(
        "/api/v1/conversations/{conversation_id}/messages",
        customer.get_messages,
        customer.GET_MESSAGES_DOC,
    )
    api.get(
        "/api/v1/conversations/{conversation_id}",
        customer.get_conversation,
        customer.GET_CONVERSATION_DOC,
    )
    api.post(
        "/api/v1/conversations/{conversation_id}/callback",
        customer.post_callback,
        customer.POST_CALLBACK_DOC,
    )
    api.post(
        "/api/v1/conversations/{conversation_id}/ws-ticket",
        customer.ws_ticket,
        customer.WS_TICKET_DOC,
    )
    api.get(
        "/api/v1/conversations/{conversation_id}/ws", customer.websocket, customer.WEBSOCKET_DOC
    )
    api.post(
        "/api/v1/conversations/{conversation_id}/end", chat_end.end_chat, chat_end.END_CHAT_DOC
    )

    # Attachments (the request body is the file itself)
    api.post(
        "/api/v1/conversations/{conversation_id}/attachments",
        attachments.customer_upload,
        attachments.CUSTOMER_UPLOAD_DOC,
    )
    api.get(
        "/api/v1/conversations/{conversation_id}/attachments/{attachment_id}",
        attachments.customer_file,
        attachments.CUSTOMER_FILE_DOC,
    )
    api.post(
        "/api/v1/agent/conversations/{conversation_id}/attachments",
        attachments.agent_upload,
        attachments.AGENT_UPLOAD_DOC,
    )
    api.get(
        "/api/v1/agent/conversations/{conversation_id}/attachments/{attachment_id}",
        attachments.agent_file,
        attachments.AGENT_FILE_DOC,
    )

    # Agent API (the console; token: agentToken): account, queue, conversations, requests, websocket
    api.post("/api/v1/agent/login", agent.login, agent.LOGIN_DOC)
    api.post("/api/v1/agent/logout", agent.logout, agent.LOGOUT_DOC)
    api.post("/api/v1/agent/logout-all", agent.logout_all, agent.LOGOUT_ALL_DOC)
    api.get("/api/v1/agent/me", agent.me, agent.ME_DOC)
    api.post("/api/v1/agent/password", agent.change_password, agent.CHANGE_PASSWORD_DOC)
    api.post("/api/v1/agent/2fa/enroll", agent.totp_enroll, agent.TOTP_ENROLL_DOC)
    api.post("/api/v1/agent/2fa/confirm", agent.totp_confirm, agent.TOTP_CONFIRM_DOC)
    api.post("/api/v1/agent/2fa/disable", agent.totp_disable, agent.TOTP_DISABLE_DOC)
    api.post("/api/v1/agent/presence", agent.presence, agent.PRESENCE_DOC)
    api.get("/api/v1/agent/queue", agent.queue, agent.QUEUE_DOC)
    api.get("/api/v1/agent/agents", agent.agents, agent.AGENTS_DOC)
    api.post("/api/v1/agent/agents", agent.create_agent_route, agent.CREATE_AGENT_ROUTE_DOC)
    api.post(
        "/api/v1/agent/agents/{agent_id}/deactivate",
        agent.deactivate_agent,
        agent.DEACTIVATE_AGENT_DOC,
    )
    api.post(
        "/api/v1/agent/agents/{agent_id}/activate", agent.activate_agent, agent.ACTIVATE_AGENT_DOC
    )
    api.post("/api/v1/agent/agents/{agent_id}/role", agent.set_role, agent.SET_ROLE_DOC)
    api.post(
        "/api/v1/agent/agents/{agent_id}/2fa-enrolment-code",
        agent.enrolment_code,
        agent.ENROLMENT_CODE_DOC,
    )
    api.get("/api/v1/agent/audit", agent.audit_log, agent.AUDIT_LOG_DOC)
    api.get("/api/v1/agent/conversations", agent.my_conversations, agent.MY_CONVERSATIONS_DOC)
    api.get(
        "/api/v1/agent/conversations/{conversation_id}",
        agent.conversation_detail,
        agent.CONVERSATION_DETAIL_DOC,
    )
    api.post("/api/v1/agent/conversations/{conversation_id}/claim", agent.claim, agent.CLAIM_DOC)
    api.post("/api/v1/agent/conversations/{conversation_id}/messages", agent.reply, agent.REPLY_DOC)
    api.post("/api/v1/agent/conversations/{conversation_id}/notes", agent.note, agent.NOTE_DOC)
    api.post(
        "/api/v1/agent/conversations/{conversation_id}/transfer", agent.transfer, agent.TRANSFER_DOC
    )
    api.post(
        "/api/v1/agent/conversations/{conversation_id}/handback", agent.handback, agent.HANDBACK_DOC
    )
    api.post("/api/v1/agent/conversations/{conversation_id}/close", agent.close, agent.CLOSE_DOC)
    api.get("/api/v1/agent/canned", agent.canned, agent.CANNED_DOC)
    api.get("/api/v1/agent/tickets", tickets_routes.tickets, tickets_routes.TICKETS_DOC)
    api.get("/api/v1/agent/search", search_routes.search, search_routes.SEARCH_DOC)

    # Macros (issue 27.10): web/macros_routes.py
    api.get("/api/v1/agent/macros", macros_routes.list_macros, macros_routes.LIST_MACROS_DOC)
    api.post("/api/v1/agent/macros", macros_routes.create_macro, macros_routes.CREATE_MACRO_DOC)
    api.get("/api/v1/agent/macros/{macro_id}", macros_routes.get_macro, macros_routes.GET_MACRO_DOC)
    api.add(
        "PUT",
        "/api/v1/agent/macros/{macro_id}",
        macros_routes.update_macro,
        macros_routes.UPDATE_MACRO_DOC,
    )
    api.delete(
        "/api/v1/agent/macros/{macro_id}",
        macros_routes.delete_macro,
        macros_routes.DELETE_MACRO_DOC,
    )
    api.get(
        "/api/v1/agent/conversations/{conversation_id}/macros/{macro_id}/preview",
        macros_routes.preview_macro,
        macros_routes.PREVIEW_MACRO_DOC,
    )
    api.post(
        "/api/v1/agent/conversations/{conversation_id}/macros/{macro_id}/apply",
        macros_routes.apply_macro,
        macros_routes.APPLY_MACRO_DOC,
    )
    api.post("/api/v1/agent/tickets/{ticket_id}/close", agent.close_ticket, agent.CLOSE_TICKET_DOC)

    # Requests, tags, the customer's history (issue 27.7, 27.9, 27.12): web/tickets_routes.py,
    # web/tags_routes.py, web/history_routes.py
    tickets = "/api/v1/agent/tickets/{ticket_id}"
    api.post(f"{tickets}/assign", tickets_routes.assign, tickets_routes.ASSIGN_DOC)
    api.post(f"{tickets}/status", tickets_routes.set_status, tickets_routes.STATUS_DOC)
    api.post(f"{tickets}/take-over", tickets_routes.take_over_route, tickets_routes.TAKE_OVER_DOC)
    api.post(f"{tickets}/tags", tickets_routes.add_ticket_tag, tickets_routes.ADD_TICKET_TAG_DOC)
    api.delete(
        f"{tickets}/tags/{{tag_id}}",
        tickets_routes.remove_ticket_tag,
        tickets_routes.REMOVE_TICKET_TAG_DOC,
    )
    api.get("/api/v1/agent/tags", tags_routes.tags, tags_routes.TAGS_DOC)
    api.post("/api/v1/agent/tags/{tag_id}", tags_routes.update_tag, tags_routes.UPDATE_TAG_DOC)
    api.post("/api/v1/agent/tags/{tag_id}/merge", tags_routes.merge_tag, tags_routes.MERGE_TAG_DOC)
    api.get("/api/v1/agent/tags/{tag_id}/items", tags_routes.tag_items, tags_routes.TAG_ITEMS_DOC)
    conversation = "/api/v1/agent/conversations/{conversation_id}"
    api.get(
        f"{conversation}/tags", tags_routes.conversation_tags, tags_routes.CONVERSATION_TAGS_DOC
    )
    api.post(
        f"{conversation}/tags",
        tags_routes.add_conversation_tag,
        tags_routes.ADD_CONVERSATION_TAG_DOC,
    )
    api.delete(
        f"{conversation}/tags/{{tag_id}}",
        tags_routes.remove_conversation_tag,
        tags_routes.REMOVE_CONVERSATION_TAG_DOC,
    )
    api.get(f"{conversation}/history", history_routes.history, history_routes.HISTORY_DOC)
    api.get(
        f"{conversation}/history/{{other_id}}",
        history_routes.transcript,
        history_routes.TRANSCRIPT_DOC,
    )
    api.post(f"{conversation}/merge", history_routes.merge, history_routes.MERGE_DOC)
    api.post("/api/v1/agent/ws-ticket", agent.ws_ticket, agent.WS_TICKET_DOC)
    api.get("/api/v1/agent/ws", agent.agent_ws, agent.AGENT_WS_DOC)

    # Teams, answers by e-mail, data protection (admins)
    api.get("/api/v1/agent/teams", teams_routes.teams, teams_routes.TEAMS_DOC)
    api.post(
        "/api/v1/agent/agents/{agent_id}/teams",
        teams_routes.set_agent_teams,
        teams_routes.SET_AGENT_TEAMS_DOC,
    )
    api.post(
        "/api/v1/agent/conversations/{conversation_id}/transfer-team",
        teams_routes.transfer_team,
        teams_routes.TRANSFER_TEAM_DOC,
    )
    api.post(
        "/api/v1/agent/tickets/{ticket_id}/email",
        mail_routes.answer_by_email,
        mail_routes.ANSWER_BY_EMAIL_DOC,
    )
    api.get(
        "/api/v1/agent/tickets/{ticket_id}/emails",
        mail_routes.ticket_mails,
        mail_routes.TICKET_MAILS_DOC,
    )
    api.post("/api/v1/agent/admin/gdpr/export", admin.gdpr_export, admin.GDPR_EXPORT_DOC)
    api.post("/api/v1/agent/admin/gdpr/erase", admin.gdpr_erase, admin.GDPR_ERASE_DOC)

    # Reports (supervisors and admins) and the learning loop
    for name in SECTIONS:
        api.get(
            f"/api/v1/agent/reports/{name}",
            reports.section_handler(name),
            reports.section_doc(name),
        )
    api.get(
        "/api/v1/agent/reports/export/conversations.csv",
        reports.export_conversations,
        reports.EXPORT_CONVERSATIONS_DOC,
    )
    api.get(
        "/api/v1/agent/reports/export/messages.csv",
        reports.export_messages,
        reports.EXPORT_MESSAGES_DOC,
    )
    api.get(
        "/api/v1/agent/reports/export/sla.csv", sla_routes.export_sla, sla_routes.EXPORT_SLA_DOC
    )
    # Für mich: mentions in internal notes (issue 27.11)
    api.get("/api/v1/agent/mentions", mentions_routes.mentions, mentions_routes.MENTIONS_DOC)
    api.post(
        "/api/v1/agent/mentions/{mention_id}/read",
        mentions_routes.read_mention,
        mentions_routes.READ_MENTION_DOC,
    )
    # SLAs on the business calendar (issue 27.13): web/sla_routes.py
    api.get("/api/v1/agent/sla/targets", sla_routes.targets, sla_routes.TARGETS_DOC)
    api.add(
        "PUT", "/api/v1/agent/sla/targets/{team}", sla_routes.set_target, sla_routes.SET_TARGET_DOC
    )
    api.get("/api/v1/agent/sla/active", sla_routes.active, sla_routes.ACTIVE_DOC)
    api.get("/api/v1/agent/learning/candidates", learning.candidates, learning.CANDIDATES_DOC)
    api.post("/api/v1/agent/learning/reviews", learning.review, learning.REVIEW_DOC)
    api.get("/api/v1/agent/learning/reviews", learning.reviews, learning.REVIEWS_DOC)
    api.delete("/api/v1/agent/learning/reviews/{review_id}", learning.forget, learning.FORGET_DOC)
    api.post("/api/v1/agent/learning/export", learning.export, learning.EXPORT_DOC)
    api.get("/api/v1/agent/learning/knowledge-gaps", learning.knowledge_gaps, learning.GAPS_DOC)
    api.post("/api/v1/agent/learning/knowledge-cases", learning.knowledge_case, learning.CASE_DOC)

    # Webhooks: messenger platforms and the mail provider
    api.post(
        "/webhooks/telegram", channels_routes.telegram_update, channels_routes.TELEGRAM_UPDATE_DOC
    )
    api.get(
        "/webhooks/messenger",
        channels_routes.messenger_handshake,
        channels_routes.META_HANDSHAKE_DOC,
    )
    api.post(
        "/webhooks/messenger",
        channels_routes.messenger_events,
        channels_routes.MESSENGER_EVENTS_DOC,
    )
    api.get(
        "/webhooks/whatsapp",
        channels_routes.whatsapp_handshake,
        channels_routes.META_HANDSHAKE_DOC,
    )
    api.post(
        "/webhooks/whatsapp", channels_routes.whatsapp_events, channels_routes.WHATSAPP_EVENTS_DOC
    )
    api.post("/api/v1/mail/inbound", mail_routes.mail_inbound, mail_routes.MAIL_INBOUND_DOC)

    # System, the document itself, pages and static files
    api.get("/api/v1/health", pages.health, pages.HEALTH_DOC)
    api.get("/api/v1/states", pages.states, pages.STATES_DOC)
    router.add_get("/api/v1/openapi.json", pages.openapi)
    router.add_get("/metrics", metrics.scrape)
    # a typed e-mail address confirmed by its owner (double opt-in): a page, not an API operation
    router.add_get(CONFIRM_PATH, mail_routes.confirm_page)
    router.add_post(CONFIRM_PATH, mail_routes.confirm_contact)
    for path, name in pages.FILES.items():
        router.add_get(path, pages.static_page(name))
    router.add_get("/static/{path:.+}", pages.static_file)
    app[API] = api
