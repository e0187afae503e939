// UserMigration: the AWS developer guide's "migrate a user with an existing password" example over a fake legacy store.
// The legacy store knows LEGACY_USER (default "legacy-lena") with LEGACY_PASSWORD (default "legacy-pw", weaker than most
// pool policies: migrated passwords are not checked against the policy). Never log the event: it carries the password.
const legacy = {
  [process.env.LEGACY_USER || 'legacy-lena']: {
    password: process.env.LEGACY_PASSWORD || 'legacy-pw',
    email: process.env.LEGACY_EMAIL || 'legacy-lena@example.com',
  },
};

exports.handler = async (event) => {
  const user = legacy[event.userName];
  if (event.triggerSource === 'UserMigration_Authentication') {
    if (!user || user.password !== event.request.password) throw new Error('Bad password');
    event.response.userAttributes = { email: user.email, email_verified: 'true' };
    event.response.finalUserStatus = 'CONFIRMED';
    event.response.messageAction = 'SUPPRESS';
    return event;
  }
  if (event.triggerSource === 'UserMigration_ForgotPassword') {
    if (!user) throw new Error('Bad username');
    // A verified email is needed for the reset code to be sent.
    event.response.userAttributes = { email: user.email, email_verified: 'true' };
    event.response.messageAction = 'SUPPRESS';
    return event;
  }
  throw new Error('Bad triggerSource ' + event.triggerSource);
};
