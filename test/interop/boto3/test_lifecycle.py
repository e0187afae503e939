"""boto3 interop suite for Cognate (stdlib unittest only).

    COGNATE_ENDPOINT=http://127.0.0.1:PORT python3 test/interop/boto3/test_lifecycle.py

Admin (SigV4) calls are signed with the development credentials; public calls go through a
client with no credentials at all (botocore UNSIGNED), as a browser/mobile app would.
Prints `boto3: N passed, N failed`. Never prints tokens, passwords or secrets: assertions on
secret values use assertTrue with a fixed message, not assertEqual.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("COGNATE_ENDPOINT", "")
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ACCESS_KEY = os.environ.get("COGNATE_ACCESS_KEY_ID", "AKIACOGNATEDEVELOPER")
SECRET_KEY = os.environ.get(
    "COGNATE_SECRET_ACCESS_KEY", "cognate-development-secret-key-not-for-production"
)
RUN = secrets.token_hex(4)
PW1 = "Boto-Pass-1a!"
PW2 = "Boto-Pass-2b!"
PW3 = "Boto-Pass-3c!"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFUSED_UNSIGNED = {
    "NotAuthorizedException",
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "AccessDeniedException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
    "SignatureDoesNotMatch",
}

_CFG = Config(
    connect_timeout=5,
    read_timeout=30,
    # one HTTP request per call: no SDK retries hiding 5xx or throttling answers
    retries={"total_max_attempts": 1, "mode": "standard"},
)


def admin_client(secret_key=SECRET_KEY):
    return boto3.client(
        "cognito-idp",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret_key,
        config=_CFG,
    )


def public_client():
    return boto3.client(
        "cognito-idp",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        config=_CFG.merge(Config(signature_version=UNSIGNED)),
    )


def outbox(address):
    url = ENDPOINT + "/_outbox?" + urllib.parse.urlencode({"to": address})
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def outbox_code(address, min_count=1):
    """Newest code sent to `address` once at least `min_count` messages exist (waits <= 5 s)."""
    deadline = time.monotonic() + 5
    while True:
        msgs = outbox(address)
        if len(msgs) >= min_count:
            return msgs[0].get("code")
        if time.monotonic() > deadline:
            raise AssertionError(
                "outbox: expected %d message(s) for %s, found %d" % (min_count, address, len(msgs))
            )
        time.sleep(0.2)


def attrs(resp):
    lst = resp.get("UserAttributes") or resp.get("Attributes") or []
    return {a["Name"]: a.get("Value") for a in lst}


def jwt_payload(token):
    p = token.split(".")[1]
    p += "=" * (-len(p) % 4)
    return json.loads(base64.urlsafe_b64decode(p))


class CognateTestCase(unittest.TestCase):
    maxDiff = 2000

    def assertError(self, codes, fn, *args, **kwargs):
        """Call fn; it must raise ClientError whose code is in `codes` (str or set)."""
        if isinstance(codes, str):
            codes = {codes}
        try:
            fn(*args, **kwargs)
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code")
            self.assertIn(code, codes, "got %s: %s" % (code, e.response.get("Error", {}).get("Message")))
            return e
        self.fail("expected %s, call succeeded" % "/".join(sorted(codes)))

    @classmethod
    def make_pool(cls, name, **kw):
        pool = admin_client().create_user_pool(PoolName=name, **kw)["UserPool"]
        return pool

    @classmethod
    def make_client(cls, pool_id, name="app", flows=("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"), **kw):
        return admin_client().create_user_pool_client(
            UserPoolId=pool_id, ClientName=name, ExplicitAuthFlows=list(flows), **kw
        )["UserPoolClient"]

    def signup_confirmed(self, username, password, email=None, **extra_attrs):
        """SignUp + ConfirmSignUp with the outbox code; returns the UserSub."""
        email = email or username
        ua = [{"Name": "email", "Value": email}] + [
            {"Name": k, "Value": v} for k, v in extra_attrs.items()
        ]
        r = self.pub.sign_up(ClientId=self.client_id, Username=username, Password=password, UserAttributes=ua)
        code = outbox_code(email)
        self.pub.confirm_sign_up(ClientId=self.client_id, Username=username, ConfirmationCode=code)
        return r["UserSub"]

    def login(self, username, password):
        return self.pub.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )["AuthenticationResult"]


class Pools(CognateTestCase):
    """Pool and app-client management (SigV4)."""

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pool = cls.make_pool("boto3-pools-%s" % RUN, AutoVerifiedAttributes=["email"])
        cls.pool_id = cls.pool["Id"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:
            pass

    def test_create_user_pool_shape(self):
        p = self.pool
        self.assertRegex(p["Id"], r"^%s_[0-9a-zA-Z]+$" % re.escape(REGION))
        self.assertEqual(p["Name"], "boto3-pools-%s" % RUN)
        self.assertRegex(p.get("Arn", ""), r"^arn:aws:cognito-idp:%s:\d{12}:userpool/%s$" % (REGION, re.escape(p["Id"])))
        pw = p["Policies"]["PasswordPolicy"]
        self.assertEqual(pw["MinimumLength"], 8)
        self.assertTrue(pw["RequireUppercase"] and pw["RequireLowercase"] and pw["RequireNumbers"] and pw["RequireSymbols"])
        self.assertEqual(p.get("MfaConfiguration"), "OFF")
        self.assertEqual(p.get("AutoVerifiedAttributes"), ["email"])
        names = {a["Name"] for a in p.get("SchemaAttributes", [])}
        self.assertTrue({"sub", "email", "name", "email_verified"} <= names, sorted(names))
        # timestamps parse as datetimes (epoch seconds on the wire)
        self.assertEqual(type(p["CreationDate"]).__name__, "datetime")

    def test_describe_user_pool(self):
        p = self.admin.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]
        self.assertEqual(p["Id"], self.pool_id)
        self.assertEqual(p.get("EstimatedNumberOfUsers"), 0)

    def test_response_metadata(self):
        r = self.admin.describe_user_pool(UserPoolId=self.pool_id)
        md = r["ResponseMetadata"]
        self.assertEqual(md["HTTPStatusCode"], 200)
        self.assertTrue(md.get("RequestId"), "x-amzn-RequestId header missing")
        self.assertIn("application/x-amz-json-1.1", md["HTTPHeaders"].get("content-type", ""))

    def test_list_user_pools_paginator(self):
        extra = [self.make_pool("boto3-page-%s-%d" % (RUN, i))["Id"] for i in range(3)]
        try:
            seen = []
            pages = 0
            for page in self.admin.get_paginator("list_user_pools").paginate(
                MaxResults=2, PaginationConfig={"PageSize": 2}
            ):
                pages += 1
                self.assertLessEqual(len(page["UserPools"]), 2)
                seen += [p["Id"] for p in page["UserPools"]]
                self.assertLess(pages, 100, "paginator does not terminate")
            self.assertGreaterEqual(pages, 2)
            for pid in extra + [self.pool_id]:
                self.assertIn(pid, seen)
            self.assertEqual(len(seen), len(set(seen)), "duplicate pools across pages")
        finally:
            for pid in extra:
                self.admin.delete_user_pool(UserPoolId=pid)

    def test_list_user_pools_requires_max_results_range(self):
        # botocore enforces the model minimum (1) client-side; 61 is over the service max of 60.
        self.assertError("InvalidParameterException", self.admin.list_user_pools, MaxResults=61)

    def test_client_crud(self):
        c = self.make_client(self.pool_id, name="crud")
        cid = c["ClientId"]
        self.assertRegex(cid, r"^[\w+]{1,128}$")
        self.assertNotIn("ClientSecret", c)
        d = self.admin.describe_user_pool_client(UserPoolId=self.pool_id, ClientId=cid)["UserPoolClient"]
        self.assertEqual(d["ClientName"], "crud")
        self.assertEqual(sorted(d["ExplicitAuthFlows"]), ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"])
        self.assertNotIn("ClientSecret", d)
        listed = self.admin.list_user_pool_clients(UserPoolId=self.pool_id, MaxResults=60)["UserPoolClients"]
        self.assertIn(cid, [x["ClientId"] for x in listed])
        u = self.admin.update_user_pool_client(
            UserPoolId=self.pool_id, ClientId=cid, ClientName="crud-renamed",
            ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        self.assertEqual(u["ClientName"], "crud-renamed")
        self.assertEqual(u["ExplicitAuthFlows"], ["ALLOW_REFRESH_TOKEN_AUTH"])
        self.admin.delete_user_pool_client(UserPoolId=self.pool_id, ClientId=cid)
        self.assertError("ResourceNotFoundException", self.admin.describe_user_pool_client, UserPoolId=self.pool_id, ClientId=cid)

    def test_client_with_secret(self):
        c = self.make_client(self.pool_id, name="secret", GenerateSecret=True)
        self.assertTrue(re.fullmatch(r"[\w+]{24,64}", c.get("ClientSecret", "")), "ClientSecret missing or malformed")
        d = self.admin.describe_user_pool_client(UserPoolId=self.pool_id, ClientId=c["ClientId"])["UserPoolClient"]
        self.assertTrue(d.get("ClientSecret") == c["ClientSecret"], "DescribeUserPoolClient returns a different secret")

    def test_update_user_pool(self):
        self.admin.update_user_pool(
            UserPoolId=self.pool_id, AutoVerifiedAttributes=["email"],
            Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireUppercase": False,
                                         "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": False}},
        )
        p = self.admin.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]
        self.assertEqual(p["Policies"]["PasswordPolicy"]["MinimumLength"], 10)
        self.assertFalse(p["Policies"]["PasswordPolicy"]["RequireSymbols"])
        self.assertGreaterEqual(p["LastModifiedDate"], p["CreationDate"])

    def test_delete_user_pool(self):
        pid = self.make_pool("boto3-del-%s" % RUN)["Id"]
        self.admin.delete_user_pool(UserPoolId=pid)
        self.assertError("ResourceNotFoundException", self.admin.describe_user_pool, UserPoolId=pid)
        listed = [p["Id"] for p in self.admin.list_user_pools(MaxResults=60)["UserPools"]]
        self.assertNotIn(pid, listed)

    def test_unknown_pool(self):
        e = self.assertError("ResourceNotFoundException", self.admin.describe_user_pool, UserPoolId="%s_NoSuchPool0" % REGION)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertTrue(e.response["Error"].get("Message"))
        hdr = e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype", "")
        self.assertEqual(hdr.split(":")[0], "ResourceNotFoundException", "x-amzn-ErrorType header")

    def test_unsigned_admin_call_refused(self):
        self.assertError(REFUSED_UNSIGNED, public_client().describe_user_pool, UserPoolId=self.pool_id)
        self.assertError(REFUSED_UNSIGNED, public_client().list_user_pools, MaxResults=10)

    def test_wrong_secret_key_refused(self):
        bad = admin_client(secret_key="not-the-development-secret-key")
        self.assertError(REFUSED_UNSIGNED, bad.describe_user_pool, UserPoolId=self.pool_id)
        stranger = boto3.client("cognito-idp", endpoint_url=ENDPOINT, region_name=REGION, config=_CFG,
                                aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key=SECRET_KEY)
        self.assertError(REFUSED_UNSIGNED, stranger.describe_user_pool, UserPoolId=self.pool_id)

    def test_region_from_signature(self):
        eu = boto3.client("cognito-idp", endpoint_url=ENDPOINT, region_name="eu-west-1",
                          aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, config=_CFG)
        pid = eu.create_user_pool(PoolName="boto3-eu-%s" % RUN)["UserPool"]["Id"]
        try:
            self.assertTrue(pid.startswith("eu-west-1_"), pid)
        finally:
            eu.delete_user_pool(UserPoolId=pid)


class Lifecycle(CognateTestCase):
    """Core user lifecycle through a public (secretless) client. Steps run in name order."""

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pub = public_client()
        cls.pool_id = cls.make_pool("boto3-life-%s" % RUN, AutoVerifiedAttributes=["email"])["Id"]
        cls.client_id = cls.make_client(cls.pool_id)["ClientId"]
        cls.user = "boto-dana-%s" % RUN
        cls.email = "boto-dana-%s@example.com" % RUN
        cls.state = {}

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:
            pass

    def need(self, key):
        if key not in self.state:
            self.fail("prerequisite step did not produce %r" % key)
        return self.state[key]

    def test_01_sign_up(self):
        r = self.pub.sign_up(ClientId=self.client_id, Username=self.user, Password=PW1,
                             UserAttributes=[{"Name": "email", "Value": self.email},
                                             {"Name": "name", "Value": "Dana Boto"}])
        self.assertIs(r["UserConfirmed"], False)
        self.assertRegex(r["UserSub"], UUID_RE)
        cdd = r.get("CodeDeliveryDetails", {})
        self.assertEqual((cdd.get("DeliveryMedium"), cdd.get("AttributeName")), ("EMAIL", "email"))
        self.assertNotEqual(cdd.get("Destination"), self.email, "destination should be masked")
        self.state["sub"] = r["UserSub"]

    def test_02_outbox_and_confirm(self):
        code = outbox_code(self.email)
        self.assertRegex(code or "", r"^\d{6}$")
        msg = outbox(self.email)[0]
        self.assertEqual(msg.get("userPoolId"), self.pool_id)
        self.assertIn(code, msg.get("body", ""), "the code should appear in the message body")
        self.assertError("UserNotConfirmedException", self.login, self.user, PW1)
        wrong = "000000" if code != "000000" else "111111"
        self.assertError("CodeMismatchException", self.pub.confirm_sign_up,
                         ClientId=self.client_id, Username=self.user, ConfirmationCode=wrong)
        self.pub.confirm_sign_up(ClientId=self.client_id, Username=self.user, ConfirmationCode=code)
        u = self.admin.admin_get_user(UserPoolId=self.pool_id, Username=self.user)
        self.assertEqual(u["UserStatus"], "CONFIRMED")
        self.assertEqual(attrs(u).get("email_verified"), "true")
        self.assertEqual(attrs(u).get("sub"), self.need("sub"))
        self.assertIs(u["Enabled"], True)
        self.state["confirmed"] = True

    def test_03_initiate_auth(self):
        self.need("confirmed")
        r = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": self.user, "PASSWORD": PW1})
        self.assertNotIn("ChallengeName", r)
        ar = r["AuthenticationResult"]
        self.assertEqual(ar["TokenType"], "Bearer")
        self.assertEqual(ar["ExpiresIn"], 3600)
        for k in ("AccessToken", "IdToken", "RefreshToken"):
            self.assertTrue(ar.get(k), "%s missing" % k)
        self.assertRegex(ar["RefreshToken"], r"^[A-Za-z0-9\-_=.]+$")
        idc = jwt_payload(ar["IdToken"])
        self.assertEqual(idc.get("token_use"), "id")
        self.assertEqual(idc.get("aud"), self.client_id)
        self.assertEqual(idc.get("sub"), self.need("sub"))
        self.assertEqual(idc.get("cognito:username"), self.user)
        self.assertEqual(idc.get("email"), self.email)
        self.assertIs(idc.get("email_verified"), True)
        self.assertEqual(idc.get("exp", 0) - idc.get("iat", 0), 3600)
        acc = jwt_payload(ar["AccessToken"])
        self.assertEqual(acc.get("token_use"), "access")
        self.assertEqual(acc.get("client_id"), self.client_id)
        self.assertEqual(acc.get("username"), self.user)
        self.assertEqual(acc.get("scope"), "aws.cognito.signin.user.admin")
        self.assertNotIn("aud", acc)
        self.state["tokens"] = ar

    def test_04_get_user(self):
        ar = self.need("tokens")
        u = self.pub.get_user(AccessToken=ar["AccessToken"])
        self.assertEqual(u["Username"], self.user)
        a = attrs(u)
        self.assertEqual(a.get("email"), self.email)
        self.assertEqual(a.get("name"), "Dana Boto")
        self.assertEqual(a.get("sub"), self.need("sub"))

    def test_05_refresh(self):
        ar = self.need("tokens")
        r = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                   AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})["AuthenticationResult"]
        self.assertTrue(r.get("AccessToken") and r.get("IdToken"), "refresh did not return tokens")
        self.assertNotIn("RefreshToken", r)
        self.assertEqual(jwt_payload(r["AccessToken"]).get("origin_jti"), jwt_payload(ar["AccessToken"]).get("origin_jti"))
        self.assertEqual(jwt_payload(r["IdToken"]).get("auth_time"), jwt_payload(ar["IdToken"]).get("auth_time"))
        self.assertEqual(self.pub.get_user(AccessToken=r["AccessToken"])["Username"], self.user)
        # alias REFRESH_TOKEN is accepted too
        r2 = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN",
                                    AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})
        self.assertTrue(r2["AuthenticationResult"].get("AccessToken"))
        self.state["refreshed"] = r

    def test_06_change_password(self):
        ar = self.need("tokens")
        self.assertError("NotAuthorizedException", self.pub.change_password,
                         AccessToken=ar["AccessToken"], PreviousPassword="Wrong-Pass-9z!", ProposedPassword=PW2)
        self.assertError("InvalidPasswordException", self.pub.change_password,
                         AccessToken=ar["AccessToken"], PreviousPassword=PW1, ProposedPassword="short")
        self.pub.change_password(AccessToken=ar["AccessToken"], PreviousPassword=PW1, ProposedPassword=PW2)
        self.state["password"] = PW2

    def test_07_sign_in_again(self):
        pw = self.need("password")
        self.assertError("NotAuthorizedException", self.login, self.user, PW1)
        ar = self.login(self.user, pw)
        self.assertEqual(self.pub.get_user(AccessToken=ar["AccessToken"])["Username"], self.user)
        self.state["tokens2"] = ar

    def test_08_update_and_verify_email(self):
        ar = self.need("tokens2")
        new_email = "boto-dana-new-%s@example.com" % RUN
        r = self.pub.update_user_attributes(AccessToken=ar["AccessToken"], UserAttributes=[
            {"Name": "email", "Value": new_email}, {"Name": "name", "Value": "Dana Renamed"}])
        lst = r.get("CodeDeliveryDetailsList") or []
        self.assertEqual([(c.get("AttributeName"), c.get("DeliveryMedium")) for c in lst], [("email", "EMAIL")])
        a = attrs(self.pub.get_user(AccessToken=ar["AccessToken"]))
        self.assertEqual(a.get("name"), "Dana Renamed")
        code = outbox_code(new_email)
        # resend via GetUserAttributeVerificationCode; the newest code must work
        g = self.pub.get_user_attribute_verification_code(AccessToken=ar["AccessToken"], AttributeName="email")
        self.assertEqual(g["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        code = outbox_code(new_email, 2)
        self.assertError("CodeMismatchException", self.pub.verify_user_attribute, AccessToken=ar["AccessToken"],
                         AttributeName="email", Code="000000" if code != "000000" else "111111")
        self.pub.verify_user_attribute(AccessToken=ar["AccessToken"], AttributeName="email", Code=code)
        a = attrs(self.pub.get_user(AccessToken=ar["AccessToken"]))
        self.assertEqual((a.get("email"), a.get("email_verified")), (new_email, "true"))

    def test_09_delete_user(self):
        ar = self.need("tokens2")
        self.pub.delete_user(AccessToken=ar["AccessToken"])
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.get_user, AccessToken=ar["AccessToken"])
        self.assertError("UserNotFoundException", self.admin.admin_get_user, UserPoolId=self.pool_id, Username=self.user)
        self.assertError("UserNotFoundException", self.login, self.user, self.need("password"))


class Users(CognateTestCase):
    """Independent user scenarios and error paths."""

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pub = public_client()
        cls.pool_id = cls.make_pool("boto3-users-%s" % RUN, AutoVerifiedAttributes=["email"])["Id"]
        cls.client_id = cls.make_client(cls.pool_id)["ClientId"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:
            pass

    def uname(self, tag):
        return "boto-%s-%s" % (tag, RUN)

    def test_duplicate_sign_up(self):
        u = self.uname("dup")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        e = self.assertError("UsernameExistsException", self.pub.sign_up, ClientId=self.client_id, Username=u,
                             Password=PW1, UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        self.assertEqual(e.response["Error"]["Message"], "User already exists")

    def test_weak_password(self):
        u = self.uname("weak")
        e = self.assertError("InvalidPasswordException", self.pub.sign_up, ClientId=self.client_id, Username=u,
                             Password="alllowercase", UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        self.assertRegex(e.response["Error"]["Message"], r"^Password (did not conform with|does not conform to) policy: ")
        self.assertError("UserNotFoundException", self.admin.admin_get_user, UserPoolId=self.pool_id, Username=u)

    def test_wrong_password_message(self):
        u = self.uname("wrongpw")
        self.signup_confirmed(u, PW1, u + "@example.com")
        e = self.assertError("NotAuthorizedException", self.login, u, "Wrong-Pass-9z!")
        self.assertEqual(e.response["Error"]["Message"], "Incorrect username or password.")

    def test_unknown_user_legacy(self):
        e = self.assertError("UserNotFoundException", self.login, self.uname("ghost"), PW1)
        self.assertEqual(e.response["Error"]["Message"], "User does not exist.")

    def test_unconfirmed_user(self):
        u = self.uname("unconf")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        e = self.assertError("UserNotConfirmedException", self.login, u, PW1)
        self.assertEqual(e.response["Error"]["Message"], "User is not confirmed.")

    def test_confirm_twice(self):
        u = self.uname("twice")
        self.signup_confirmed(u, PW1, u + "@example.com")
        code = outbox_code(u + "@example.com")
        self.assertError("NotAuthorizedException", self.pub.confirm_sign_up, ClientId=self.client_id,
                         Username=u, ConfirmationCode=code)

    def test_unknown_client(self):
        self.assertError("ResourceNotFoundException", self.pub.sign_up, ClientId="nosuchclient0000000000000",
                         Username=self.uname("noclient"), Password=PW1)

    def test_garbage_access_token(self):
        self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken="not-a-token")

    def test_flow_not_enabled(self):
        c = self.make_client(self.pool_id, name="refresh-only", flows=("ALLOW_REFRESH_TOKEN_AUTH",))
        u = self.uname("noflow")
        self.signup_confirmed(u, PW1, u + "@example.com")
        self.assertError("InvalidParameterException", self.pub.initiate_auth, ClientId=c["ClientId"],
                         AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": u, "PASSWORD": PW1})

    def test_secret_hash_required(self):
        c = self.make_client(self.pool_id, name="with-secret", GenerateSecret=True)
        import hashlib
        import hmac

        def sh(user):
            return base64.b64encode(hmac.new(c["ClientSecret"].encode(), (user + c["ClientId"]).encode(),
                                             hashlib.sha256).digest()).decode()

        u = self.uname("hash")
        email = u + "@example.com"
        e = self.assertError("NotAuthorizedException", self.pub.sign_up, ClientId=c["ClientId"], Username=u,
                             Password=PW1, UserAttributes=[{"Name": "email", "Value": email}])
        self.assertIn("secret", e.response["Error"]["Message"])
        self.assertError("NotAuthorizedException", self.pub.sign_up, ClientId=c["ClientId"], Username=u,
                         Password=PW1, SecretHash=sh("someone-else"), UserAttributes=[{"Name": "email", "Value": email}])
        self.pub.sign_up(ClientId=c["ClientId"], Username=u, Password=PW1, SecretHash=sh(u),
                         UserAttributes=[{"Name": "email", "Value": email}])
        self.pub.confirm_sign_up(ClientId=c["ClientId"], Username=u, SecretHash=sh(u), ConfirmationCode=outbox_code(email))
        ar = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW1, "SECRET_HASH": sh(u)})["AuthenticationResult"]
        self.assertTrue(ar.get("AccessToken"))
        # RevokeToken on a client with a secret needs the raw ClientSecret
        self.assertError({"NotAuthorizedException", "UnauthorizedException"}, self.pub.revoke_token,
                         Token=ar["RefreshToken"], ClientId=c["ClientId"])
        self.pub.revoke_token(Token=ar["RefreshToken"], ClientId=c["ClientId"], ClientSecret=c["ClientSecret"])
        self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=c["ClientId"],
                         AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"], "SECRET_HASH": sh(u)})

    def test_global_sign_out(self):
        u = self.uname("gso")
        self.signup_confirmed(u, PW1, u + "@example.com")
        a1 = self.login(u, PW1)
        a2 = self.login(u, PW1)
        self.pub.global_sign_out(AccessToken=a1["AccessToken"])
        for ar in (a1, a2):
            e = self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=ar["AccessToken"])
            self.assertEqual(e.response["Error"]["Message"], "Access Token has been revoked")
            self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=self.client_id,
                             AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})
        a3 = self.login(u, PW1)
        self.assertEqual(self.pub.get_user(AccessToken=a3["AccessToken"])["Username"], u)

    def test_revoke_token(self):
        u = self.uname("revoke")
        self.signup_confirmed(u, PW1, u + "@example.com")
        a1 = self.login(u, PW1)
        a2 = self.login(u, PW1)
        self.assertError("UnsupportedTokenTypeException", self.pub.revoke_token,
                         Token=a1["AccessToken"], ClientId=self.client_id)
        self.pub.revoke_token(Token=a1["RefreshToken"], ClientId=self.client_id)
        self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=self.client_id,
                         AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": a1["RefreshToken"]})
        self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=a1["AccessToken"])
        # the other session is untouched
        self.assertEqual(self.pub.get_user(AccessToken=a2["AccessToken"])["Username"], u)
        self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                               AuthParameters={"REFRESH_TOKEN": a2["RefreshToken"]})

    def test_forgot_password(self):
        u = self.uname("forgot")
        email = u + "@example.com"
        self.signup_confirmed(u, PW1, email)
        n = len(outbox(email))
        r = self.pub.forgot_password(ClientId=self.client_id, Username=u)
        self.assertEqual(r["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        code = outbox_code(email, n + 1)
        self.assertError("CodeMismatchException", self.pub.confirm_forgot_password, ClientId=self.client_id,
                         Username=u, ConfirmationCode="000000" if code != "000000" else "111111", Password=PW2)
        self.pub.confirm_forgot_password(ClientId=self.client_id, Username=u, ConfirmationCode=code, Password=PW2)
        self.assertError("NotAuthorizedException", self.login, u, PW1)
        self.assertTrue(self.login(u, PW2).get("AccessToken"))

    def test_admin_create_user_new_password_required(self):
        u = self.uname("invited")
        r = self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, TemporaryPassword="Temp-Pass-0x!",
                                         MessageAction="SUPPRESS",
                                         UserAttributes=[{"Name": "email", "Value": u + "@example.com"},
                                                         {"Name": "email_verified", "Value": "true"}])
        user = r["User"]
        self.assertEqual(user["Username"], u)
        self.assertEqual(user["UserStatus"], "FORCE_CHANGE_PASSWORD")
        self.assertIn("Attributes", user)
        self.assertEqual(outbox(u + "@example.com"), [], "MessageAction=SUPPRESS must not send")
        ch = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": "Temp-Pass-0x!"})
        self.assertEqual(ch.get("ChallengeName"), "NEW_PASSWORD_REQUIRED")
        self.assertNotIn("AuthenticationResult", ch)
        self.assertTrue(20 <= len(ch.get("Session", "")) <= 2048, "Session length out of 20..2048")
        self.assertEqual(ch["ChallengeParameters"].get("USER_ID_FOR_SRP"), u)
        json.loads(ch["ChallengeParameters"].get("requiredAttributes", "null"))
        json.loads(ch["ChallengeParameters"].get("userAttributes", "null"))
        self.assertError("InvalidPasswordException", self.pub.respond_to_auth_challenge, ClientId=self.client_id,
                         ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
                         ChallengeResponses={"USERNAME": u, "NEW_PASSWORD": "weak"})
        # a failed attempt may consume the session; start again for the real answer
        ch = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": "Temp-Pass-0x!"})
        done = self.pub.respond_to_auth_challenge(ClientId=self.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                                  Session=ch["Session"],
                                                  ChallengeResponses={"USERNAME": u, "NEW_PASSWORD": PW2})
        self.assertTrue(done["AuthenticationResult"].get("AccessToken"))
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "CONFIRMED")
        self.assertTrue(self.login(u, PW2).get("IdToken"))
        self.assertError("UsernameExistsException", self.admin.admin_create_user, UserPoolId=self.pool_id,
                         Username=u, TemporaryPassword="Temp-Pass-0x!", MessageAction="SUPPRESS")

    def test_admin_create_user_invite_email(self):
        u = self.uname("invmail")
        email = u + "@example.com"
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, TemporaryPassword="Temp-Pass-0y!",
                                     DesiredDeliveryMediums=["EMAIL"],
                                     UserAttributes=[{"Name": "email", "Value": email},
                                                     {"Name": "email_verified", "Value": "true"}])
        msgs = outbox(email)
        self.assertEqual(len(msgs), 1, "one invitation expected")
        self.assertIn(u, msgs[0].get("body", ""), "invitation should contain the username")

    def test_admin_set_user_password(self):
        u = self.uname("setpw")
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, TemporaryPassword="Temp-Pass-0z!",
                                     MessageAction="SUPPRESS")
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=u, Password=PW3, Permanent=True)
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "CONFIRMED")
        self.assertTrue(self.login(u, PW3).get("AccessToken"))
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=u, Password=PW2, Permanent=False)
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "FORCE_CHANGE_PASSWORD")
        ch = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW2})
        self.assertEqual(ch.get("ChallengeName"), "NEW_PASSWORD_REQUIRED")
        self.assertError("InvalidPasswordException", self.admin.admin_set_user_password, UserPoolId=self.pool_id,
                         Username=u, Password="weak", Permanent=True)
        self.assertError("UserNotFoundException", self.admin.admin_set_user_password, UserPoolId=self.pool_id,
                         Username=self.uname("nobody"), Password=PW3, Permanent=True)

    def test_admin_confirm_and_update(self):
        u = self.uname("adm")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "UNCONFIRMED")
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=u)
        g = self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)
        self.assertEqual(g["UserStatus"], "CONFIRMED")
        self.assertNotEqual(attrs(g).get("email_verified"), "true", "AdminConfirmSignUp must not verify email")
        self.admin.admin_update_user_attributes(UserPoolId=self.pool_id, Username=u, UserAttributes=[
            {"Name": "given_name", "Value": "Eve"}, {"Name": "email_verified", "Value": "true"}])
        a = attrs(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u))
        self.assertEqual((a.get("given_name"), a.get("email_verified")), ("Eve", "true"))
        self.assertError("InvalidParameterException", self.admin.admin_update_user_attributes, UserPoolId=self.pool_id,
                         Username=u, UserAttributes=[{"Name": "sub", "Value": "00000000-0000-0000-0000-000000000000"}])
        self.assertEqual(jwt_payload(self.login(u, PW1)["IdToken"]).get("given_name"), "Eve")

    def test_admin_delete_user(self):
        u = self.uname("del")
        self.signup_confirmed(u, PW1, u + "@example.com")
        ar = self.login(u, PW1)
        self.admin.admin_delete_user(UserPoolId=self.pool_id, Username=u)
        self.assertError("UserNotFoundException", self.admin.admin_get_user, UserPoolId=self.pool_id, Username=u)
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.get_user, AccessToken=ar["AccessToken"])
        self.assertError("UserNotFoundException", self.admin.admin_delete_user, UserPoolId=self.pool_id, Username=u)

    def test_token_from_other_pool_rejected(self):
        other = self.make_pool("boto3-other-%s" % RUN)["Id"]
        try:
            oc = self.make_client(other)["ClientId"]
            u = self.uname("otherpool")
            self.pub.sign_up(ClientId=oc, Username=u, Password=PW1)
            self.admin.admin_confirm_sign_up(UserPoolId=other, Username=u)
            ar = self.pub.initiate_auth(ClientId=oc, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": u, "PASSWORD": PW1})["AuthenticationResult"]
            # refresh token of pool B presented to a client of pool A
            self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=self.client_id,
                             AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})
            self.assertError("UserNotFoundException", self.login, u, PW1)
        finally:
            self.admin.delete_user_pool(UserPoolId=other)



class RefreshRotation(CognateTestCase):
    """GetTokensFromRefreshToken (botocore knows it: get_tokens_from_refresh_token) and refresh-token rotation."""

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pub = public_client()
        cls.pool_id = cls.make_pool("boto3-rotation-%s" % RUN)["Id"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:
            pass

    def signed_in(self, tag, rotation=None, secret=False):
        """A client (rotating when `rotation` is given) and a signed-in user: (client, first AuthenticationResult)."""
        kw = {"GenerateSecret": secret}
        flows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
        if rotation is None:
            flows.append("ALLOW_REFRESH_TOKEN_AUTH")
        else:
            kw["RefreshTokenRotation"] = rotation
        client = self.make_client(self.pool_id, tag, flows, **kw)
        username = "%s-%s" % (tag, RUN)
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=username, MessageAction="SUPPRESS")
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=username, Password=PW1, Permanent=True)
        params = {"USERNAME": username, "PASSWORD": PW1}
        if secret:
            digest = hmac.new(client["ClientSecret"].encode(), (username + client["ClientId"]).encode(), hashlib.sha256).digest()
            params["SECRET_HASH"] = base64.b64encode(digest).decode()
        first = self.admin.admin_initiate_auth(
            UserPoolId=self.pool_id, ClientId=client["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=params
        )["AuthenticationResult"]
        return client, first

    def test_without_rotation_no_new_refresh_token(self):
        client, first = self.signed_in("plain")
        r = self.pub.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first["RefreshToken"])["AuthenticationResult"]
        self.assertTrue(r.get("AccessToken") and r.get("IdToken"), "ID and access tokens")
        self.assertNotIn("RefreshToken", r)
        self.assertEqual(jwt_payload(r["AccessToken"])["origin_jti"], jwt_payload(first["AccessToken"])["origin_jti"])
        self.assertError("NotAuthorizedException", self.pub.get_tokens_from_refresh_token,
                         ClientId=client["ClientId"], RefreshToken=first["RefreshToken"] + "x")

    def test_rotation_grace_then_reuse_and_revoke_family(self):
        client, first = self.signed_in("rotating", rotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 1})
        cid = client["ClientId"]
        r = self.pub.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=first["RefreshToken"])["AuthenticationResult"]
        self.assertTrue(r.get("RefreshToken") and r["RefreshToken"] != first["RefreshToken"], "a new refresh token")
        # retry within the grace period
        self.assertIn("RefreshToken", self.pub.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=first["RefreshToken"])["AuthenticationResult"])
        time.sleep(1.3)
        err = self.assertError("RefreshTokenReuseException", self.pub.get_tokens_from_refresh_token, ClientId=cid, RefreshToken=first["RefreshToken"])
        self.assertEqual(type(err).__name__, "RefreshTokenReuseException")  # botocore's modeled exception class
        self.assertError("InvalidParameterException", self.pub.initiate_auth, ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                         AuthParameters={"REFRESH_TOKEN": r["RefreshToken"]})
        nxt = self.pub.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=r["RefreshToken"])["AuthenticationResult"]
        self.pub.revoke_token(ClientId=cid, Token=first["RefreshToken"])
        self.assertError("NotAuthorizedException", self.pub.get_tokens_from_refresh_token, ClientId=cid, RefreshToken=nxt["RefreshToken"])
        self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=nxt["AccessToken"])

    def test_client_secret_in_clear(self):
        client, first = self.signed_in("secret", rotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}, secret=True)
        cid, sec = client["ClientId"], client["ClientSecret"]
        self.assertError("NotAuthorizedException", self.pub.get_tokens_from_refresh_token, ClientId=cid, RefreshToken=first["RefreshToken"])
        wrong = sec[:-1] + ("b" if sec.endswith("a") else "a")
        self.assertError("NotAuthorizedException", self.pub.get_tokens_from_refresh_token, ClientId=cid, ClientSecret=wrong, RefreshToken=first["RefreshToken"])
        r = self.pub.get_tokens_from_refresh_token(ClientId=cid, ClientSecret=sec, RefreshToken=first["RefreshToken"])["AuthenticationResult"]
        self.assertTrue(r.get("RefreshToken"), "a new refresh token")
        self.assertError("RefreshTokenReuseException", self.pub.get_tokens_from_refresh_token, ClientId=cid, ClientSecret=sec, RefreshToken=first["RefreshToken"])


def raw_call(target, body, headers=None, data=None):
    """Unsigned raw AWS JSON 1.1 POST; returns (status, headers, parsed body or raw bytes)."""
    h = {"Content-Type": "application/x-amz-json-1.1",
         "X-Amz-Target": "AWSCognitoIdentityProviderService." + target}
    h.update(headers or {})
    req = urllib.request.Request(ENDPOINT + "/", method="POST", headers=h,
                                 data=data if data is not None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, hdrs, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, dict(e.headers), e.read()
    try:
        return status, {k.lower(): v for k, v in hdrs.items()}, json.loads(raw or b"{}")
    except ValueError:
        return status, {k.lower(): v for k, v in hdrs.items()}, raw


def walk_nulls(obj, path="$"):
    if obj is None:
        yield path
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_nulls(v, path + "." + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk_nulls(v, "%s[%d]" % (path, i))


class Behaviour(CognateTestCase):
    """Documented Cognito behaviour beyond the happy path (reference §1, §2.5, §6, §7, §8)."""

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pub = public_client()
        cls.pool_id = cls.make_pool("boto3-beh-%s" % RUN, AutoVerifiedAttributes=["email"],
                                    Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True},
                                            {"Name": "name", "AttributeDataType": "String", "Required": True, "Mutable": True}])["Id"]
        cls.client_id = cls.make_client(cls.pool_id)["ClientId"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:
            pass

    def uname(self, tag):
        return "beh-%s-%s" % (tag, RUN)

    def new_user(self, tag, **extra):
        u = self.uname(tag)
        ua = [{"Name": "email", "Value": u + "@example.com"}, {"Name": "name", "Value": "N " + tag}]
        ua += [{"Name": k, "Value": v} for k, v in extra.items()]
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1, UserAttributes=ua)
        self.pub.confirm_sign_up(ClientId=self.client_id, Username=u, ConfirmationCode=outbox_code(u + "@example.com"))
        return u

    # --- wire protocol -------------------------------------------------------------------
    def test_error_wire_format(self):
        status, h, body = raw_call("InitiateAuth", {"ClientId": self.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                                                     "AuthParameters": {"USERNAME": self.uname("ghost"), "PASSWORD": PW1}})
        self.assertEqual(status, 400)
        self.assertEqual(body.get("__type", "").split("#")[-1], "UserNotFoundException")
        self.assertEqual(body.get("message"), "User does not exist.")
        self.assertNotIn("code", body, "a body `code` member would override __type in JS SDK v3")
        self.assertEqual(h.get("x-amzn-errortype", "").split(":")[0], "UserNotFoundException")
        self.assertTrue(h.get("x-amzn-requestid"), "x-amzn-RequestId missing on errors")
        self.assertIn("application/x-amz-json-1.1", h.get("content-type", ""))

    def test_unknown_operation(self):
        status, h, body = raw_call("NoSuchOperation", {})
        self.assertEqual(status, 400)
        self.assertEqual(body.get("__type", "").split("#")[-1], "UnknownOperationException")

    def test_empty_body_and_application_json(self):
        # empty body = {} -> validation error for the missing required member, not a 500
        status, _, body = raw_call("SignUp", None, data=b"")
        self.assertEqual(status, 400)
        self.assertEqual(body.get("__type", "").split("#")[-1], "InvalidParameterException")
        status, _, body = raw_call("SignUp", {"ClientId": "nosuchclient0000000000000", "Username": "x", "Password": PW1},
                                   headers={"Content-Type": "application/json"})
        self.assertEqual((status, body.get("__type", "").split("#")[-1]), (400, "ResourceNotFoundException"))

    def test_missing_required_member(self):
        status, _, body = raw_call("ListUserPools", {}, headers={})
        # unsigned: may be refused before validation; signed via botocore is validated client-side,
        # so check the server's own validation with a public action instead
        status, _, body = raw_call("InitiateAuth", {"ClientId": self.client_id})
        self.assertEqual(status, 400)
        self.assertEqual(body.get("__type", "").split("#")[-1], "InvalidParameterException")
        self.assertIn("authFlow", body.get("message", ""))

    def test_unknown_members_ignored(self):
        status, _, body = raw_call("InitiateAuth", {"ClientId": self.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                                                     "AuthParameters": {"USERNAME": self.uname("ghost2"), "PASSWORD": PW1},
                                                     "SomeFutureMember": {"x": 1}})
        self.assertEqual(body.get("__type", "").split("#")[-1], "UserNotFoundException")

    def test_no_nulls_and_epoch_timestamps(self):
        u = self.new_user("wire")
        _, _, body = raw_call("GetUser", {"AccessToken": self.login(u, PW1)["AccessToken"]})
        self.assertEqual(list(walk_nulls(body)), [])
        d = self.admin.describe_user_pool(UserPoolId=self.pool_id)
        # botocore parsed the timestamps; check the raw wire value is a number, not an ISO string
        raw = self.admin.describe_user_pool(UserPoolId=self.pool_id)
        self.assertEqual(type(raw["UserPool"]["CreationDate"]).__name__, "datetime")
        self.assertTrue(d)

    def test_cors_preflight(self):
        req = urllib.request.Request(ENDPOINT + "/", method="OPTIONS", headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent,cache-control"})
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertLess(r.status, 300)
            h = {k.lower(): v for k, v in r.headers.items()}
        self.assertIn(h.get("access-control-allow-origin"), ("*", "http://localhost:3000"))
        allowed = h.get("access-control-allow-headers", "").lower()
        for name in ("content-type", "x-amz-target", "x-amz-user-agent", "cache-control"):
            self.assertTrue(allowed == "*" or name in allowed, "preflight does not allow " + name)
        status, h2, _ = raw_call("InitiateAuth", {"ClientId": self.client_id}, headers={"Origin": "http://localhost:3000"})
        self.assertIn(h2.get("access-control-allow-origin"), ("*", "http://localhost:3000"))
        self.assertIn("x-amzn-errortype", h2.get("access-control-expose-headers", "").lower())

    # --- clients and tokens ------------------------------------------------------------------
    def test_client_defaults(self):
        c = admin_client().create_user_pool_client(UserPoolId=self.pool_id, ClientName="defaults")["UserPoolClient"]
        self.assertEqual(sorted(c.get("ExplicitAuthFlows", [])),
                         ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
        self.assertIs(c.get("EnableTokenRevocation"), True)
        self.assertEqual(c.get("AuthSessionValidity"), 3)

    def test_refresh_token_auth_must_be_allowed(self):
        e = self.assertError("InvalidParameterException", self.admin.create_user_pool_client, UserPoolId=self.pool_id,
                             ClientName="no-refresh", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
        self.assertEqual(e.response["Error"]["Message"], "REFRESH_TOKEN_AUTH should always be allowed.")

    def test_custom_token_validity(self):
        c = self.make_client(self.pool_id, name="short", AccessTokenValidity=5, IdTokenValidity=10,
                             TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"})
        u = self.new_user("validity")
        ar = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW1})["AuthenticationResult"]
        self.assertEqual(ar["ExpiresIn"], 300)
        acc, idt = jwt_payload(ar["AccessToken"]), jwt_payload(ar["IdToken"])
        self.assertEqual(acc["exp"] - acc["iat"], 300)
        self.assertEqual(idt["exp"] - idt["iat"], 600)

    def test_id_token_as_access_token_rejected(self):
        u = self.new_user("idtok")
        ar = self.login(u, PW1)
        self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=ar["IdToken"])

    def test_tampered_access_token_rejected(self):
        u = self.new_user("tamper")
        ar = self.login(u, PW1)
        h, p, sig = ar["AccessToken"].split(".")
        payload = jwt_payload(ar["AccessToken"])
        payload["username"] = self.uname("someone-else")
        forged = ".".join([h, base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("="), sig])
        self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=forged)

    def test_read_and_write_attributes(self):
        c = self.make_client(self.pool_id, name="limited", ReadAttributes=["email", "name"], WriteAttributes=["name"])
        u = self.new_user("rw", **{"custom:tier": "gold"})
        ar = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW1})["AuthenticationResult"]
        idc = jwt_payload(ar["IdToken"])
        self.assertNotIn("custom:tier", idc)
        self.assertEqual(idc.get("email"), u + "@example.com")
        self.assertNotIn("custom:tier", attrs(self.pub.get_user(AccessToken=ar["AccessToken"])))
        self.assertError("NotAuthorizedException", self.pub.update_user_attributes, AccessToken=ar["AccessToken"],
                         UserAttributes=[{"Name": "custom:tier", "Value": "silver"}])

    # --- schema --------------------------------------------------------------------------------
    def test_custom_attribute_in_schema_and_token(self):
        schema = {a["Name"] for a in self.admin.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]["SchemaAttributes"]}
        self.assertIn("custom:tier", schema)
        u = self.new_user("custom", **{"custom:tier": "gold"})
        self.assertEqual(attrs(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)).get("custom:tier"), "gold")
        self.assertEqual(jwt_payload(self.login(u, PW1)["IdToken"]).get("custom:tier"), "gold")

    def test_required_attribute_missing(self):
        u = self.uname("noname")
        e = self.assertError("InvalidParameterException", self.pub.sign_up, ClientId=self.client_id, Username=u,
                             Password=PW1, UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        self.assertIn("name", e.response["Error"]["Message"])

    def test_unknown_attribute(self):
        u = self.uname("unk")
        self.assertError("InvalidParameterException", self.pub.sign_up, ClientId=self.client_id, Username=u,
                         Password=PW1, UserAttributes=[{"Name": "email", "Value": u + "@example.com"},
                                                       {"Name": "name", "Value": "x"},
                                                       {"Name": "custom:nope", "Value": "x"}])

    # --- usernames -------------------------------------------------------------------------------
    def test_username_case_sensitive_by_default(self):
        u = self.new_user("CaseUser")
        self.assertTrue(self.login(u, PW1).get("AccessToken"))
        self.assertError("UserNotFoundException", self.login, u.lower(), PW1)

    def test_username_case_insensitive_pool(self):
        pid = self.make_pool("boto3-ci-%s" % RUN, UsernameConfiguration={"CaseSensitive": False})["Id"]
        try:
            cid = self.make_client(pid)["ClientId"]
            u = self.uname("MixedCase")
            self.pub.sign_up(ClientId=cid, Username=u, Password=PW1)
            self.admin.admin_confirm_sign_up(UserPoolId=pid, Username=u.lower())
            ar = self.pub.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": u.upper(), "PASSWORD": PW1})["AuthenticationResult"]
            self.assertTrue(ar.get("AccessToken"))
            self.assertError("UsernameExistsException", self.pub.sign_up, ClientId=cid, Username=u.lower(), Password=PW1)
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_email_username_pool(self):
        pid = self.make_pool("boto3-emailpool-%s" % RUN, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])["Id"]
        try:
            cid = self.make_client(pid)["ClientId"]
            self.assertError("InvalidParameterException", self.pub.sign_up, ClientId=cid, Username="not-an-email", Password=PW1)
            email = "beh-emailpool-%s@example.com" % RUN
            r = self.pub.sign_up(ClientId=cid, Username=email, Password=PW1, UserAttributes=[{"Name": "email", "Value": email}])
            e = self.assertError("UsernameExistsException", self.pub.sign_up, ClientId=cid, Username=email, Password=PW1,
                                 UserAttributes=[{"Name": "email", "Value": email}])
            self.assertEqual(e.response["Error"]["Message"], "An account with the given email already exists.")
            u = self.admin.admin_get_user(UserPoolId=pid, Username=email)
            self.assertEqual(u["Username"], r["UserSub"])
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    # --- codes and passwords ----------------------------------------------------------------------
    def test_resend_supersedes_old_code(self):
        u = self.uname("resend")
        email = u + "@example.com"
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "R"}])
        old = outbox_code(email, 1)
        self.pub.resend_confirmation_code(ClientId=self.client_id, Username=u)
        new = outbox_code(email, 2)
        if old != new:
            self.assertError({"ExpiredCodeException", "CodeMismatchException"}, self.pub.confirm_sign_up,
                             ClientId=self.client_id, Username=u, ConfirmationCode=old)
        self.pub.confirm_sign_up(ClientId=self.client_id, Username=u, ConfirmationCode=new)

    def test_forgot_password_code_single_use(self):
        u = self.new_user("single")
        email = u + "@example.com"
        n = len(outbox(email))
        self.pub.forgot_password(ClientId=self.client_id, Username=u)
        code = outbox_code(email, n + 1)
        self.pub.confirm_forgot_password(ClientId=self.client_id, Username=u, ConfirmationCode=code, Password=PW2)
        self.assertError({"ExpiredCodeException", "CodeMismatchException"}, self.pub.confirm_forgot_password,
                         ClientId=self.client_id, Username=u, ConfirmationCode=code, Password=PW3)
        self.assertTrue(self.login(u, PW2).get("AccessToken"))

    def test_forgot_password_without_verified_channel(self):
        u = self.uname("unverified")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": u + "@example.com"}, {"Name": "name", "Value": "U"}])
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=u)
        self.assertError("InvalidParameterException", self.pub.forgot_password, ClientId=self.client_id, Username=u)

    def test_forgot_password_unknown_user_legacy(self):
        self.assertError("UserNotFoundException", self.pub.forgot_password, ClientId=self.client_id, Username=self.uname("nouser"))

    def test_confirm_sign_up_unknown_user(self):
        self.assertError("UserNotFoundException", self.pub.confirm_sign_up, ClientId=self.client_id,
                         Username=self.uname("nouser2"), ConfirmationCode="123456")

    def test_password_policy_messages(self):
        u = self.uname("pol")
        cases = [("Sh0rt!", "Password not long enough"),
                 ("nouppercase1!", "Password must have uppercase characters"),
                 ("NOLOWERCASE1!", "Password must have lowercase characters"),
                 ("NoNumbers!!", "Password must have numeric characters"),
                 ("NoSymbols123", "Password must have symbol characters")]
        for pw, text in cases:
            e = self.assertError("InvalidPasswordException", self.pub.sign_up, ClientId=self.client_id, Username=u,
                                 Password=pw, UserAttributes=[{"Name": "name", "Value": "p"}])
            self.assertTrue(e.response["Error"]["Message"].endswith(text), "expected %r" % text)

    def test_password_with_inner_space(self):
        # DG: the space character counts as a symbol; only leading/trailing blanks are refused
        u = self.uname("space")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password="Pass word1",
                         UserAttributes=[{"Name": "name", "Value": "s"}])
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=u)
        self.assertTrue(self.login(u, "Pass word1").get("AccessToken"))

    def test_password_surrounding_whitespace(self):
        # observed: InvalidPasswordException "... Password must satisfy regular expression pattern: ^\\S.*\\S$"
        self.assertError("InvalidPasswordException", self.pub.sign_up, ClientId=self.client_id, Username=self.uname("ws"),
                         Password=" " + PW1, UserAttributes=[{"Name": "name", "Value": "w"}])

    def test_prevent_user_existence_errors(self):
        c = self.make_client(self.pool_id, name="pue", PreventUserExistenceErrors="ENABLED")
        e = self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": self.uname("ghost3"), "PASSWORD": PW1})
        self.assertEqual(e.response["Error"]["Message"], "Incorrect username or password.")
        r = self.pub.forgot_password(ClientId=c["ClientId"], Username=self.uname("ghost3"))
        self.assertIn("CodeDeliveryDetails", r)
        r = self.pub.resend_confirmation_code(ClientId=c["ClientId"], Username=self.uname("ghost3"))
        self.assertIn("CodeDeliveryDetails", r)

    # --- challenges and sessions --------------------------------------------------------------------
    def test_bogus_session_rejected(self):
        self.assertError("NotAuthorizedException", self.pub.respond_to_auth_challenge, ClientId=self.client_id,
                         ChallengeName="NEW_PASSWORD_REQUIRED", Session="x" * 40,
                         ChallengeResponses={"USERNAME": self.uname("nobody"), "NEW_PASSWORD": PW2})

    def test_admin_flow_rejected_on_initiate_auth(self):
        self.assertError("InvalidParameterException", self.pub.initiate_auth, ClientId=self.client_id,
                         AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "x", "PASSWORD": PW1})

    def test_generated_temporary_password_invite(self):
        u = self.uname("gen")
        email = u + "@example.com"
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, DesiredDeliveryMediums=["EMAIL"],
                                     UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "G"},
                                                     {"Name": "email_verified", "Value": "true"}])
        msgs = outbox(email)
        self.assertEqual(len(msgs), 1)
        body = msgs[0].get("body", "")
        # the invitation carries the username and a temporary password that satisfies the policy
        self.assertIn(u, body)
        tmp = msgs[0].get("code") or ""
        self.assertTrue(tmp and tmp in body, "temporary password should be the message code")
        ch = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": tmp})
        self.assertEqual(ch.get("ChallengeName"), "NEW_PASSWORD_REQUIRED")

    def test_new_password_required_with_required_attribute(self):
        u = self.uname("reqattr")
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, TemporaryPassword="Temp-Pass-0q!",
                                     MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": u + "@example.com"}])
        ch = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": "Temp-Pass-0q!"})
        self.assertEqual(ch.get("ChallengeName"), "NEW_PASSWORD_REQUIRED")
        self.assertEqual(json.loads(ch["ChallengeParameters"]["requiredAttributes"]), ["userAttributes.name"])
        done = self.pub.respond_to_auth_challenge(ClientId=self.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                                  Session=ch["Session"],
                                                  ChallengeResponses={"USERNAME": u, "NEW_PASSWORD": PW2,
                                                                      "userAttributes.name": "Required Name"})
        self.assertEqual(jwt_payload(done["AuthenticationResult"]["IdToken"]).get("name"), "Required Name")

    def test_delete_client_kills_its_refresh_tokens(self):
        c = self.make_client(self.pool_id, name="doomed")
        u = self.new_user("doomed")
        ar = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW1})["AuthenticationResult"]
        self.admin.delete_user_pool_client(UserPoolId=self.pool_id, ClientId=c["ClientId"])
        self.assertError({"ResourceNotFoundException", "NotAuthorizedException"}, self.pub.initiate_auth, ClientId=c["ClientId"],
                         AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})

    def test_revoke_token_disabled_and_wrong_client(self):
        off = self.make_client(self.pool_id, name="norevoke", EnableTokenRevocation=False)
        other = self.make_client(self.pool_id, name="other")
        u = self.new_user("revoke2")
        ar = self.pub.initiate_auth(ClientId=off["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": PW1})["AuthenticationResult"]
        self.assertError("UnsupportedOperationException", self.pub.revoke_token, Token=ar["RefreshToken"], ClientId=off["ClientId"])
        ar2 = self.login(u, PW1)
        self.assertError("UnauthorizedException", self.pub.revoke_token, Token=ar2["RefreshToken"], ClientId=other["ClientId"])
        # still usable after the refused revocation
        self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                               AuthParameters={"REFRESH_TOKEN": ar2["RefreshToken"]})

    def test_extra_request_members_accepted(self):
        u = self.new_user("meta")
        r = self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": u, "PASSWORD": PW1},
                                   ClientMetadata={"source": "interop"},
                                   AnalyticsMetadata={"AnalyticsEndpointId": "interop-endpoint"},
                                   UserContextData={"IpAddress": "127.0.0.1", "EncodedData": "e30="})
        self.assertTrue(r["AuthenticationResult"].get("AccessToken"))
        v = "beh-meta2-%s" % RUN
        self.pub.sign_up(ClientId=self.client_id, Username=v, Password=PW1,
                         UserAttributes=[{"Name": "name", "Value": "m"}],
                         ValidationData=[{"Name": "k", "Value": "v"}], ClientMetadata={"a": "b"})

    def test_sign_in_with_sub_in_email_pool(self):
        pid = self.make_pool("boto3-sub-%s" % RUN, UsernameAttributes=["email"])["Id"]
        try:
            cid = self.make_client(pid)["ClientId"]
            email = "beh-sub-%s@example.com" % RUN
            sub = self.pub.sign_up(ClientId=cid, Username=email, Password=PW1,
                                   UserAttributes=[{"Name": "email", "Value": email}])["UserSub"]
            self.admin.admin_confirm_sign_up(UserPoolId=pid, Username=email)
            for name in (email, sub):
                ar = self.pub.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                            AuthParameters={"USERNAME": name, "PASSWORD": PW1})["AuthenticationResult"]
                self.assertEqual(jwt_payload(ar["AccessToken"]).get("username"), sub)
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_unicode_attribute_round_trip(self):
        u = self.uname("uni")
        name = "Zoë Ünïcødé 日本語 😀"
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "name", "Value": name}])
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=u)
        ar = self.login(u, PW1)
        self.assertEqual(attrs(self.pub.get_user(AccessToken=ar["AccessToken"])).get("name"), name)
        self.assertEqual(jwt_payload(ar["IdToken"]).get("name"), name)

    def test_username_max_length(self):
        self.assertError("InvalidParameterException", self.pub.sign_up, ClientId=self.client_id, Username="x" * 129,
                         Password=PW1, UserAttributes=[{"Name": "name", "Value": "n"}])

    def test_attribute_value_max_length(self):
        self.assertError("InvalidParameterException", self.pub.sign_up, ClientId=self.client_id, Username=self.uname("long"),
                         Password=PW1, UserAttributes=[{"Name": "name", "Value": "n" * 2049}])

    def test_confirmation_code_pattern_is_full_match(self):
        # observed from the real service (reference §1.5): "1 validation error detected: Value '1 12 123' at
        # 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+"
        e = self.assertError("InvalidParameterException", self.pub.confirm_sign_up, ClientId=self.client_id,
                             Username=self.uname("long"), ConfirmationCode="1 12 123")
        self.assertIn("confirmationCode", e.response["Error"]["Message"])

    def test_pool_name_pattern(self):
        self.assertError("InvalidParameterException", self.admin.create_user_pool, PoolName="bad/name")

    def test_cross_pool_isolation(self):
        pid = self.make_pool("boto3-iso-%s" % RUN)["Id"]
        try:
            other_client = self.make_client(pid)["ClientId"]
            u = self.new_user("iso")
            self.assertError("ResourceNotFoundException", self.admin.describe_user_pool_client,
                             UserPoolId=self.pool_id, ClientId=other_client)
            self.assertError("ResourceNotFoundException", self.admin.delete_user_pool_client,
                             UserPoolId=self.pool_id, ClientId=other_client)
            self.assertError("ResourceNotFoundException", self.admin.update_user_pool_client,
                             UserPoolId=self.pool_id, ClientId=other_client, ClientName="hijack")
            self.assertError("UserNotFoundException", self.admin.admin_get_user, UserPoolId=pid, Username=u)
            self.assertError("UserNotFoundException", self.admin.admin_delete_user, UserPoolId=pid, Username=u)
            self.assertError("UserNotFoundException", self.admin.admin_set_user_password, UserPoolId=pid, Username=u,
                             Password=PW2, Permanent=True)
            self.assertTrue(self.login(u, PW1).get("AccessToken"), "user of the first pool is untouched")
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_forgot_password_keeps_old_password_until_confirmed(self):
        u = self.new_user("keep")
        self.pub.forgot_password(ClientId=self.client_id, Username=u)
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "CONFIRMED")
        self.assertTrue(self.login(u, PW1).get("AccessToken"))

    def test_admin_set_password_confirms_unconfirmed_user(self):
        u = self.uname("setconf")
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1, UserAttributes=[{"Name": "name", "Value": "s"}])
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=u, Password=PW2, Permanent=True)
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "CONFIRMED")
        self.assertTrue(self.login(u, PW2).get("AccessToken"))

    def test_admin_create_user_resend_and_bad_temp_password(self):
        u = self.uname("resendinv")
        email = u + "@example.com"
        ua = [{"Name": "email", "Value": email}, {"Name": "name", "Value": "r"}, {"Name": "email_verified", "Value": "true"}]
        self.assertError("InvalidPasswordException", self.admin.admin_create_user, UserPoolId=self.pool_id, Username=u,
                         TemporaryPassword="weak", UserAttributes=ua, MessageAction="SUPPRESS")
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, UserAttributes=ua, DesiredDeliveryMediums=["EMAIL"])
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"])
        self.assertEqual(len(outbox(email)), 2, "RESEND sends a second invitation")

    def test_new_password_required_with_secret_hash(self):
        import hashlib
        import hmac
        c = self.make_client(self.pool_id, name="npr-secret", GenerateSecret=True)

        def sh(user):
            return base64.b64encode(hmac.new(c["ClientSecret"].encode(), (user + c["ClientId"]).encode(),
                                             hashlib.sha256).digest()).decode()
        u = self.uname("nprsecret")
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, TemporaryPassword="Temp-Pass-0s!",
                                     MessageAction="SUPPRESS", UserAttributes=[{"Name": "name", "Value": "n"}])
        ch = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": "Temp-Pass-0s!", "SECRET_HASH": sh(u)})
        self.assertEqual(ch.get("ChallengeName"), "NEW_PASSWORD_REQUIRED")
        self.assertError("NotAuthorizedException", self.pub.respond_to_auth_challenge, ClientId=c["ClientId"],
                         ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
                         ChallengeResponses={"USERNAME": u, "NEW_PASSWORD": PW2})
        ch = self.pub.initiate_auth(ClientId=c["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": u, "PASSWORD": "Temp-Pass-0s!", "SECRET_HASH": sh(u)})
        done = self.pub.respond_to_auth_challenge(ClientId=c["ClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                                  Session=ch["Session"],
                                                  ChallengeResponses={"USERNAME": u, "NEW_PASSWORD": PW2, "SECRET_HASH": sh(u)})
        self.assertTrue(done["AuthenticationResult"].get("AccessToken"))

    def test_deletion_protection(self):
        pid = self.make_pool("boto3-protect-%s" % RUN, DeletionProtection="ACTIVE")["Id"]
        self.assertError("InvalidParameterException", self.admin.delete_user_pool, UserPoolId=pid)
        self.admin.update_user_pool(UserPoolId=pid, DeletionProtection="INACTIVE")
        self.admin.delete_user_pool(UserPoolId=pid)

    def test_user_pool_tags(self):
        pid = self.make_pool("boto3-tags-%s" % RUN, UserPoolTags={"team": "interop", "env": "test"})["Id"]
        try:
            self.assertEqual(self.admin.describe_user_pool(UserPoolId=pid)["UserPool"].get("UserPoolTags"),
                             {"team": "interop", "env": "test"})
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_list_user_pool_clients_pagination(self):
        pid = self.make_pool("boto3-clients-%s" % RUN)["Id"]
        try:
            made = {self.make_client(pid, name="c%d" % i)["ClientId"] for i in range(3)}
            seen, token, pages = [], None, 0
            while True:
                kw = {"UserPoolId": pid, "MaxResults": 1}
                if token:
                    kw["NextToken"] = token
                r = self.admin.list_user_pool_clients(**kw)
                pages += 1
                self.assertLessEqual(len(r["UserPoolClients"]), 1)
                seen += [c["ClientId"] for c in r["UserPoolClients"]]
                token = r.get("NextToken")
                if not token or pages > 20:
                    break
            self.assertEqual(sorted(seen), sorted(made))
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_tokens_of_deleted_pool_rejected(self):
        pid = self.make_pool("boto3-gone-%s" % RUN)["Id"]
        cid = self.make_client(pid)["ClientId"]
        self.pub.sign_up(ClientId=cid, Username="gone-%s" % RUN, Password=PW1)
        self.admin.admin_confirm_sign_up(UserPoolId=pid, Username="gone-%s" % RUN)
        ar = self.pub.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "gone-%s" % RUN, "PASSWORD": PW1})["AuthenticationResult"]
        self.admin.delete_user_pool(UserPoolId=pid)
        self.assertError({"NotAuthorizedException", "ResourceNotFoundException", "UserNotFoundException"},
                         self.pub.get_user, AccessToken=ar["AccessToken"])
        self.assertError({"NotAuthorizedException", "ResourceNotFoundException"}, self.pub.initiate_auth, ClientId=cid,
                         AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ar["RefreshToken"]})

    def test_password_lockout(self):
        # DG: after 5 failed sign-ins the user is locked (1 s, doubling); attempts during the lock are
        # refused with NotAuthorizedException "Password attempts exceeded".
        u = self.new_user("lock")
        messages = []
        for _ in range(10):
            e = self.assertError("NotAuthorizedException", self.login, u, "Wrong-Pass-9z!")
            messages.append(e.response["Error"]["Message"])
        self.assertEqual(messages[:5], ["Incorrect username or password."] * 5)
        self.assertTrue(any(m.startswith("Password attempts exceeded") for m in messages[5:]), "no lockout after 10 failures")

    def test_confirmation_code_brute_force_limited(self):
        # DG limits: ConfirmSignUp 15 attempts/hour/user, then LimitExceededException "Attempt limit
        # exceeded, please try after some time." botocore retries LimitExceededException as throttling,
        # so the limit must still answer LimitExceededException on the retry: this uses a client with
        # boto3's default retry settings, as an application would.
        stock = boto3.client("cognito-idp", endpoint_url=ENDPOINT, region_name=REGION,
                             config=Config(signature_version=UNSIGNED, connect_timeout=5, read_timeout=30,
                                           retries={"mode": "standard"}))
        u = self.uname("brute")
        email = u + "@example.com"
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW1,
                         UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "b"}])
        code = outbox_code(email)
        wrong = [c for c in ("%06d" % i for i in range(100000, 100030)) if c != code]
        seq = []
        for c in wrong[:20]:
            try:
                stock.confirm_sign_up(ClientId=self.client_id, Username=u, ConfirmationCode=c)
                seq.append("OK")
            except ClientError as e:
                seq.append(e.response["Error"]["Code"])
        self.assertNotIn("OK", seq)
        self.assertIn("LimitExceededException", seq, "never saw the limit: %s" % sorted(set(seq)))
        self.assertError({"LimitExceededException", "TooManyFailedAttemptsException", "ExpiredCodeException"},
                         self.pub.confirm_sign_up, ClientId=self.client_id, Username=u, ConfirmationCode=code)

    def test_recreated_username_does_not_inherit_old_tokens(self):
        # A deleted user's tokens must not open the account of a new user who reuses the username.
        u = self.new_user("reuse")
        old = self.login(u, PW1)
        old_sub = jwt_payload(old["AccessToken"])["sub"]
        self.admin.admin_delete_user(UserPoolId=self.pool_id, Username=u)
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW2,
                         UserAttributes=[{"Name": "name", "Value": "Second owner"}])
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=u)
        new_sub = attrs(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u))["sub"]
        self.assertNotEqual(new_sub, old_sub, "a re-created user gets a new sub")
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.get_user, AccessToken=old["AccessToken"])
        self.assertError("NotAuthorizedException", self.pub.initiate_auth, ClientId=self.client_id,
                         AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": old["RefreshToken"]})
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.update_user_attributes,
                         AccessToken=old["AccessToken"], UserAttributes=[{"Name": "name", "Value": "hijacked"}])
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.delete_user, AccessToken=old["AccessToken"])
        self.assertEqual(attrs(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)).get("name"), "Second owner")

    def test_self_deleted_username_can_sign_up_again(self):
        u = self.new_user("again")
        ar = self.login(u, PW1)
        self.pub.delete_user(AccessToken=ar["AccessToken"])
        self.pub.sign_up(ClientId=self.client_id, Username=u, Password=PW2, UserAttributes=[{"Name": "name", "Value": "n"}])
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "UNCONFIRMED")
        self.assertError({"NotAuthorizedException", "UserNotFoundException"}, self.pub.get_user, AccessToken=ar["AccessToken"])

    def test_changed_email_is_unverified_until_verified(self):
        u = self.new_user("chg")
        ar = self.login(u, PW1)
        new_email = "beh-chg-new-%s@example.com" % RUN
        self.pub.update_user_attributes(AccessToken=ar["AccessToken"], UserAttributes=[{"Name": "email", "Value": new_email}])
        a = attrs(self.pub.get_user(AccessToken=ar["AccessToken"]))
        self.assertEqual((a.get("email"), a.get("email_verified")), (new_email, "false"))
        code = outbox_code(new_email)
        self.pub.verify_user_attribute(AccessToken=ar["AccessToken"], AttributeName="email", Code=code)
        self.assertEqual(attrs(self.pub.get_user(AccessToken=ar["AccessToken"])).get("email_verified"), "true")

    def test_user_cannot_write_verified_flags_or_sub(self):
        u = self.new_user("flags")
        ar = self.login(u, PW1)
        self.assertError({"InvalidParameterException", "NotAuthorizedException"}, self.pub.update_user_attributes,
                         AccessToken=ar["AccessToken"], UserAttributes=[{"Name": "sub", "Value": "00000000-0000-0000-0000-000000000000"}])

    def test_forged_access_tokens_rejected(self):
        # alg=none, HS256 keyed with public key material, stripped signature, wrong token kinds
        u = self.new_user("forge")
        ar = self.login(u, PW1)
        h, pl, sig = ar["AccessToken"].split(".")
        hdr = json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))

        def b64(b):
            return base64.urlsafe_b64encode(b).decode().rstrip("=")
        with urllib.request.urlopen("%s/%s/.well-known/jwks.json" % (ENDPOINT, self.pool_id), timeout=5) as r:
            key = [k for k in json.load(r)["keys"] if k["kid"] == hdr["kid"]][0]
        import hashlib
        import hmac
        forged = {"alg none": b64(json.dumps({"alg": "none", "kid": hdr["kid"]}).encode()) + "." + pl + ".",
                  "signature stripped": h + "." + pl + ".",
                  "refresh token": ar["RefreshToken"]}
        for name, secret in (("n", key["n"].encode()), ("jwk json", json.dumps(key).encode())):
            hh = b64(json.dumps({"alg": "HS256", "kid": hdr["kid"]}).encode())
            forged["HS256 keyed with " + name] = hh + "." + pl + "." + b64(hmac.new(secret, (hh + "." + pl).encode(), hashlib.sha256).digest())
        for name, tok in forged.items():
            with self.subTest(forgery=name):
                self.assertError("NotAuthorizedException", self.pub.get_user, AccessToken=tok)

    def test_estimated_number_of_users(self):
        pid = self.make_pool("boto3-count-%s" % RUN)["Id"]
        try:
            cid = self.make_client(pid)["ClientId"]
            for i in range(3):
                self.pub.sign_up(ClientId=cid, Username="count-%d-%s" % (i, RUN), Password=PW1)
            self.assertEqual(self.admin.describe_user_pool(UserPoolId=pid)["UserPool"]["EstimatedNumberOfUsers"], 3)
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_update_user_pool_is_full_replacement(self):
        pid = self.make_pool("boto3-repl-%s" % RUN, AutoVerifiedAttributes=["email"],
                             EmailVerificationSubject="Custom subject")["Id"]
        try:
            self.admin.update_user_pool(UserPoolId=pid, MfaConfiguration="OFF")
            p = self.admin.describe_user_pool(UserPoolId=pid)["UserPool"]
            self.assertEqual(p.get("AutoVerifiedAttributes", []), [], "omitted AutoVerifiedAttributes resets")
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)

    def test_verification_subject_used_in_outbox(self):
        pid = self.make_pool("boto3-subj-%s" % RUN, AutoVerifiedAttributes=["email"],
                             VerificationMessageTemplate={"EmailSubject": "Welcome to Interop",
                                                          "EmailMessage": "Interop code: {####}",
                                                          "DefaultEmailOption": "CONFIRM_WITH_CODE"})["Id"]
        try:
            cid = self.make_client(pid)["ClientId"]
            u = "subj-%s" % RUN
            email = u + "@example.com"
            self.pub.sign_up(ClientId=cid, Username=u, Password=PW1, UserAttributes=[{"Name": "email", "Value": email}])
            m = outbox(email)[0]
            self.assertEqual(m.get("subject"), "Welcome to Interop")
            self.assertEqual(m.get("body"), "Interop code: %s" % m.get("code"))
        finally:
            self.admin.delete_user_pool(UserPoolId=pid)


# --- Managed login / OAuth management API (issue 13): domains, resource servers, OAuth client settings, UI customization ---


class ManagedLoginManagementTests(unittest.TestCase):
    """Domains, resource servers and UI customization through boto3, as the hashicorp/aws provider reads them."""

    CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"

    @classmethod
    def setUpClass(cls):
        cls.admin = admin_client()
        cls.pools = [cls.admin.create_user_pool(PoolName="boto-domains-%s-%d" % (RUN, i))["UserPool"]["Id"] for i in range(2)]

    @classmethod
    def tearDownClass(cls):
        for pid in cls.pools:
            try:
                cls.admin.delete_user_pool(UserPoolId=pid)
            except ClientError:
                pass

    def error(self, call, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            call(**kwargs)
        return ctx.exception.response["Error"]

    def test_domains_prefix_custom_takeover_refused(self):
        a, b = self.pools
        prefix, custom = "boto-login-%s" % RUN, "auth-boto-%s.example.com" % RUN
        self.assertEqual(self.admin.create_user_pool_domain(UserPoolId=a, Domain=prefix)["ManagedLoginVersion"], 1)
        cf = self.admin.create_user_pool_domain(UserPoolId=a, Domain=custom, CustomDomainConfig={"CertificateArn": self.CERT})["CloudFrontDomain"]
        self.assertRegex(cf, r"^d[a-z2-7]{13}\.cloudfront\.net$")
        d = self.admin.describe_user_pool_domain(Domain=custom)["DomainDescription"]
        self.assertEqual((d["UserPoolId"], d["Status"], d["CloudFrontDistribution"], d["CustomDomainConfig"]["CertificateArn"]), (a, "ACTIVE", cf, self.CERT))
        self.assertEqual(self.admin.describe_user_pool_domain(Domain="boto-nobody-%s" % RUN)["DomainDescription"], {})
        pool = self.admin.describe_user_pool(UserPoolId=a)["UserPool"]
        self.assertEqual((pool.get("Domain"), pool.get("CustomDomain")), (prefix, custom))
        err = self.error(self.admin.create_user_pool_domain, UserPoolId=b, Domain=prefix)
        self.assertEqual((err["Code"], err["Message"]), ("InvalidParameterException", "Domain already associated with another user pool."))
        err = self.error(self.admin.create_user_pool_domain, UserPoolId=b, Domain="amazon-%s" % RUN)
        self.assertEqual(err["Message"], "Domain cannot contain reserved word: amazon")
        err = self.error(self.admin.delete_user_pool_domain, UserPoolId=b, Domain=prefix)
        self.assertEqual(err["Message"], "No such domain or user pool exists.")
        self.admin.update_user_pool_domain(UserPoolId=a, Domain=custom, CustomDomainConfig={"CertificateArn": self.CERT + "-2"}, ManagedLoginVersion=2)
        d = self.admin.describe_user_pool_domain(Domain=custom)["DomainDescription"]
        self.assertEqual((d["ManagedLoginVersion"], d["CustomDomainConfig"]["CertificateArn"]), (2, self.CERT + "-2"))
        self.admin.delete_user_pool_domain(UserPoolId=a, Domain=custom)
        self.assertEqual(self.admin.describe_user_pool_domain(Domain=custom)["DomainDescription"], {})

    def test_resource_server_scopes_and_client_rules(self):
        a = self.pools[0]
        rs = self.admin.create_resource_server(UserPoolId=a, Identifier="boto-api", Name="api",
                                               Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}])["ResourceServer"]
        self.assertEqual(rs["Scopes"], [{"ScopeName": "read", "ScopeDescription": "Read"}])
        self.assertEqual(self.admin.describe_resource_server(UserPoolId=a, Identifier="boto-api")["ResourceServer"]["Name"], "api")
        self.assertEqual([r["Identifier"] for r in self.admin.list_resource_servers(UserPoolId=a, MaxResults=50)["ResourceServers"]], ["boto-api"])
        c = self.admin.create_user_pool_client(UserPoolId=a, ClientName="m2m", GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                                               AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["boto-api/read"])["UserPoolClient"]
        self.assertEqual(c["AllowedOAuthScopes"], ["boto-api/read"])
        err = self.error(self.admin.create_user_pool_client, UserPoolId=a, ClientName="m2m", GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                         AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["boto-api/write"])
        self.assertEqual(err["Code"], "ScopeDoesNotExistException")
        err = self.error(self.admin.create_user_pool_client, UserPoolId=a, ClientName="web", AllowedOAuthFlowsUserPoolClient=True,
                         AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], CallbackURLs=["http://attacker.example/cb"])
        self.assertEqual(err["Code"], "InvalidParameterException")
        self.admin.update_resource_server(UserPoolId=a, Identifier="boto-api", Name="api2")
        self.admin.delete_resource_server(UserPoolId=a, Identifier="boto-api")
        err = self.error(self.admin.describe_resource_server, UserPoolId=a, Identifier="boto-api")
        self.assertEqual(err["Code"], "ResourceNotFoundException")

    def test_ui_customization_css_whitelist(self):
        b = self.pools[1]
        self.admin.create_user_pool_domain(UserPoolId=b, Domain="boto-ui-%s" % RUN)
        png = bytes.fromhex("89504e470d0a1a0a0000000d49484452")
        ui = self.admin.set_ui_customization(UserPoolId=b, CSS=".label-customizable{font-weight:400}", ImageFile=png)["UICustomization"]
        self.assertEqual(ui["ClientId"], "ALL")
        self.assertIn("/logo.png", ui["ImageUrl"])
        got = self.admin.get_ui_customization(UserPoolId=b)["UICustomization"]
        self.assertEqual(got["CSS"], ".label-customizable{font-weight:400}")
        err = self.error(self.admin.set_ui_customization, UserPoolId=b, CSS=".label-customizable{background:url(https://attacker.example/x)}")
        self.assertEqual(err["Code"], "InvalidParameterException")


def main():
    # Further test modules of this suite, run by the same loader and counted in the same line.
    from test_identity_providers import IdentityProviderTests  # noqa: F401 (loaded by loadTestsFromModule below)
    from test_cognito_fixes import CognitoFixes  # noqa: F401
    from test_client_secrets import ClientSecretTests  # noqa: F401
    from test_pool_metadata import PoolMetadata  # noqa: F401

    globals()["IdentityProviderTests"] = IdentityProviderTests
    globals()["CognitoFixes"] = CognitoFixes
    globals()["ClientSecretTests"] = ClientSecretTests
    globals()["PoolMetadata"] = PoolMetadata
    if not ENDPOINT:
        print("COGNATE_ENDPOINT is not set", file=sys.stderr)
        print("boto3: 0 passed, 1 failed")
        return 1
    print("# boto3 %s, botocore %s; endpoint %s" % (boto3.__version__, __import__("botocore").__version__, ENDPOINT))
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    # A setUpClass failure is reported as one error on a placeholder (_ErrorHolder) and the
    # class's tests never run: count each of those tests as failed instead of the placeholder.
    holders = [t for t, _ in result.errors if type(t).__name__ == "_ErrorHolder"]
    ran = result.testsRun
    expected = suite.countTestCases()
    not_run = max(0, expected - ran - len(result.skipped))
    # a test with failing subTests counts once
    bad = {getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors if t not in holders}
    failed = len(bad) + len(result.unexpectedSuccesses)
    if not_run == 0:
        failed += len(holders)
    passed = ran - failed - len(result.skipped)
    print("boto3: %d passed, %d failed" % (max(0, passed), failed + not_run))
    return 0 if failed + not_run == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
