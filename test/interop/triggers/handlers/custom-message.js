// CustomMessage handler after the AWS guide's sign-up and admin-create-user examples: a branded text for the sign-up code and
// for the invitation, built from the request's placeholders (never the code itself, which Cognito fills in afterwards).
exports.handler = async (event) => {
  const code = event.request.codeParameter;
  switch (event.triggerSource) {
    case 'CustomMessage_SignUp':
    case 'CustomMessage_ResendCode': {
      const text = `Welcome to Acme. Your confirmation code is ${code}.`;
      event.response.smsMessage = text;
      event.response.emailMessage = text;
      event.response.emailSubject = 'Welcome to Acme';
      break;
    }
    case 'CustomMessage_AdminCreateUser': {
      const text = `You were invited to Acme. Sign in as ${event.request.usernameParameter} with ${code}.`;
      event.response.smsMessage = text;
      event.response.emailMessage = text;
      event.response.emailSubject = 'Your Acme invitation';
      break;
    }
    case 'CustomMessage_ForgotPassword':
      event.response.emailMessage = `Reset your Acme password with ${code}.`;
      event.response.emailSubject = 'Acme password reset';
      break;
    default:
      break; // the pool's own templates
  }
  return event;
};
