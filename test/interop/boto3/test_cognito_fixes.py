"""Answers the moto suite and Terraform runs showed to differ from Cognito, through boto3.

Loaded by test_lifecycle.py (same runner, same `boto3: N passed, N failed` line): verified flags in any letter case,
AddCustomAttributes' duplicate text, every unknown attribute named, AdminResetUserPassword on a disabled user, ForgotPassword /
ResendConfirmationCode for an unknown name, and enum values listed in Cognito's order. Never prints secrets.
"""

import test_lifecycle as base


class CognitoFixes(base.CognateTestCase):
    """Cognito's answers where Cognate used to differ."""

    @classmethod
    def setUpClass(cls):
        cls.admin = base.admin_client()
        cls.pub = base.public_client()
        cls.pool_id = cls.make_pool("fixes-" + base.RUN, AutoVerifiedAttributes=["email"])["Id"]
        cls.client_id = cls.make_client(cls.pool_id, PreventUserExistenceErrors="LEGACY")["ClientId"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:  # noqa: BLE001 (cleanup only)
            pass

    def attrs(self, username):
        return base.attrs(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=username))

    def test_verified_flags_any_case_stored_lowercase(self):
        u = "vera-" + base.RUN
        self.admin.admin_create_user(
            UserPoolId=self.pool_id, Username=u, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": u + "@example.com"}, {"Name": "email_verified", "Value": "True"}],
        )
        self.assertEqual(self.attrs(u)["email_verified"], "true")
        self.admin.admin_update_user_attributes(
            UserPoolId=self.pool_id, Username=u, UserAttributes=[{"Name": "email_verified", "Value": "FALSE"}],
        )
        self.assertEqual(self.attrs(u)["email_verified"], "false")
        self.assertError("InvalidParameterException", self.admin.admin_update_user_attributes,
                         UserPoolId=self.pool_id, Username=u, UserAttributes=[{"Name": "email_verified", "Value": "maybe"}])

    def test_add_custom_attributes_existing_names_the_attribute_first(self):
        attr = [{"Name": "tier", "AttributeDataType": "String"}]
        self.admin.add_custom_attributes(UserPoolId=self.pool_id, CustomAttributes=attr)
        e = self.assertError("InvalidParameterException", self.admin.add_custom_attributes, UserPoolId=self.pool_id, CustomAttributes=attr)
        self.assertEqual(e.response["Error"]["Message"], "custom:tier: Existing attribute already has name custom:tier.")

    def test_unknown_attributes_every_one_named(self):
        e = self.assertError(
            "InvalidParameterException", self.pub.sign_up, ClientId=self.client_id, Username="una-" + base.RUN, Password=base.PW1,
            UserAttributes=[{"Name": "custom:first", "Value": "a"}, {"Name": "email", "Value": "una@example.com"}, {"Name": "custom:second", "Value": "b"}],
        )
        msg = e.response["Error"]["Message"]
        self.assertIn("custom:first: Attribute does not exist in the schema.", msg)
        self.assertIn("custom:second: Attribute does not exist in the schema.", msg)
        e = self.assertError(
            "InvalidParameterException", self.admin.admin_create_user, UserPoolId=self.pool_id, Username="una-" + base.RUN,
            MessageAction="SUPPRESS", UserAttributes=[{"Name": "shoe_size", "Value": "44"}, {"Name": "custom:hat", "Value": "m"}],
        )
        self.assertIn("{shoe_size}", e.response["Error"]["Message"])
        self.assertIn("{custom:hat}", e.response["Error"]["Message"])

    def test_admin_reset_user_password_disabled_user(self):
        u = "dora-" + base.RUN
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=u, MessageAction="SUPPRESS",
                                     UserAttributes=[{"Name": "email", "Value": u + "@example.com"}, {"Name": "email_verified", "Value": "true"}])
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=u, Password=base.PW1, Permanent=True)
        self.admin.admin_disable_user(UserPoolId=self.pool_id, Username=u)
        e = self.assertError("NotAuthorizedException", self.admin.admin_reset_user_password, UserPoolId=self.pool_id, Username=u)
        self.assertEqual(e.response["Error"]["Message"], "User is disabled.")
        self.assertEqual(self.admin.admin_get_user(UserPoolId=self.pool_id, Username=u)["UserStatus"], "CONFIRMED")

    def test_forgot_password_and_resend_unknown_user(self):
        for call in (self.pub.forgot_password, self.pub.resend_confirmation_code):
            e = self.assertError("UserNotFoundException", call, ClientId=self.client_id, Username="ghost-" + base.RUN)
            self.assertEqual(e.response["Error"]["Message"], "Username/client id combination not found.")

    def test_enum_values_in_cognitos_order(self):
        e = self.assertError(
            "InvalidParameterException", self.pub.initiate_auth, ClientId=self.client_id, AuthFlow="NO_SUCH_FLOW",
            AuthParameters={"USERNAME": "x", "PASSWORD": "y"},
        )
        self.assertIn(
            "Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, "
            "REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]",
            e.response["Error"]["Message"],
        )
