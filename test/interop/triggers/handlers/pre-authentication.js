// PreAuthentication: the AWS developer guide's example (deny sign-in from one app client), plus a deny-list of usernames
// so a test can refuse one user. Configure with BLOCKED_CLIENT_ID / BLOCKED_USERS (comma-separated).
exports.handler = async (event) => {
  const blockedClient = process.env.BLOCKED_CLIENT_ID || 'user-pool-app-client-id-to-be-blocked';
  if (event.callerContext.clientId === blockedClient) {
    throw new Error('Cannot authenticate users from this user pool app client');
  }
  const blockedUsers = (process.env.BLOCKED_USERS || 'blocked-user').split(',');
  if (blockedUsers.includes(event.userName)) {
    throw new Error('This user may not sign in');
  }
  return event;
};
