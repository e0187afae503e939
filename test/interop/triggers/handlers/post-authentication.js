// PostAuthentication: the AWS developer guide's example records the sign-in (here: to the console, without the attributes'
// values) and returns the event unchanged. A username in FAIL_USERS makes it throw, to show that no tokens are issued then.
exports.handler = async (event) => {
  console.log(`${event.userName} signed in to ${event.userPoolId} with client ${event.callerContext.clientId}`);
  const failUsers = (process.env.FAIL_USERS || '').split(',').filter(Boolean);
  if (failUsers.includes(event.userName)) {
    throw new Error('Post authentication bookkeeping failed');
  }
  return event;
};
