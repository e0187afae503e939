"""Identity providers (CreateIdentityProvider … GetIdentityProviderByIdentifier) through boto3.

Loaded by test_lifecycle.py (same runner, same `boto3: N passed, N failed` line). The OIDC provider's endpoints are
discovered from a small OpenID configuration document served by this test on 127.0.0.1 (the interop servers run in
Development, where Cognate accepts http issuers on a loopback host). The SAML provider gets a static IdP metadata
document with a self-signed certificate made here with openssl; nothing here depends on what a SAML completer derives
from it. Never prints secrets.
"""

import http.server
import json
import os
import subprocess
import tempfile
import threading
import unittest

from botocore.exceptions import ClientError

import test_lifecycle as base


class _Discovery(http.server.BaseHTTPRequestHandler):
    issuer = ""
    hits = 0

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).hits += 1
        if self.path != "/tenant/.well-known/openid-configuration":
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps({
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def saml_metadata(entity_id, sso_url):
    """IdP metadata with a fresh self-signed signing certificate (openssl)."""
    with tempfile.TemporaryDirectory() as d:
        key, crt = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                        "-days", "2", "-subj", "/CN=cognate-interop-idp"], check=True, capture_output=True, timeout=60)
        with open(crt) as f:
            pem = f.read()
    cert = "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)
    return (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
        'entityID="%s"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>'
        '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>'
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>'
        '</md:IDPSSODescriptor></md:EntityDescriptor>' % (entity_id, cert, sso_url)
    )


