"""The hub's settings: typed fields whose defaults and parsing come from bot.shared.config.

Every variable is declared there once (default, type, meaning); this module only
groups the hub's ones into a dataclass, reads an optional .env file, and derives
the few values that depend on others (the Rasa worker URLs).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

from bot.hub.secrets import ensure_secret
from bot.shared.config import AGENTS, CHANNELS, HUB, LIMITS, MAIL, SETTINGS
from bot.shared.setting import ROOT


def declared(env: str) -> Any:
    """The dataclass field of one declared variable: its default, never written here."""
    return SETTINGS[env].field()


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


@dataclass
class ChannelSettings:
    """What every messenger channel has: its API base and the replay window (seconds)."""

    api_base: str = ""
    max_age: float = declared("KD_WEBHOOK_MAX_AGE")


@dataclass
class TelegramSettings(ChannelSettings):
    api_base: str = declared("KD_TELEGRAM_API_BASE")
    token: str = declared("KD_TELEGRAM_TOKEN")
    secret: str = declared("KD_TELEGRAM_SECRET")


@dataclass
class MetaSettings(ChannelSettings):
    """Messenger and WhatsApp: Meta's webhook handshake and payload signature."""

    app_secret: str = ""
    verify_token: str = ""


@dataclass
class MessengerSettings(MetaSettings):
    api_base: str = declared("KD_MESSENGER_API_BASE")
    page_token: str = declared("KD_MESSENGER_PAGE_TOKEN")
    app_secret: str = declared("KD_MESSENGER_APP_SECRET")
    verify_token: str = declared("KD_MESSENGER_VERIFY_TOKEN")


@dataclass
class WhatsAppSettings(MetaSettings):
    api_base: str = declared("KD_WHATSAPP_API_BASE")
    token: str = declared("KD_WHATSAPP_TOKEN")
    phone_number_id: str = declared("KD_WHATSAPP_PHONE_ID")
    app_secret: str = declared("KD_WHATSAPP_APP_SECRET")
    verify_token: str = declared("KD_WHATSAPP_VERIFY_TOKEN")


@dataclass
class Channels:
    """One typed block per messenger; a channel is on when its token is set."""

    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    messenger: MessengerSettings = field(default_factory=MessengerSettings)
    whatsapp: WhatsAppSettings = field(default_factory=WhatsAppSettings)


