"""Pool metadata through boto3: tags on a pool's ARN, terms documents, log delivery configuration.

Loaded by test_lifecycle.py (same runner, same `boto3: N passed, N failed` line). TagResource / UntagResource /
ListTagsForResource share DescribeUserPool's UserPoolTags; CreateTerms .. DeleteTerms per app client; Get/SetLogDeliveryConfiguration
with Cognito's validation, and (when run.sh exports COGNATE_LOG_DELIVERY_DIR, the server's Cognate:LogDelivery:Directory) the
sign-in events written as JSON lines to the destination's file. Never prints secrets.
"""

import json
import os
import re

import test_lifecycle as base


class PoolMetadata(base.CognateTestCase):
    """Tags, terms and log delivery as a boto3 user sees them."""

    @classmethod
    def setUpClass(cls):
        cls.admin = base.admin_client()
        cls.pub = base.public_client()
        pool = cls.make_pool("meta-" + base.RUN, UserPoolTier="PLUS", UserPoolTags={"team": "identity"})
        cls.pool_id, cls.arn = pool["Id"], pool["Arn"]
        cls.client_id = cls.make_client(cls.pool_id)["ClientId"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.admin.delete_user_pool(UserPoolId=cls.pool_id)
        except Exception:  # noqa: BLE001 (cleanup only)
            pass

    def tags(self):
        return self.admin.list_tags_for_resource(ResourceArn=self.arn)["Tags"]

    def test_tags_one_set_with_user_pool_tags(self):
        self.assertEqual(self.tags(), {"team": "identity"})
        self.admin.tag_resource(ResourceArn=self.arn, Tags={"env": "staging", "team": "platform"})
        self.assertEqual(self.tags(), {"team": "platform", "env": "staging"})
        described = self.admin.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]["UserPoolTags"]
        self.assertEqual(described, {"team": "platform", "env": "staging"})
        self.admin.untag_resource(ResourceArn=self.arn, TagKeys=["env", "absent"])
        self.assertEqual(self.tags(), {"team": "platform"})
        region = self.pool_id.split("_")[0]
        missing = self.arn.replace(self.pool_id, region + "_Missing000")
        self.assertError("ResourceNotFoundException", self.admin.list_tags_for_resource, ResourceArn=missing)
        self.assertError("ResourceNotFoundException", self.admin.tag_resource, ResourceArn=missing, Tags={"a": "b"})
        too_many = {"k%d" % i: "v" for i in range(50)}
        self.assertError("InvalidParameterException", self.admin.tag_resource, ResourceArn=self.arn, Tags=too_many)
        self.assertEqual(self.tags(), {"team": "platform"})

    def test_terms_lifecycle(self):
        links = {"cognito:default": "https://example.com/terms", "cognito:french": "https://example.com/fr/terms"}
        t = self.admin.create_terms(UserPoolId=self.pool_id, ClientId=self.client_id, TermsName="terms-of-use",
                                    TermsSource="LINK", Enforcement="NONE", Links=links)["Terms"]
        self.assertRegex(t["TermsId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(t["Links"], links)
        self.assertEqual((t["ClientId"], t["TermsName"], t["TermsSource"], t["Enforcement"]), (self.client_id, "terms-of-use", "LINK", "NONE"))
        self.assertIsNotNone(t["CreationDate"].tzinfo)  # botocore parsed an epoch timestamp
        self.assertError("TermsExistsException", self.admin.create_terms, UserPoolId=self.pool_id, ClientId=self.client_id,
                         TermsName="terms-of-use", TermsSource="LINK", Enforcement="NONE", Links=links)
        self.assertError("InvalidParameterException", self.admin.create_terms, UserPoolId=self.pool_id, ClientId=self.client_id,
                         TermsName="privacy-policy", TermsSource="LINK", Enforcement="NONE", Links={"cognito:default": "javascript:alert(1)"})
        got = self.admin.describe_terms(UserPoolId=self.pool_id, TermsId=t["TermsId"])["Terms"]
        self.assertEqual(got["Links"], links)
        listed = self.admin.list_terms(UserPoolId=self.pool_id)["Terms"]
        self.assertEqual([x["TermsId"] for x in listed], [t["TermsId"]])
        up = self.admin.update_terms(UserPoolId=self.pool_id, TermsId=t["TermsId"], Links={"cognito:default": "https://example.com/v2"})["Terms"]
        self.assertEqual(up["Links"], {"cognito:default": "https://example.com/v2"})
        self.admin.delete_terms(UserPoolId=self.pool_id, TermsId=t["TermsId"])
        self.assertError("ResourceNotFoundException", self.admin.describe_terms, UserPoolId=self.pool_id, TermsId=t["TermsId"])

    def test_log_delivery_configuration_and_local_delivery(self):
        group = "arn:aws:logs:us-east-1:123456789012:log-group:/cognate/boto3-" + base.RUN
        empty = self.admin.get_log_delivery_configuration(UserPoolId=self.pool_id)["LogDeliveryConfiguration"]
        self.assertEqual(empty["LogConfigurations"], [])
        self.assertError("InvalidParameterException", self.admin.set_log_delivery_configuration, UserPoolId=self.pool_id,
                         LogConfigurations=[{"LogLevel": "INFO", "EventSource": "userNotification", "CloudWatchLogsConfiguration": {"LogGroupArn": group}}])
        cfg = [{"LogLevel": "INFO", "EventSource": "userAuthEvents", "CloudWatchLogsConfiguration": {"LogGroupArn": group}}]
        set_ = self.admin.set_log_delivery_configuration(UserPoolId=self.pool_id, LogConfigurations=cfg)["LogDeliveryConfiguration"]
        self.assertEqual(set_["LogConfigurations"], cfg)
        self.assertEqual(self.admin.get_log_delivery_configuration(UserPoolId=self.pool_id)["LogDeliveryConfiguration"]["LogConfigurations"], cfg)

        directory = os.environ.get("COGNATE_LOG_DELIVERY_DIR", "")
        if not directory:
            return
        user = "lena-" + base.RUN
        self.admin.admin_create_user(UserPoolId=self.pool_id, Username=user, MessageAction="SUPPRESS")
        self.admin.admin_set_user_password(UserPoolId=self.pool_id, Username=user, Password=base.PW1, Permanent=True)
        self.pub.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": user, "PASSWORD": base.PW1})
        name = re.sub(r"[^A-Za-z0-9._-]", "_", group) + ".jsonl"
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            events = [json.loads(line) for line in f if line.strip()]
        mine = [e for e in events if e.get("userName") == user]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["eventSource"], mine[0]["logLevel"], mine[0]["eventResponse"], mine[0]["userPoolId"]),
                         ("userAuthEvents", "INFO", "Pass", self.pool_id))