class IdentityProviderTests(base.CognateTestCase):
    """OIDC (discovered), Google and SAML (MetadataFile) providers: CRUD, paging, app clients, errors by __type."""

    @classmethod
    def setUpClass(cls):
        cls.admin = base.admin_client()
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
        _Discovery.issuer = "http://127.0.0.1:%d/tenant" % cls.httpd.server_address[1]
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()
        cls.pool = cls.admin.create_user_pool(PoolName="boto-idp-%s" % base.RUN)["UserPool"]["Id"]
        cls.metadata = saml_metadata("https://idp.interop.example/saml", "https://idp.interop.example/sso")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool)
        except ClientError:
            pass
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def create(self, name, ptype, details, **kw):
        return self.admin.create_identity_provider(UserPoolId=self.pool, ProviderName=name, ProviderType=ptype, ProviderDetails=details, **kw)["IdentityProvider"]

    def test_1_oidc_discovered_from_local_issuer(self):
        hits = _Discovery.hits
        idp = self.create("Corp", "OIDC", {
            "client_id": "corp-client", "client_secret": "corp-secret-value", "authorize_scopes": "openid email profile",
            "oidc_issuer": _Discovery.issuer, "attributes_request_method": "GET",
        }, AttributeMapping={"email": "email"}, IdpIdentifiers=["corp.example.com", "corp"])
        self.assertEqual(_Discovery.hits, hits + 1)
        d = idp["ProviderDetails"]
        self.assertEqual(d["authorize_url"], _Discovery.issuer + "/authorize")
        self.assertEqual(d["token_url"], _Discovery.issuer + "/token")
        self.assertEqual(d["attributes_url"], _Discovery.issuer + "/userinfo")
        self.assertEqual(d["jwks_uri"], _Discovery.issuer + "/jwks")
        self.assertEqual(d["attributes_url_add_attributes"], "false")
        self.assertTrue(d["client_secret"] == "corp-secret-value", "client_secret round-trips")
        self.assertEqual(idp["AttributeMapping"], {"email": "email", "username": "sub"})
        self.assertEqual(idp["IdpIdentifiers"], ["corp.example.com", "corp"])
        self.assertEqual(type(idp["CreationDate"]).__name__, "datetime")

        got = self.admin.describe_identity_provider(UserPoolId=self.pool, ProviderName="Corp")["IdentityProvider"]
        self.assertEqual(got["ProviderDetails"], d)
        by_id = self.admin.get_identity_provider_by_identifier(UserPoolId=self.pool, IdpIdentifier="corp")["IdentityProvider"]
        self.assertEqual(by_id["ProviderName"], "Corp")

        upd = self.admin.update_identity_provider(UserPoolId=self.pool, ProviderName="Corp", AttributeMapping={"email": "email", "name": "name"})["IdentityProvider"]
        self.assertEqual(upd["AttributeMapping"], {"email": "email", "name": "name", "username": "sub"})
        self.assertEqual(upd["ProviderDetails"], d)
        self.assertGreaterEqual(upd["LastModifiedDate"], upd["CreationDate"])

    def test_2_google_and_saml(self):
        g = self.create("Google", "Google", {"client_id": "g.apps.googleusercontent.com", "client_secret": "gsecret", "authorize_scopes": "openid email profile"})
        self.assertEqual(g["ProviderDetails"]["authorize_url"], "https://accounts.google.com/o/oauth2/v2/auth")
        self.assertEqual(g["ProviderDetails"]["token_url"], "https://www.googleapis.com/oauth2/v4/token")
        self.assertEqual(g["ProviderDetails"]["oidc_issuer"], "https://accounts.google.com")
        self.assertEqual(g["AttributeMapping"], {"username": "sub"})

        s = self.create("Okta", "SAML", {"MetadataFile": self.metadata, "IDPSignout": "false", "RequestSigningAlgorithm": "rsa-sha256"},
                        AttributeMapping={"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}, IdpIdentifiers=["okta.example.com"])
        self.assertEqual(s["ProviderType"], "SAML")
        self.assertEqual(s["ProviderDetails"]["MetadataFile"], self.metadata)
        self.assertNotIn("username", s["AttributeMapping"])

    def test_3_paging_and_clients(self):
        pages = list(self.admin.get_paginator("list_identity_providers").paginate(UserPoolId=self.pool, PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["Providers"]) for p in pages], [2, 1])
        names = [p["ProviderName"] for page in pages for p in page["Providers"]]
        self.assertEqual(names, ["Corp", "Google", "Okta"])
        self.assertEqual(sorted(pages[0]["Providers"][0].keys()), ["CreationDate", "LastModifiedDate", "ProviderName", "ProviderType"])

        client = self.admin.create_user_pool_client(
            UserPoolId=self.pool, ClientName="web", SupportedIdentityProviders=["COGNITO", "Corp", "Google", "Okta"],
            AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email"],
            CallbackURLs=["https://app.example.com/cb"])["UserPoolClient"]
        self.assertEqual(client["SupportedIdentityProviders"], ["COGNITO", "Corp", "Google", "Okta"])
        e = self.assertError("InvalidParameterException", self.admin.create_user_pool_client, UserPoolId=self.pool, ClientName="web2",
                             SupportedIdentityProviders=["COGNITO", "Nope"])
        self.assertEqual(e.response["Error"]["Message"], "The provider Nope does not exist for User Pool %s" % self.pool)

        self.admin.delete_identity_provider(UserPoolId=self.pool, ProviderName="Google")
        again = self.admin.describe_user_pool_client(UserPoolId=self.pool, ClientId=client["ClientId"])["UserPoolClient"]
        self.assertEqual(again["SupportedIdentityProviders"], ["COGNITO", "Corp", "Okta"])
        self.assertError("ResourceNotFoundException", self.admin.describe_identity_provider, UserPoolId=self.pool, ProviderName="Google")

    def test_4_errors_by_type(self):
        e = self.assertError("DuplicateProviderException", self.create, "Okta", "SAML", {"MetadataFile": self.metadata})
        self.assertEqual(e.response["Error"]["Message"], "Okta already exists in user pool %s" % self.pool)
        self.assertError("DuplicateProviderException", self.create, "Okta2", "SAML", {"MetadataFile": self.metadata}, IdpIdentifiers=["okta.example.com"])
        e = self.assertError("InvalidParameterException", self.create, "Goggle", "Google", {"client_id": "a", "client_secret": "b", "authorize_scopes": "openid"})
        self.assertEqual(e.response["Error"]["Message"], "Provider Goggle cannot be of type Google.")
        self.assertError("InvalidParameterException", self.create, "COGNITO", "OIDC", {"client_id": "a", "authorize_scopes": "openid", "oidc_issuer": _Discovery.issuer})
        self.assertError("InvalidParameterException", self.create, "Both", "SAML", {"MetadataFile": self.metadata, "MetadataURL": "https://m.example.com"})
        self.assertError("InvalidParameterException", self.create, "Nowhere", "OIDC", {"client_id": "a", "authorize_scopes": "openid", "oidc_issuer": "http://127.0.0.1:9/none"})
        self.assertError("InvalidParameterException", self.create, "Bad", "OIDC", {"client_id": "a", "authorize_scopes": "openid", "oidc_issuer": _Discovery.issuer},
                         AttributeMapping={"no_such_attribute": "x"})
        self.assertError("InvalidParameterException", self.admin.list_identity_providers, UserPoolId=self.pool, MaxResults=61)
        self.assertError("ResourceNotFoundException", self.admin.get_identity_provider_by_identifier, UserPoolId=self.pool, IdpIdentifier="nobody.example.com")
        self.assertError("ResourceNotFoundException", self.admin.delete_identity_provider, UserPoolId=self.pool, ProviderName="Nope")
        self.assertError("ResourceNotFoundException", self.admin.list_identity_providers, UserPoolId="us-east-1_NoSuchPool0")


if __name__ == "__main__":
    unittest.main()
