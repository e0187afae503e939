// Pre authentication: the AWS developer guide's example (user-pool-lambda-pre-authentication) denies sign-in from one
// app client; here it denies every user whose username starts with "blocked" (throwing is how a function denies).
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('pre-authentication', event);
  if (event.userName.startsWith('blocked')) {
    throw new Error('This user is blocked from signing in');
  }
  return event;
};
