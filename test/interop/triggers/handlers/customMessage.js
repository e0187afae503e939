// Custom message: the AWS developer guide's example (user-pool-lambda-custom-message): a branded sign-up email that keeps the
// code placeholder (Cognito requires {####} in the message), and a forgot-password text.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('custom-message', event);
  const code = event.request.codeParameter;
  if (event.triggerSource === 'CustomMessage_SignUp' || event.triggerSource === 'CustomMessage_ResendCode') {
    event.response.smsMessage = `Welcome to Cognate Rig. Your confirmation code is ${code}.`;
    event.response.emailSubject = 'Welcome to Cognate Rig';
    event.response.emailMessage = `Thank you for signing up to Cognate Rig. Your confirmation code is ${code}.`;
  } else if (event.triggerSource === 'CustomMessage_ForgotPassword') {
    event.response.emailSubject = 'Cognate Rig password reset';
    event.response.emailMessage = `Use ${code} to reset the password of ${event.userName}.`;
  } else if (event.triggerSource === 'CustomMessage_AdminCreateUser') {
    event.response.emailSubject = 'Your Cognate Rig account';
    event.response.emailMessage = `Your username is ${event.request.usernameParameter} and your temporary password is ${code}.`;
  }
  return event;
};
