// Define auth challenge: the classic passwordless "magic code" trio of the AWS developer guide (user-pool-lambda-challenge):
// one CUSTOM_CHALLENGE, three tries, then fail. An SRP_A / PASSWORD_VERIFIER prefix (CUSTOM_AUTH with SRP, as
// amazon-cognito-identity-js drives it) is accepted first and then the custom challenge follows.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('define-auth-challenge', event);
  const session = event.request.session || [];
  const last = session[session.length - 1];
  const custom = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE');
  if (event.request.userNotFound) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else if (last && last.challengeName === 'SRP_A') {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last && last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult === false) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (custom.length >= 3) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
