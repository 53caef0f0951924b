"""Company single sign-on (OpenID Connect) through Streamlit's ``st.login``, next to the local accounts.

Configured by the settings ``oidc_issuer``, ``oidc_client_id`` and ``public_url``, with the client secret in
``secrets_dir/oidc_client_secret`` (0600). ``vcar dashboard`` writes Streamlit's ``[auth]`` section into
``secrets_dir/streamlit_secrets.toml`` (0600, with a cookie key of its own) and starts Streamlit with it. A signed-in
person's role comes from ``oidc_roles``: a value of the ``oidc_role_claim`` claim (a group), or their e-mail
address, mapped to a role; the highest role found wins, and nobody gets a role that is not mapped.
No streamlit import here: the CLI writes the configuration.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from etl.core import keystore
from etl.core.errors import ConfigError
from etl.core.roles import ROLES

PROVIDER = "company"
CLIENT_SECRET_FILE = "oidc_client_secret"
STREAMLIT_SECRETS = "streamlit_secrets.toml"
_RANK = {role: n for n, role in enumerate(("marketing", "manager", "compliance", "admin"))}
assert set(_RANK) == set(ROLES)


def enabled(cfg) -> bool:
    return bool(cfg.oidc_issuer and cfg.oidc_client_id)


def write_streamlit_secrets(cfg) -> Path | None:
    """Streamlit's auth configuration in secrets_dir, when single sign-on is configured (else None)."""
    if not enabled(cfg):
        return None
    secret_path = cfg.secrets_dir / CLIENT_SECRET_FILE
    if not secret_path.is_file():
        raise ConfigError(f"setting oidc_issuer (VCAR_OIDC_ISSUER) needs the client secret in {secret_path} "
                          "(one line, mode 0600)")
    secret = keystore.read_private(secret_path).decode("utf-8").strip()
    cookie = keystore.key(cfg.secrets_dir, "oidc_cookie").hex()
    values = {
        "redirect_uri": cfg.public_url.rstrip("/") + "/oauth2callback", "cookie_secret": cookie,
        "client_id": cfg.oidc_client_id, "client_secret": secret,
        "server_metadata_url": cfg.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
    }
    text = "[auth]\n" + "".join(f"{k} = {json.dumps(values[k])}\n" for k in ("redirect_uri", "cookie_secret"))
    text += f"\n[auth.{PROVIDER}]\n" + "".join(
        f"{k} = {json.dumps(values[k])}\n" for k in ("client_id", "client_secret", "server_metadata_url")
    )
    path = cfg.secrets_dir / STREAMLIT_SECRETS
    keystore.write_private(path, text.encode("utf-8"))
    return path


def role_for(claims: dict, cfg) -> str | None:
    """The highest role that a group of the person's or their e-mail address maps to, or None."""
    values = claims.get(cfg.oidc_role_claim) or []
    values = [values] if isinstance(values, str) else list(values)
    email = (claims.get("email") or "").strip().lower()
    mapping = {key.strip().lower() if "@" in key else key: role for key, role in cfg.oidc_roles.items()}
    found = [mapping[v] for v in values if isinstance(v, str) and v in mapping]
    if email and email in mapping:
        found.append(mapping[email])
    return max(found, key=_RANK.__getitem__) if found else None


def account_name(claims: dict, cfg) -> str:
    """A pseudonymous account name for the audit log (never the e-mail address or the person's name):
    ``sso-`` and a keyed hash of the provider's subject id."""
    subject = str(claims.get("sub") or claims.get("email") or "")
    digest = hmac.new(keystore.key(cfg.secrets_dir, "oidc_account"), subject.encode(), hashlib.sha256).hexdigest()
    return f"sso-{digest[:12]}"
