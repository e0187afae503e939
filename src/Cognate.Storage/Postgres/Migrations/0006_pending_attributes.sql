-- AttributesRequireVerificationBeforeUpdate: a new email / phone_number waits here (JSON object, NULL when none) until
-- VerifyUserAttribute confirms it; the old value stays in attributes_json and keeps signing in meanwhile.
ALTER TABLE users ADD COLUMN pending_attributes_json TEXT NULL;
