"""A real OpenID Connect provider for the staff single sign-on tests.

django-oauth-toolkit, a maintained OAuth 2.0 / OpenID Connect server, runs here as a
small Django project of its own in a separate process (``server.py``) on a free port of
127.0.0.1, with its own SQLite database. The tests drive the whole authorization-code
flow against it: discovery, the provider's sign-in and consent pages, PKCE, the token
exchange and userinfo, exactly as Okta or Keycloak would answer them. Nothing of
csplatform is replaced.

``harness.LocalOidcProvider`` starts it and keeps its directory of people (the IdP's
users and groups) in step with what a test needs, through ``directory.py``.
"""
