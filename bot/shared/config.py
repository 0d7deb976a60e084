"""Every `KD_*` environment variable, declared once: name, default, type, meaning, readers.

The model is Zulip's default_settings.py: the one place to look a setting up. The
hub's `Settings`, actions/settings.py and docs/reference/configuration.md (written by
`python -m bot config-docs`) derive from these lines; a test checks that every
`KD_*` name in the code is declared here and that the page is up to date.
"""

from __future__ import annotations

import os
from typing import Dict

from bot.shared.setting import (
    AT_LEAST_ONE,
    BASE_URL,
    BOOL,
    CHOICE,
    FLOAT,
    INT,
    LIST,
    MEGABYTES,
    OPTIONAL_FLOAT,
    OPTIONAL_PATH,
    PATH,
    RATE,
    TEXT,
    URL,
    Group,
    Setting,
)

S = Setting
RASA_PORT = "5005"

HUB = Group(
    "Hub: server, databases and Rasa",
    "the hub and `python -m bot` (bot/hub/settings.py)",
    (
        S("KD_HOST", "host", "127.0.0.1", TEXT, "address the hub listens on"),
        S("KD_PORT", "port", "8080", INT, "port the hub listens on"),
        S("KD_PUBLIC_URL", "public_url", "", BASE_URL, "public HTTPS base URL in front of the hub (printed links, messenger webhooks)", shown="`http://KD_HOST:KD_PORT`"),
        S("KD_VAR_DIR", "var_dir", "{root}/var", PATH, "runtime files: generated secrets, Rasa's endpoints.yml, attachments"),
        S("KD_DATABASE_URL", "database_url", "sqlite:///{root}/var/kundendialog.db", URL, "hub database (`postgresql://user:pw@host/db` for PostgreSQL); Rasa's tracker store uses the same engine"),
        S("KD_RASA_TRACKER_DB", "rasa_tracker_db", "", TEXT, "tracker store's SQLite file or PostgreSQL database name", shown="`rasa_tracker.db` next to the hub's SQLite file, or the hub's database"),
        S("KD_TRACKER_CACHE", "tracker_cache", "200", INT, "conversations whose tracker each Rasa worker keeps in memory, ~4 KB per event (appends only new events, checks the newest stored row on every load); 0: Rasa's plain SQLTrackerStore, which rebuilds the session on every turn, and Rasa's own dialogue-state computation, which replays it for every prediction", also="Rasa (the endpoints.yml the launcher writes, and bot/rasa_plugins/serve.py)"),
        S("KD_SHOP_DATABASE_URL", "shop_database_url", "sqlite:///{root}/var/shop.db", URL, "demo shop database, seeded by `python -m bot seed`", also="the action server (passed on by `python -m bot run`)"),
        S("KD_REDIS_URL", "redis_url", "", URL, "Redis for pub/sub between hubs and for Rasa's lock store (empty: one hub, in-memory locks)"),
        S("KD_RASA_PORT", "rasa_port", RASA_PORT, INT, "port of the first Rasa worker (loopback)"),
        S("KD_RASA_WORKERS", "rasa_workers", "1", INT, "Rasa processes on ports `KD_RASA_PORT`, +1, …; a conversation always goes to the same one (to the next while its own refuses connections)"),
        S("KD_RASA_URL", "rasa_url", f"http://127.0.0.1:{RASA_PORT}", URL, "comma-separated URLs of the Rasa workers", shown="one per worker, from `KD_RASA_PORT` on"),
        S("KD_ACTIONS_PORT", "actions_port", "5055", INT, "port of the action server (loopback)"),
        S("KD_RASA_TOKEN", "rasa_token", "", TEXT, "Rasa's API token; the hub sends it", also="Rasa", shown="generated (`var/secrets/rasa_token`)"),
        S("KD_SECRET_KEY", "secret_key", "", TEXT, "signs Redis bus frames, keys client-address hashes; the same on every hub", shown="generated (`var/secrets/hub_key`)"),
        S("KD_TRUSTED_PROXIES", "trusted_proxies", "", LIST, "addresses or networks of reverse proxies whose `X-Forwarded-For` is believed"),
        S("KD_CORS_ORIGINS", "cors_origins", "", LIST, "origins allowed to embed the widget (`*` for any)"),
        S("KD_METRICS_TOKEN", "metrics_token", "", TEXT, "`/metrics` needs `Authorization: Bearer <token>`; empty: direct loopback scrapes only"),
        S("KD_HEALTH_TOKEN", "health_token", "", TEXT, "`/api/v1/health` shows each component and the pid to `Authorization: Bearer <token>` (and to logged-in agents); everyone else gets only `status`", shown="derived from the hub key (what `python -m bot run` sends)"),
        S("KD_HEALTH_CACHE_SECONDS", "health_cache_seconds", "5", FLOAT, "`/api/v1/health` asks the database, Rasa and the action server at most this often, however many requests come in"),
        S("KD_LEARNED_NLU_FILE", "learned_nlu_file", "{root}/data/nlu/learned.yml", PATH, "where the learning loop writes reviewed examples"),
        S("KD_KNOWLEDGE_CASES_FILE", "knowledge_cases_file", "{root}/bench/data/knowledge/console_cases.yml", PATH, "where the console writes knowledge-base test cases (a question and the help page a supervisor attached to it)"),
        S("KD_ATTACHMENT_DIR", "attachment_dir", "", OPTIONAL_PATH, "where attachments are stored (with several hubs: a shared volume)", shown="`KD_VAR_DIR`/attachments"),
        S("KD_STORE_PAGE_URL", "store_page_url", "0", BOOL, "keep the widget page's URL (without query and fragment) with the conversation"),
        S("KD_HOUSEKEEPING_INTERVAL", "housekeeping_interval", "3600", FLOAT, "seconds between retention runs (company.yml `retention`)"),
    ),
)  # fmt: skip

