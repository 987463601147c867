"""Demo authenticator of the course hub: a fixed list of accounts, one password each.

JupyterHub's own demo authenticators do not fit a course: DummyAuthenticator and
SharedPasswordAuthenticator give every account the same password, so any student could
log in as any other. Here each account has its own random password, read from the
accounts file that `hub/course_hub.py` writes (mode 0600, build/hub/accounts.json).
Switching to a real identity provider is a change of `authenticator_class` in
jupyterhub_config.py (docs/hub.md: OAuth with oauthenticator, LDAP with
ldapauthenticator); the groups and roles are then set the same way.
"""
from __future__ import annotations

import hmac
import json
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Unicode


class DemoAccountsAuthenticator(Authenticator):
    accounts_file = Unicode(
        config=True, help="JSON file {username: {'password': ..., 'role': ...}} written by hub_accounts.write_accounts",
    )

    def _accounts(self) -> dict:
        # Read on every login: accounts added to the file (hub_accounts.write_accounts) work without a restart.
        return json.loads(Path(self.accounts_file).read_text())

    async def authenticate(self, handler, data):
        username = self.normalize_username(data.get("username", ""))
        account = self._accounts().get(username)
        if account is None:
            return None
        if hmac.compare_digest(str(data.get("password", "")).encode(), account["password"].encode()):
            return username
        return None
