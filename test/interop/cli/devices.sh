#!/usr/bin/env bash
# Remembered devices through the AWS CLI (issue 16): a pool with DeviceConfiguration, a sign-in that returns NewDeviceMetadata,
# confirm-device with a device verifier (computed here as amazon-cognito-identity-js does), then the Admin* device actions:
# admin-list-devices, admin-get-device, admin-update-device-status, admin-forget-device, and their errors; get-device and
# list-devices with the access token; a sign-in with DEVICE_KEY of a known device gets no new device; devices go with the user.
#
#   COGNATE_ENDPOINT=http://127.0.0.1:PORT bash test/interop/cli/devices.sh
#
# Prints `cli-devices: N passed, N failed`. Never prints tokens.
set -euo pipefail

CLI_SUITE_TMP=cognate-cli-dev
# shellcheck source=../lib/cli-suite.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-suite.sh"

RUNID="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
USER="dev-$RUNID"
PW='Cli-Device-1a!'

step "create-user-pool with device-configuration" create-user-pool --pool-name "devices-$RUNID" \
  --device-configuration ChallengeRequiredOnNewDevice=true,DeviceOnlyRememberedOnUserPrompt=true || true
POOL="$(jget 'd["UserPool"]["Id"]')"
check "describe echoes DeviceConfiguration" test "$(jget 'd["UserPool"]["DeviceConfiguration"]["DeviceOnlyRememberedOnUserPrompt"]')" = "True"
step "create-user-pool-client" create-user-pool-client --user-pool-id "$POOL" --client-name cli \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH || true
CLIENT="$(jget 'd["UserPoolClient"]["ClientId"]')"
step "admin-create-user" admin-create-user --user-pool-id "$POOL" --username "$USER" --message-action SUPPRESS || true
step "admin-set-user-password" admin-set-user-password --user-pool-id "$POOL" --username "$USER" --password "$PW" --permanent || true

step "initiate-auth returns NewDeviceMetadata" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$USER,PASSWORD=$PW" || true
ACCESS="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
DKEY="$(jget 'd["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]')"
DGROUP="$(jget 'd["AuthenticationResult"]["NewDeviceMetadata"]["DeviceGroupKey"]')"
check "DeviceKey is {region}_{uuid}" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", sys.argv[1]) else 1)' "$DKEY"
check "DeviceGroupKey present" test -n "$DGROUP"

# The device verifier as amazon-cognito-identity-js computes it (reference §4.7): x = H(salt ‖ H(group ‖ key ‖ ":" ‖ password)), v = g^x mod N.
VERIFIER_CONFIG="$(python3 - "$DGROUP" "$DKEY" <<'PY'
import base64, hashlib, os, sys
N = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
def pad(n):
    h = format(n, "x")
    if len(h) % 2: h = "0" + h
    if int(h[0], 16) >= 8: h = "00" + h
    return bytes.fromhex(h)
group, key = sys.argv[1], sys.argv[2]
password = base64.b64encode(os.urandom(40)).decode()
salt = int.from_bytes(os.urandom(16), "big")
inner = hashlib.sha256(f"{group}{key}:{password}".encode()).digest()
x = int.from_bytes(hashlib.sha256(pad(salt) + inner).digest(), "big")
v = pow(2, x, N)
print(f"PasswordVerifier={base64.b64encode(pad(v)).decode()},Salt={base64.b64encode(pad(salt)).decode()}")
PY
)"
step "confirm-device (DeviceOnlyRememberedOnUserPrompt: UserConfirmationNecessary true)" confirm-device --access-token "$ACCESS" \
  --device-key "$DKEY" --device-secret-verifier-config "$VERIFIER_CONFIG" --device-name "cli-laptop" || true
check "UserConfirmationNecessary = true" test "$(jget 'd["UserConfirmationNecessary"]')" = "True"
expect_error "confirm-device of an unknown key: ResourceNotFoundException" ResourceNotFoundException confirm-device --access-token "$ACCESS" \
  --device-key "us-east-1_00000000-0000-4000-8000-000000000000" --device-secret-verifier-config "$VERIFIER_CONFIG"

