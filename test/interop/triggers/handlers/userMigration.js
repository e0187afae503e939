// Migrate user: the AWS developer guide's example (user-pool-lambda-migrate-user) against a fake legacy user store.
// UserMigration_Authentication: the typed password is checked against the legacy store and the user is created CONFIRMED
// without a welcome message; UserMigration_ForgotPassword: the user is created (RESET_REQUIRED by default) so that the
// reset code can be sent. Unknown users: throw, as the example does ("Bad password" / "User does not exist").
'use strict';
const { record } = require('./recorder');

// The "legacy" directory: usernames → password and attributes, as another IdP would have them.
const LEGACY = {
// A username "legacy-alice-{anything}" is Alice (each test run uses a fresh suffix); the email is derived from the username.
  'legacy-alice': { password: 'Legacy-Passw0rd!', attributes: { name: 'Alice Legacy' } },
  'legacy-bob': { password: 'Legacy-Passw0rd!', attributes: { name: 'Bob Legacy' } },
};

function lookup(userName) {
  const key = Object.keys(LEGACY).find((k) => userName === k || userName.startsWith(`${k}-`));
  return key ? LEGACY[key] : undefined;
}

exports.handler = async (event) => {
  record('user-migration', event);
  const user = lookup(event.userName);
  if (event.triggerSource === 'UserMigration_Authentication') {
    if (!user || user.password !== event.request.password) throw new Error('Bad password');
    event.response.userAttributes = { ...user.attributes, email: `${event.userName}@example.com`, email_verified: 'true' };
    event.response.finalUserStatus = 'CONFIRMED';
    event.response.messageAction = 'SUPPRESS';
  } else if (event.triggerSource === 'UserMigration_ForgotPassword') {
    if (!user) throw new Error('User does not exist');
    event.response.userAttributes = { ...user.attributes, email: `${event.userName}@example.com`, email_verified: 'true' };
    event.response.messageAction = 'SUPPRESS';
  } else {
    throw new Error(`Bad triggerSource ${event.triggerSource}`);
  }
  return event;
};