@dataclass
class Settings:
    """Field names are the declared names (bot.shared.config); tests build it with keywords."""

    # server, databases, Rasa
    host: str = declared("KD_HOST")
    port: int = declared("KD_PORT")
    public_url: str = declared("KD_PUBLIC_URL")
    var_dir: Path = declared("KD_VAR_DIR")
    database_url: str = declared("KD_DATABASE_URL")
    rasa_tracker_db: str = declared("KD_RASA_TRACKER_DB")
    tracker_cache: int = declared("KD_TRACKER_CACHE")
    shop_database_url: str = declared("KD_SHOP_DATABASE_URL")
    redis_url: str = declared("KD_REDIS_URL")
    rasa_port: int = declared("KD_RASA_PORT")
    rasa_url: str = declared("KD_RASA_URL")  # one URL per Rasa worker, comma-separated
    actions_port: int = declared("KD_ACTIONS_PORT")
    rasa_token: str = declared("KD_RASA_TOKEN")
    secret_key: str = declared("KD_SECRET_KEY")  # empty: var/secrets/hub_key (see hub_key)
    trusted_proxies: List[str] = declared("KD_TRUSTED_PROXIES")
    cors_origins: List[str] = declared("KD_CORS_ORIGINS")
    metrics_token: str = declared("KD_METRICS_TOKEN")
    health_token: str = declared("KD_HEALTH_TOKEN")  # empty: health_secret() derives one
    health_cache_seconds: float = declared("KD_HEALTH_CACHE_SECONDS")
    learned_nlu_file: Path = declared("KD_LEARNED_NLU_FILE")
    knowledge_cases_file: Path = declared("KD_KNOWLEDGE_CASES_FILE")
    attachment_dir: Path | None = declared("KD_ATTACHMENT_DIR")  # None: var_dir/attachments
    store_page_url: bool = declared("KD_STORE_PAGE_URL")
    housekeeping_interval: float = declared("KD_HOUSEKEEPING_INTERVAL")
    # limits and timeouts
    rasa_timeout: float = declared("KD_RASA_TIMEOUT")
    retry_interval: float = declared("KD_RETRY_INTERVAL")
    max_text_length: int = declared("KD_MAX_TEXT_LENGTH")
    attachment_max_bytes: int = declared("KD_ATTACHMENT_MAX_MB")
    image_concurrency: int = declared("KD_IMAGE_CONCURRENCY")
    image_queue_limit: int = declared("KD_IMAGE_QUEUE_LIMIT")
    rate_conversation: Tuple[int, float] = declared("KD_RATE_CONVERSATION")
    rate_client: Tuple[int, float] = declared("KD_RATE_CLIENT")
    client_ipv6_prefix: int = declared("KD_CLIENT_IPV6_PREFIX")
    rate_upload: Tuple[int, float] = declared("KD_RATE_UPLOAD")
    rate_callback: Tuple[int, float] = declared("KD_RATE_CALLBACK")
    rate_urgent: Tuple[int, float] = declared("KD_RATE_URGENT")
    ws_per_conversation: int = declared("KD_WS_PER_CONVERSATION")
    ws_per_client: int = declared("KD_WS_PER_CLIENT")
    ws_query_token: bool = declared("KD_WS_QUERY_TOKEN")
    customer_idle_hours: float = declared("KD_CUSTOMER_IDLE_HOURS")
    # agents and login security
    agent_auto_away_seconds: int = declared("KD_AGENT_AUTO_AWAY_SECONDS")
    agent_idle_close_seconds: int = declared("KD_AGENT_IDLE_CLOSE_SECONDS")
    agent_session_hours: int = declared("KD_AGENT_SESSION_HOURS")
    default_agent_capacity: int = declared("KD_AGENT_CAPACITY")
    long_wait_seconds: int = declared("KD_LONG_WAIT_SECONDS")
    takeover_webchat_minutes: float = declared("KD_TAKEOVER_WEBCHAT_MINUTES")
    takeover_messenger_hours: float = declared("KD_TAKEOVER_MESSENGER_HOURS")
    admin_2fa: bool = declared("KD_ADMIN_2FA")
    login_concurrency: int = declared("KD_LOGIN_CONCURRENCY")
    login_queue_limit: int = declared("KD_LOGIN_QUEUE_LIMIT")
    login_free_failures_account: int = declared("KD_LOGIN_FREE_FAILURES_ACCOUNT")
    login_free_failures_ip: int = declared("KD_LOGIN_FREE_FAILURES_IP")
    login_max_delay: int = declared("KD_LOGIN_MAX_DELAY")
    login_failure_window: int = declared("KD_LOGIN_FAILURE_WINDOW")
    ws_ticket_seconds: int = declared("KD_WS_TICKET_SECONDS")
    agent_ws_recheck_seconds: float = declared("KD_AGENT_WS_RECHECK_SECONDS")
    # e-mail follow-up (bot/hub/mail)
    mail_enabled: bool = declared("KD_MAIL_ENABLED")
    mail_from: str = declared("KD_MAIL_FROM")  # empty: company.yml contact.email
    mail_reply_domain: str = declared("KD_MAIL_REPLY_DOMAIN")
    mail_reply_local: str = declared("KD_MAIL_REPLY_LOCAL")
    mail_inbound_secret: str = declared("KD_MAIL_INBOUND_SECRET")
    smtp_host: str = declared("KD_SMTP_HOST")
    smtp_port: int = declared("KD_SMTP_PORT")
    smtp_user: str = declared("KD_SMTP_USER")
    smtp_password: str = declared("KD_SMTP_PASSWORD")
    smtp_security: str = declared("KD_SMTP_SECURITY")  # none | starttls | tls
    mail_retry_seconds: float = declared("KD_MAIL_RETRY_SECONDS")
    mail_max_attempts: int = declared("KD_MAIL_MAX_ATTEMPTS")
    mail_poll_interval: float = declared("KD_MAIL_POLL_INTERVAL")
    channels: Channels = field(default_factory=Channels)

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

    def health_secret(self) -> str:
        """The bearer token that shows /api/v1/health's details: KD_HEALTH_TOKEN, or one derived from
        the hub key, which the supervisor started with the same settings can compute too."""
        return self.health_token or self.derived_key("health-details").hex()

    @property
    def rasa_urls(self) -> List[str]:
        """Every Rasa worker; a conversation always goes to the same one (see rasa_client)."""
        return [u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip()]


def _channels(values: Dict[str, Any]) -> Channels:
    """The channel blocks from the "<channel>.<field>" names; the replay window applies to all."""

    def block(cls: Any, prefix: str) -> Any:
        own = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(prefix + ".")}
        return cls(max_age=values["max_age"], **own)

    return Channels(
        telegram=block(TelegramSettings, "telegram"),
        messenger=block(MessengerSettings, "messenger"),
        whatsapp=block(WhatsAppSettings, "whatsapp"),
    )


def load_settings(dotenv: bool = True, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (os.environ unless given), after the .env file."""
    if dotenv:
        load_dotenv()
    env = os.environ if environ is None else environ
    values = {s.name: s.read(env) for g in (HUB, LIMITS, AGENTS, MAIL) for s in g.settings}
    workers = values.pop("rasa_workers")
    if "KD_RASA_URL" not in env:  # one worker per port from KD_RASA_PORT on
        ports = range(values["rasa_port"], values["rasa_port"] + max(1, workers))
        values["rasa_url"] = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    channels = _channels({s.name: s.read(env) for s in CHANNELS.settings})
    return Settings(**values, channels=channels)
