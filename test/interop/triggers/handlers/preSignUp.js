// Pre sign-up: the AWS developer guide's "auto-confirm and auto-verify" example (user-pool-lambda-pre-sign-up).
// Confirms every user who signs up with an address of the example domain, and marks the email / phone verified when present.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('pre-signup', event);
  const email = event.request.userAttributes.email || '';
  if (event.request.userAttributes['custom:deny'] === 'yes') {
    throw new Error('Sign-up refused by policy');
  }
  if (email.endsWith('@example.com')) {
    event.response.autoConfirmUser = true;
    if (Object.hasOwn(event.request.userAttributes, 'email')) event.response.autoVerifyEmail = true;
    if (Object.hasOwn(event.request.userAttributes, 'phone_number')) event.response.autoVerifyPhone = true;
  }
  return event;
};