LIMITS = Group(
    "Hub: limits and timeouts",
    HUB.readers,
    (
        S("KD_RASA_TIMEOUT", "rasa_timeout", "15", FLOAT, "seconds before a message to Rasa is kept pending"),
        S("KD_RETRY_INTERVAL", "retry_interval", "5", FLOAT, "seconds between retries of pending messages"),
        S("KD_MAX_TEXT_LENGTH", "max_text_length", "2000", INT, "longest customer message (characters)"),
        S("KD_ATTACHMENT_MAX_MB", "attachment_max_bytes", "10", MEGABYTES, "largest file from customers, agents and messengers"),
        S("KD_IMAGE_CONCURRENCY", "image_concurrency", str(max(1, (os.cpu_count() or 2) // 2)), AT_LEAST_ONE, "images decoded and re-encoded at once (threads, off the event loop)", shown="half the CPU cores, at least 1"),
        S("KD_IMAGE_QUEUE_LIMIT", "image_queue_limit", "8", INT, "images waiting for a worker; beyond that: 429"),
        S("KD_RATE_CONVERSATION", "rate_conversation", "30/60", RATE, "messages per conversation (beyond: 429 with `Retry-After`)"),
        S("KD_RATE_CLIENT", "rate_client", "120/60", RATE, "messages per client address"),
        S("KD_CLIENT_IPV6_PREFIX", "client_ipv6_prefix", "64", INT, "an IPv6 client is its network of this prefix length for every per-client limit and the client tag Rasa gets (64: one customer's network; 128: each address); IPv4 addresses count as they are"),
        S("KD_RATE_UPLOAD", "rate_upload", "10/60", RATE, "customers' files per client address (widget) or messenger user"),
        S("KD_RATE_CALLBACK", "rate_callback", "5/3600", RATE, "callback and e-mail requests (each one a ticket) per client"),
        S("KD_RATE_URGENT", "rate_urgent", "2/3600", RATE, "urgent handoffs per client; more are queued as normal"),
        S("KD_WS_PER_CONVERSATION", "ws_per_conversation", "5", INT, "open customer websockets per conversation (tabs), per hub"),
        S("KD_WS_PER_CLIENT", "ws_per_client", "20", INT, "open customer websockets per client address, per hub"),
        S("KD_WS_QUERY_TOKEN", "ws_query_token", "1", BOOL, "accept the design contract's `?token=` on the customer websocket (`0` when only the widget connects)"),
        S("KD_CUSTOMER_IDLE_HOURS", "customer_idle_hours", "24", FLOAT, "a customer token is refused after this long without a customer message (`0`: never)"),
    ),
)  # fmt: skip

AGENTS = Group(
    "Hub: agents and login security",
    HUB.readers,
    (
        S("KD_AGENT_AUTO_AWAY_SECONDS", "agent_auto_away_seconds", "600", INT, "seconds without activity before an agent's presence turns to away"),
        S("KD_AGENT_IDLE_CLOSE_SECONDS", "agent_idle_close_seconds", "1800", INT, "seconds before an idle agent conversation is closed with a notice"),
        S("KD_AGENT_SESSION_HOURS", "agent_session_hours", "12", INT, "hours an agent's login session lasts"),
        S("KD_AGENT_CAPACITY", "default_agent_capacity", "3", INT, "concurrent conversations of a new agent"),
        S("KD_LONG_WAIT_SECONDS", "long_wait_seconds", "600", INT, "above this expected wait (seconds) the customer is told and offered a request"),
        S("KD_TAKEOVER_WEBCHAT_MINUTES", "takeover_webchat_minutes", "30", FLOAT, "a request's web-chat customer counts as reachable for a take-over into the chat this long after their last message (a tab left open)"),
        S("KD_TAKEOVER_MESSENGER_HOURS", "takeover_messenger_hours", "24", FLOAT, "the same for messenger customers (Meta's window for answers is 24 hours)"),
        S("KD_ADMIN_2FA", "admin_2fa", "0", BOOL, "admins must log in with a TOTP code"),
        S("KD_LOGIN_CONCURRENCY", "login_concurrency", str(max(1, (os.cpu_count() or 2) // 2)), AT_LEAST_ONE, "argon2 password checks at once (threads)", shown="half the CPU cores, at least 1"),
        S("KD_LOGIN_QUEUE_LIMIT", "login_queue_limit", "32", INT, "logins waiting for a slot; beyond that: 429"),
        S("KD_LOGIN_FREE_FAILURES_ACCOUNT", "login_free_failures_account", "5", INT, "failed logins per e-mail before exponential back-off"),
        S("KD_LOGIN_FREE_FAILURES_IP", "login_free_failures_ip", "20", INT, "failed logins per client address before back-off"),
        S("KD_LOGIN_MAX_DELAY", "login_max_delay", "900", INT, "seconds, the back-off's ceiling"),
        S("KD_LOGIN_FAILURE_WINDOW", "login_failure_window", "3600", INT, "seconds without a failure that reset a counter"),
        S("KD_WS_TICKET_SECONDS", "ws_ticket_seconds", "30", INT, "lifetime of a single-use websocket ticket (seconds)"),
        S("KD_AGENT_WS_RECHECK_SECONDS", "agent_ws_recheck_seconds", "30", FLOAT, "an open agent websocket re-checks its session this often (seconds)"),
    ),
)  # fmt: skip

MAIL = Group(
    "Hub: e-mail follow-up",
    HUB.readers,
    (
        S("KD_MAIL_ENABLED", "mail_enabled", "0", BOOL, "e-mail follow-up on (confirmations, agents' answers by e-mail)"),
        S("KD_MAIL_FROM", "mail_from", "", TEXT, "sender address", shown="company.yml `contact.email`"),
        S("KD_MAIL_REPLY_DOMAIN", "mail_reply_domain", "", TEXT, "replies go to `<local>+<ticket token>@` this domain (empty: to the sender, ticket tag in the subject)"),
        S("KD_MAIL_REPLY_LOCAL", "mail_reply_local", "antwort", TEXT, "local part of those reply addresses"),
        S("KD_MAIL_INBOUND_SECRET", "mail_inbound_secret", "", TEXT, "bearer token of `POST /api/v1/mail/inbound` (empty: the webhook is off)"),
        S("KD_SMTP_HOST", "smtp_host", "127.0.0.1", TEXT, "SMTP server"),
        S("KD_SMTP_PORT", "smtp_port", "25", INT, "SMTP port"),
        S("KD_SMTP_USER", "smtp_user", "", TEXT, "SMTP login (empty: none)"),
        S("KD_SMTP_PASSWORD", "smtp_password", "", TEXT, "SMTP password"),
        S("KD_SMTP_SECURITY", "smtp_security", "none", CHOICE, "`none`, `starttls` or `tls`"),
        S("KD_MAIL_RETRY_SECONDS", "mail_retry_seconds", "30", FLOAT, "first retry of a failed mail after this many seconds, doubling up to an hour"),
        S("KD_MAIL_MAX_ATTEMPTS", "mail_max_attempts", "8", INT, "attempts before a mail is given up"),
        S("KD_MAIL_POLL_INTERVAL", "mail_poll_interval", "10", FLOAT, "seconds between outbox passes (`0`: this hub sends no mail)"),
    ),
)  # fmt: skip

CHANNELS = Group(
    "Hub: messenger channels",
    HUB.readers + "; each channel is on when its token is set",
    (
        S("KD_TELEGRAM_TOKEN", "telegram.token", "", TEXT, "BotFather token; enables Telegram"),
        S("KD_TELEGRAM_SECRET", "telegram.secret", "", TEXT, "`secret_token` given to `setWebhook`; without it every update is refused"),
        S("KD_TELEGRAM_API_BASE", "telegram.api_base", "https://api.telegram.org", URL, "Bot API base (tests point it at a fake)"),
        S("KD_MESSENGER_PAGE_TOKEN", "messenger.page_token", "", TEXT, "page access token; enables Messenger"),
        S("KD_MESSENGER_APP_SECRET", "messenger.app_secret", "", TEXT, "checks `X-Hub-Signature-256`; without it every event is refused"),
        S("KD_MESSENGER_VERIFY_TOKEN", "messenger.verify_token", "", TEXT, "answers Meta's webhook verification"),
        S("KD_MESSENGER_API_BASE", "messenger.api_base", "https://graph.facebook.com/v19.0", URL, "Graph API base"),
        S("KD_WHATSAPP_TOKEN", "whatsapp.token", "", TEXT, "Cloud API access token; enables WhatsApp"),
        S("KD_WHATSAPP_PHONE_ID", "whatsapp.phone_number_id", "", TEXT, "phone number ID messages are sent from (and accepted for)"),
        S("KD_WHATSAPP_APP_SECRET", "whatsapp.app_secret", "", TEXT, "checks `X-Hub-Signature-256`; without it every event is refused"),
        S("KD_WHATSAPP_VERIFY_TOKEN", "whatsapp.verify_token", "", TEXT, "answers Meta's webhook verification"),
        S("KD_WHATSAPP_API_BASE", "whatsapp.api_base", "https://graph.facebook.com/v19.0", URL, "Graph API base"),
        S("KD_WEBHOOK_MAX_AGE", "max_age", "86400", FLOAT, "updates older than this (seconds) are acknowledged and dropped as replays (every channel)"),
    ),
)  # fmt: skip

ACTIONS = Group(
    "Action server",
    "the action server (actions/settings.py)",
    (
        S("KD_MAX_VERIFY_ATTEMPTS", "max_verify_attempts", "3", INT, "wrong e-mails in one conversation before the form gives up and offers a human"),
        S("KD_VERIFY_ORDER_LIMIT", "verify_order_limit", "5", INT, "failed verifications of one order number within the window that lock it (kept in the shop database)"),
        S("KD_VERIFY_SENDER_LIMIT", "verify_sender_limit", "10", INT, "failed verifications in one conversation (sender id) within the window that lock verification in it; at most KD_MAX_VERIFY_ATTEMPTS: a chat whose form gave up checks nothing more until the lock ends"),
        S("KD_VERIFY_CLIENT_LIMIT", "verify_client_limit", "100", INT, "failed verifications from one network (the hub's keyed hash of the client address) within the window that lock verification for everyone behind it; far above what the customers sharing an office or mobile-carrier address fail by honest use"),
        S("KD_VERIFY_WINDOW_SECONDS", "verify_window_seconds", "3600", INT, "seconds in which those failures are counted"),
        S("KD_VERIFY_LOCK_SECONDS", "verify_lock_seconds", "3600", INT, "seconds a locked order number, conversation or network waits"),
        S("KD_EMPATHY_THRESHOLD", "empathy_threshold", "0.35", FLOAT, "mood (0 to 1) from which a complaint opens with an acknowledgement"),
    ),
)  # fmt: skip

SHOP = Group(
    "Shop backend",
    "the action server and `python -m bot.shop check` (bot/shop/registry.py); company.yml `shop:` holds the non-secret rest",
    (
        S("KD_SHOP_BACKEND", "shop_backend", "", CHOICE, "shop platform the actions read orders from (`demo`, `shopware`, …)", shown="company.yml `shop.backend`, else `demo`"),
        S("KD_SHOP_URL", "shop_url", "", BASE_URL, "the shop's base URL", shown="company.yml `shop.url`"),
        S("KD_SHOP_TIMEOUT", "shop_timeout", "8", FLOAT, "seconds one shop call may take, retries included; then the customer hears the shop is not answering"),
        S("KD_SHOP_RETRIES", "shop_retries", "3", AT_LEAST_ONE, "attempts per shop call on network errors, 502-504 and rate limits (with back-off)"),
        S("KD_SHOP_CACHE_SECONDS", "shop_cache_seconds", "60", FLOAT, "how long an order read is reused within one conversation (0: never)"),
        S("KD_SHOP_CA_FILE", "shop_ca_file", "", TEXT, "CA certificate file for a shop whose certificate a private CA signed"),
        S("KD_SHOPWARE_CLIENT_ID", "shopware_client_id", "", TEXT, "Shopware 6 integration's access key ID (Admin API, client credentials)"),
        S("KD_SHOPWARE_CLIENT_SECRET", "shopware_client_secret", "", TEXT, "Shopware 6 integration's secret access key"),
        S("KD_SHOPIFY_ACCESS_TOKEN", "shopify_access_token", "", TEXT, "Shopify custom app's Admin API access token (`shpat_…`)"),
        S("KD_WOOCOMMERCE_CONSUMER_KEY", "woocommerce_consumer_key", "", TEXT, "WooCommerce REST API consumer key (`ck_…`, read/write)"),
        S("KD_WOOCOMMERCE_CONSUMER_SECRET", "woocommerce_consumer_secret", "", TEXT, "WooCommerce REST API consumer secret (`cs_…`)"),
        S("KD_DHL_API_KEY", "dhl_api_key", "", TEXT, "DHL developer portal API key for Shipment Tracking - Unified (empty: no DHL tracking, the shop's dates only)"),
        S("KD_DHL_API_URL", "dhl_api_url", "https://api-eu.dhl.com", BASE_URL, "DHL tracking API base URL"),
    ),
)  # fmt: skip

STACK = Group(
    "Rasa and the action server: stack secrets",
    "Rasa (bot/rasa_plugins/serve.py) and the action server (bot/rasa_plugins/action_server.py)",
    (
        S("KD_RASA_TOKEN_FILE", "rasa_token_file", "", TEXT, "file holding the Rasa token when `KD_RASA_TOKEN` is empty"),
        S("KD_ACTIONS_TOKEN", "actions_token", "", TEXT, "secret Rasa presents to the action server; none: the action server refuses to start", shown="`var/secrets/actions_token`, passed on by `python -m bot run`"),
        S("KD_ACTIONS_TOKEN_FILE", "actions_token_file", "", TEXT, "file holding that secret when `KD_ACTIONS_TOKEN` is empty"),
        S("KD_LOCAL_ACTIONS", "local_actions", "action_faq", LIST, "custom actions each Rasa worker runs in its own process: the same rasa-sdk code and answers, without the round trip to the action server (issue 26.2); empty: every custom action goes to the action server"),
        S("KD_LAZY_TED", "lazy_ted", "1", BOOL, "TED's prediction is computed only when no rule, memorised story or escalation decides the next action with full confidence, so it could not win (the same prediction, less work); 0: on every prediction"),
    ),
)  # fmt: skip

KNOWLEDGE = Group(
    "Knowledge base",
    "the action server and `python -m bot.knowledge` (bot/knowledge); the hub reads `KD_KNOWLEDGE_DIR` for the page list of the content gaps",
    (
        S("KD_KNOWLEDGE_DIR", "knowledge_dir", "{root}/knowledge/pages", PATH, "help pages the knowledge base answers from (Markdown with front matter, HTML, PDF)"),
        S("KD_KNOWLEDGE_INDEX_DIR", "knowledge_index_dir", "{root}/var/knowledge", PATH, "where the built index and the embedding cache are kept"),
        S("KD_KNOWLEDGE_THRESHOLD", "knowledge_threshold", "", OPTIONAL_FLOAT, "calibrated confidence (0 to 1) from which the best passage is answered; below it the bot says it found nothing", shown="the threshold fitted by `make bench-knowledge` (bot/knowledge/calibration.json)"),
        S("KD_KNOWLEDGE_RELOAD_SECONDS", "knowledge_reload_seconds", "2", FLOAT, "how often (at most) a running process checks the pages folder for added, changed or removed pages"),
    ),
)  # fmt: skip

COMMON = Group(
    "Every process",
    "the hub, `python -m bot`, Rasa and the action server",
    (
        S("KD_COMPANY_FILE", "company_file", "{root}/company.yml", PATH, "the company file: texts, hours, escalation, retention"),
    ),
)  # fmt: skip

CLI = Group(
    "Command line",
    "`python -m bot` (bot/ops)",
    (
        S("KD_AGENT_PASSWORD", "agent_password", "", TEXT, "password for `create-agent` and `reset-agent --password` (empty: asked interactively)"),
        S("KD_RASA_PYTHON", "rasa_python", "{root}/.venv-rasa/bin/python", PATH, "interpreter of the Rasa environment"),
        S("KD_HUB_PYTHON", "hub_python", "", TEXT, "interpreter of the hub environment", shown="`.venv-hub/bin/python`, else the running one"),
    ),
)  # fmt: skip

GROUPS = (HUB, LIMITS, AGENTS, MAIL, CHANNELS, ACTIONS, SHOP, STACK, KNOWLEDGE, COMMON, CLI)
SETTINGS: Dict[str, Setting] = {s.env: s for group in GROUPS for s in group.settings}
