"""All hub settings in one place: environment variables, optionally from a .env file."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

from bot.hub.secrets import ensure_secret

ROOT = Path(__file__).resolve().parents[2]  # the project directory (editable install)


def load_dotenv(path: Path = ROOT / ".env") -> None:
    """Minimal .env reader: KEY=VALUE lines; real environment variables win."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _float(name: str, default: float) -> float:
    return float(_env(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> List[str]:
    return [p.strip() for p in _env(name, default).split(",") if p.strip()]


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    var_dir: Path = ROOT / "var"  # runtime files: endpoints.yml for Rasa, default databases
    database_url: str = f"sqlite:///{ROOT / 'var' / 'kundendialog.db'}"
    rasa_url: str = "http://127.0.0.1:5005"  # one URL per Rasa worker, comma-separated
    rasa_port: int = 5005
    actions_port: int = 5055
    rasa_token: str = ""
    secret_key: str = ""  # signs bus frames, keys client hashes; shared by all hubs (default: var/secrets/hub_key)
    trusted_proxies: List[str] = field(
        default_factory=list
    )  # addresses/networks whose X-Forwarded-For counts
    rasa_timeout: float = 15.0
    rasa_tracker_db: str = ""
    shop_database_url: str = f"sqlite:///{ROOT / 'var' / 'shop.db'}"
    redis_url: str = ""
    max_text_length: int = 2000
    cors_origins: List[str] = field(default_factory=list)
    store_page_url: bool = (
        False  # keep the widget's page URL (without query/fragment) with a conversation
    )
    rate_conversation: Tuple[int, float] = (30, 60.0)
    rate_client: Tuple[int, float] = (120, 60.0)
    rate_callback: Tuple[int, float] = (
        5,
        3600.0,
    )  # callback/e-mail requests (each one a ticket) per client
    rate_urgent: Tuple[int, float] = (2, 3600.0)
    ws_per_conversation: int = 5  # open customer websockets per conversation (tabs) ...
    ws_per_client: int = 20  # ... and per client address, per hub  # urgent handoffs per client; more are queued as normal
    retry_interval: float = 5.0
    agent_auto_away_seconds: int = 600
    agent_idle_close_seconds: int = 1800
    agent_session_hours: int = 12
    default_agent_capacity: int = 3
    long_wait_seconds: int = 600
    customer_idle_hours: float = (
        24.0  # a customer token is refused after this long without a customer message (0: never)
    )
    housekeeping_interval: float = (
        3600.0  # seconds between retention runs (company.yml `retention`)
    )
    # agent security: login throttle and argon2 slots, websocket tickets, two-factor
    admin_2fa: bool = False  # admins must log in with a TOTP code
    login_concurrency: int = max(1, (os.cpu_count() or 2) // 2)  # argon2 checks at once (threads)
    login_queue_limit: int = 32  # logins waiting for a slot; beyond that: 429
    login_free_failures_account: int = 5  # failures per e-mail before exponential back-off
    login_free_failures_ip: int = 20  # failures per client address before back-off
    login_max_delay: int = 900  # seconds, the back-off's ceiling
    login_failure_window: int = 3600  # seconds without a failure that reset a counter
    ws_ticket_seconds: int = 30
    agent_ws_recheck_seconds: float = (
        30.0  # an open agent websocket re-checks its session this often
    )
    # The design's public contract opens the customer websocket with ?token=; the product's own clients
    # use single-use tickets. Operators without other integrations switch the old form off (KD_WS_QUERY_TOKEN=0).
    ws_query_token: bool = True
    metrics_token: str = (
        ""  # /metrics needs "Authorization: Bearer <token>"; empty: direct loopback calls only
    )
    learned_nlu_file: Path = (
        ROOT / "data" / "nlu" / "learned.yml"
    )  # reviewed "Nicht verstanden" examples
    attachment_max_bytes: int = (
        10 * 1024 * 1024
    )  # largest upload (customers, agents, messenger media)
    attachment_dir: Path | None = None  # local storage of attachments (default: var/attachments)
    # e-mail follow-up (bot/hub/mail): off by default
    mail_enabled: bool = False
    mail_from: str = ""  # sender address (default: company.yml contact.email)
    mail_reply_domain: str = (
        ""  # replies to <local>+<ticket token>@this domain (else: the sender, tag in the subject)
    )
    mail_reply_local: str = "antwort"
    mail_inbound_secret: str = (
        ""  # bearer token of POST /api/v1/mail/inbound (empty: the webhook is off)
    )
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_security: str = "none"  # none | starttls | tls
    mail_retry_seconds: float = 30.0  # first retry after this, doubling up to an hour
    mail_max_attempts: int = 8
    mail_poll_interval: float = 10.0  # seconds between outbox passes (0: this hub sends no mail)
    channels: Dict[str, Dict[str, str]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def hub_key(self) -> bytes:
        """KD_SECRET_KEY, or one generated once under var/secrets/ (hubs on one machine share it)."""
        return (self.secret_key or ensure_secret(self.var_dir / "secrets" / "hub_key")).encode()

    def derived_key(self, purpose: str) -> bytes:
        """One key per use of the hub key, so a value computed for one purpose is useless for another."""
        return hmac.new(self.hub_key, purpose.encode(), hashlib.sha256).digest()

    @property
    def rasa_urls(self) -> List[str]:
        """Every Rasa worker; a conversation always goes to the same one (see rasa_client)."""
        return [u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip()]


def _rate(name: str, default: str) -> Tuple[int, float]:
    count, _, seconds = _env(name, default).partition("/")
    return int(count), float(seconds or 60)


def load_settings(dotenv: bool = True) -> Settings:
    if dotenv:
        load_dotenv()
    return Settings(
        host=_env("KD_HOST", "127.0.0.1"),
        port=_int("KD_PORT", 8080),
        public_url=_env("KD_PUBLIC_URL", "").rstrip("/"),
        var_dir=Path(_env("KD_VAR_DIR", str(Settings.var_dir))),
        database_url=_env("KD_DATABASE_URL", Settings.database_url),
        rasa_url=_env(
            "KD_RASA_URL",
            ",".join(
                f"http://127.0.0.1:{_int('KD_RASA_PORT', 5005) + i}"
                for i in range(max(1, _int("KD_RASA_WORKERS", 1)))
            ),
        ),
        rasa_port=_int("KD_RASA_PORT", 5005),
        actions_port=_int("KD_ACTIONS_PORT", 5055),
        rasa_token=_env("KD_RASA_TOKEN", ""),
        secret_key=_env("KD_SECRET_KEY", ""),
        trusted_proxies=_list("KD_TRUSTED_PROXIES"),
        rasa_timeout=_float("KD_RASA_TIMEOUT", 15.0),
        rasa_tracker_db=_env("KD_RASA_TRACKER_DB", ""),
        shop_database_url=_env("KD_SHOP_DATABASE_URL", Settings.shop_database_url),
        redis_url=_env("KD_REDIS_URL", ""),
        max_text_length=_int("KD_MAX_TEXT_LENGTH", 2000),
        cors_origins=_list("KD_CORS_ORIGINS"),
        store_page_url=_bool("KD_STORE_PAGE_URL", False),
        rate_conversation=_rate("KD_RATE_CONVERSATION", "30/60"),
        rate_client=_rate("KD_RATE_CLIENT", "120/60"),
        rate_callback=_rate("KD_RATE_CALLBACK", "5/3600"),
        rate_urgent=_rate("KD_RATE_URGENT", "2/3600"),
        ws_per_conversation=_int("KD_WS_PER_CONVERSATION", 5),
        ws_per_client=_int("KD_WS_PER_CLIENT", 20),
        retry_interval=_float("KD_RETRY_INTERVAL", 5.0),
        agent_auto_away_seconds=_int("KD_AGENT_AUTO_AWAY_SECONDS", 600),
        agent_idle_close_seconds=_int("KD_AGENT_IDLE_CLOSE_SECONDS", 1800),
        agent_session_hours=_int("KD_AGENT_SESSION_HOURS", 12),
        default_agent_capacity=_int("KD_AGENT_CAPACITY", 3),
        long_wait_seconds=_int("KD_LONG_WAIT_SECONDS", 600),
        customer_idle_hours=_float("KD_CUSTOMER_IDLE_HOURS", 24.0),
        housekeeping_interval=_float("KD_HOUSEKEEPING_INTERVAL", 3600.0),
        admin_2fa=_bool("KD_ADMIN_2FA", False),
        login_concurrency=max(1, _int("KD_LOGIN_CONCURRENCY", Settings.login_concurrency)),
        login_queue_limit=_int("KD_LOGIN_QUEUE_LIMIT", 32),
        login_free_failures_account=_int("KD_LOGIN_FREE_FAILURES_ACCOUNT", 5),
        login_free_failures_ip=_int("KD_LOGIN_FREE_FAILURES_IP", 20),
        login_max_delay=_int("KD_LOGIN_MAX_DELAY", 900),
        login_failure_window=_int("KD_LOGIN_FAILURE_WINDOW", 3600),
        ws_ticket_seconds=_int("KD_WS_TICKET_SECONDS", 30),
        agent_ws_recheck_seconds=_float("KD_AGENT_WS_RECHECK_SECONDS", 30.0),
        ws_query_token=_bool("KD_WS_QUERY_TOKEN", True),
        attachment_max_bytes=int(_float("KD_ATTACHMENT_MAX_MB", 10) * 1024 * 1024),
        attachment_dir=Path(_env("KD_ATTACHMENT_DIR", ""))
        if _env("KD_ATTACHMENT_DIR", "")
        else None,
        metrics_token=_env("KD_METRICS_TOKEN", ""),
        learned_nlu_file=Path(_env("KD_LEARNED_NLU_FILE", str(Settings.learned_nlu_file))),
        mail_enabled=_bool("KD_MAIL_ENABLED", False),
        mail_from=_env("KD_MAIL_FROM", ""),
        mail_reply_domain=_env("KD_MAIL_REPLY_DOMAIN", ""),
        mail_reply_local=_env("KD_MAIL_REPLY_LOCAL", "antwort"),
        mail_inbound_secret=_env("KD_MAIL_INBOUND_SECRET", ""),
        smtp_host=_env("KD_SMTP_HOST", "127.0.0.1"),
        smtp_port=_int("KD_SMTP_PORT", 25),
        smtp_user=_env("KD_SMTP_USER", ""),
        smtp_password=_env("KD_SMTP_PASSWORD", ""),
        smtp_security=_env("KD_SMTP_SECURITY", "none").strip().lower(),
        mail_retry_seconds=_float("KD_MAIL_RETRY_SECONDS", 30.0),
        mail_max_attempts=_int("KD_MAIL_MAX_ATTEMPTS", 8),
        mail_poll_interval=_float("KD_MAIL_POLL_INTERVAL", 10.0),
        channels={
            "telegram": {
                "token": _env("KD_TELEGRAM_TOKEN", ""),
                "secret": _env("KD_TELEGRAM_SECRET", ""),
                "api_base": _env("KD_TELEGRAM_API_BASE", "https://api.telegram.org"),
                "max_age": _env("KD_WEBHOOK_MAX_AGE", "86400"),
            },  # seconds; older updates: replays
            "messenger": {
                "page_token": _env("KD_MESSENGER_PAGE_TOKEN", ""),
                "app_secret": _env("KD_MESSENGER_APP_SECRET", ""),
                "verify_token": _env("KD_MESSENGER_VERIFY_TOKEN", ""),
                "api_base": _env("KD_MESSENGER_API_BASE", "https://graph.facebook.com/v19.0"),
                "max_age": _env("KD_WEBHOOK_MAX_AGE", "86400"),
            },
            "whatsapp": {
                "token": _env("KD_WHATSAPP_TOKEN", ""),
                "phone_number_id": _env("KD_WHATSAPP_PHONE_ID", ""),
                "app_secret": _env("KD_WHATSAPP_APP_SECRET", ""),
                "verify_token": _env("KD_WHATSAPP_VERIFY_TOKEN", ""),
                "api_base": _env("KD_WHATSAPP_API_BASE", "https://graph.facebook.com/v19.0"),
                "max_age": _env("KD_WEBHOOK_MAX_AGE", "86400"),
            },
        },
    )
