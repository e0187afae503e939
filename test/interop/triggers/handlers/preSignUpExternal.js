// Pre sign-up for federated users (triggerSource PreSignUp_ExternalProvider, the first sign-in through an identity provider):
// records the event and lets the sign-up through; a user whose mapped `custom:dept` is "Blocked" is refused.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('pre-signup-external', event);
  if (event.triggerSource === 'PreSignUp_ExternalProvider' && event.request.userAttributes['custom:dept'] === 'Blocked') {
    throw new Error('Federated sign-up refused by policy');
  }
  return event;
};
