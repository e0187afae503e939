"""Client-secret rotation (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret) through boto3.

Loaded by test_lifecycle.py (same runner, same `boto3: N passed, N failed` line). botocore 1.43 knows these three actions
(not the session ones, which the Node suite covers). A second secret is added, both sign in with SECRET_HASH and
authenticate at /oauth2/token, the first is deleted and refused there and then. Never prints secrets.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

from botocore.exceptions import ClientError

import test_lifecycle as base


def secret_hash(secret, username, client_id):
    return base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()).decode()


class ClientSecretTests(base.CognateTestCase):
    """Two secrets per confidential client; values never listed; a deleted secret refused for SECRET_HASH and at /oauth2/token."""

    @classmethod
    def setUpClass(cls):
        cls.admin = base.admin_client()
        cls.public = base.public_client()
        cls.pool = cls.admin.create_user_pool(PoolName="boto-secrets-%s" % base.RUN)["UserPool"]["Id"]
        client = cls.make_client(cls.pool, name="rotating", GenerateSecret=True)
        cls.client_id, cls.first = client["ClientId"], client["ClientSecret"]
        cls.public_client_id = cls.make_client(cls.pool, name="public")["ClientId"]
        cls.user = "rot-%s" % base.RUN
        cls.admin.admin_create_user(UserPoolId=cls.pool, Username=cls.user, MessageAction="SUPPRESS",
                                    UserAttributes=[{"Name": "email", "Value": cls.user + "@example.com"}])
        cls.admin.admin_set_user_password(UserPoolId=cls.pool, Username=cls.user, Password=base.PW1, Permanent=True)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool)
        except ClientError:
            pass

    def sign_in(self, secret):
        return self.public.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
            "USERNAME": self.user, "PASSWORD": base.PW1, "SECRET_HASH": secret_hash(secret, self.user, self.client_id)})["AuthenticationResult"]

    def token_endpoint(self, secret, refresh_token):
        """refresh_token grant with client_secret_basic: (HTTP status, OAuth error or None)."""
        body = urllib.parse.urlencode({"grant_type": "refresh_token", "refresh_token": refresh_token}).encode()
        req = urllib.request.Request(base.ENDPOINT.rstrip("/") + "/oauth2/token", data=body, method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        req.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (self.client_id, secret)).encode()).decode())
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, None
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}").get("error")

    def list_ids(self):
        secrets = self.admin.list_user_pool_client_secrets(UserPoolId=self.pool, ClientId=self.client_id)["ClientSecrets"]
        self.assertTrue(all("ClientSecretValue" not in s for s in secrets), "values are never listed")
        return [s["ClientSecretId"] for s in secrets]

    def test_1_rotation_add_both_work_delete_old_refused(self):
        first_id, = self.list_ids()
        self.assertTrue(first_id.startswith(self.client_id + "--"))
        added = self.admin.add_user_pool_client_secret(UserPoolId=self.pool, ClientId=self.client_id)["ClientSecretDescriptor"]
        second = added["ClientSecretValue"]
        self.assertTrue(len(second) >= 24, "a generated secret is returned once")
        self.assertEqual(type(added["ClientSecretCreateDate"]).__name__, "datetime")
        self.assertEqual(self.list_ids(), [first_id, added["ClientSecretId"]])

        refresh = self.sign_in(self.first)["RefreshToken"]
        self.assertTrue(self.sign_in(second)["AccessToken"])
        self.assertEqual(self.token_endpoint(self.first, refresh), (200, None))
        self.assertEqual(self.token_endpoint(second, refresh), (200, None))
        self.assertError("LimitExceededException", self.admin.add_user_pool_client_secret, UserPoolId=self.pool, ClientId=self.client_id)

        self.admin.delete_user_pool_client_secret(UserPoolId=self.pool, ClientId=self.client_id, ClientSecretId=first_id)
        self.assertEqual(self.list_ids(), [added["ClientSecretId"]])
        self.assertError("NotAuthorizedException", self.sign_in, self.first)
        self.assertEqual(self.token_endpoint(self.first, refresh), (400, "invalid_client"))
        self.assertEqual(self.token_endpoint(second, refresh), (200, None))
        self.assertError("InvalidParameterException", self.admin.delete_user_pool_client_secret,
                         UserPoolId=self.pool, ClientId=self.client_id, ClientSecretId=added["ClientSecretId"])

    def test_2_errors(self):
        self.assertError("InvalidParameterException", self.admin.add_user_pool_client_secret, UserPoolId=self.pool, ClientId=self.public_client_id)
        self.assertError("InvalidParameterException", self.admin.add_user_pool_client_secret,
                         UserPoolId=self.pool, ClientId=self.client_id, ClientSecret="hyphens-are-not-allowed-in-a-secret")
        self.assertError("ResourceNotFoundException", self.admin.list_user_pool_client_secrets, UserPoolId=self.pool, ClientId="nosuchclient")
        self.assertError("ResourceNotFoundException", self.admin.delete_user_pool_client_secret,
                         UserPoolId=self.pool, ClientId=self.client_id, ClientSecretId=self.client_id + "--1")