step "admin-list-devices" admin-list-devices --user-pool-id "$POOL" --username "$USER" || true
check "one device, not_remembered, named" test "$(jget 'str(len(d["Devices"])) + "," + {x["Name"]: x["Value"] for x in d["Devices"][0]["DeviceAttributes"]}["device_status"] + "," + {x["Name"]: x["Value"] for x in d["Devices"][0]["DeviceAttributes"]}["device_name"]')" = "1,not_remembered,cli-laptop"
check "dates present" test -n "$(jget 'd["Devices"][0]["DeviceCreateDate"] and d["Devices"][0]["DeviceLastModifiedDate"] and d["Devices"][0]["DeviceLastAuthenticatedDate"]')"
step "sign-in with DEVICE_KEY of the known, not remembered device" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$USER,PASSWORD=$PW,DEVICE_KEY=$DKEY" || true
check "tokens, no NewDeviceMetadata for a known device" test -n "$(jget 'd["AuthenticationResult"]["AccessToken"]')" -a -z "$(jget 'd["AuthenticationResult"].get("NewDeviceMetadata")')"
step "admin-update-device-status remembered" admin-update-device-status --user-pool-id "$POOL" --username "$USER" \
  --device-key "$DKEY" --device-remembered-status remembered || true
step "admin-get-device" admin-get-device --user-pool-id "$POOL" --username "$USER" --device-key "$DKEY" || true
check "device_status = remembered" test "$(jget '{x["Name"]: x["Value"] for x in d["Device"]["DeviceAttributes"]}["device_status"]')" = "remembered"
expect_error "admin-update-device-status bad value: InvalidParameterException (or the CLI's own check)" "InvalidParameterException|ValidationException|" \
  admin-update-device-status --user-pool-id "$POOL" --username "$USER" --device-key "$DKEY" --device-remembered-status forgotten

step "sign-in with DEVICE_KEY of the remembered device" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$USER,PASSWORD=$PW,DEVICE_KEY=$DKEY" || true
check "ChallengeRequiredOnNewDevice: DEVICE_SRP_AUTH challenge" test "$(jget 'd["ChallengeName"]')" = "DEVICE_SRP_AUTH"
step "get-device (access token)" get-device --access-token "$ACCESS" --device-key "$DKEY" || true
step "list-devices --limit 1 (access token)" list-devices --access-token "$ACCESS" --limit 1 || true
check "list-devices shows the device" test "$(jget 'd["Devices"][0]["DeviceKey"]')" = "$DKEY"
expect_error "sign-in with an unknown DEVICE_KEY: ResourceNotFoundException" ResourceNotFoundException initiate-auth --client-id "$CLIENT" \
  --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW,DEVICE_KEY=us-east-1_00000000-0000-4000-8000-000000000000"
step "global-sign-out (remembered devices stay, as Cognito)" global-sign-out --access-token "$ACCESS" || true
step "admin-list-devices after global-sign-out" admin-list-devices --user-pool-id "$POOL" --username "$USER" || true
check "device still listed" test "$(jget 'len(d["Devices"])')" = "1"

step "admin-forget-device" admin-forget-device --user-pool-id "$POOL" --username "$USER" --device-key "$DKEY" || true
expect_error "admin-get-device after forget: ResourceNotFoundException" ResourceNotFoundException admin-get-device --user-pool-id "$POOL" --username "$USER" --device-key "$DKEY"
expect_error "admin-forget-device twice: ResourceNotFoundException" ResourceNotFoundException admin-forget-device --user-pool-id "$POOL" --username "$USER" --device-key "$DKEY"

# Devices go with their user.
step "another sign-in (a new device)" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW" || true
step "admin-delete-user" admin-delete-user --user-pool-id "$POOL" --username "$USER" || true
step "admin-create-user (same name again)" admin-create-user --user-pool-id "$POOL" --username "$USER" --message-action SUPPRESS || true
step "admin-list-devices of the new user" admin-list-devices --user-pool-id "$POOL" --username "$USER" || true
check "no devices carried over" test "$(jget 'len(d["Devices"])')" = "0"

cidp delete-user-pool --user-pool-id "$POOL" || true
echo "cli-devices: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
