// PreSignUp handler after the AWS guide's "Auto-confirm and auto-verify all users" example: confirms every user and marks
// the email / phone number verified when the sign-up carries one. A ValidationData entry `deny` refuses the sign-up
// (Cognito answers UserLambdaValidationException "PreSignUp failed with error <message>.").
exports.handler = async (event) => {
  if (event.request.validationData && event.request.validationData.deny) {
    throw new Error(`sign-up refused for ${event.userName}`);
  }
  event.response.autoConfirmUser = true;
  if (event.request.userAttributes.email) event.response.autoVerifyEmail = true;
  if (event.request.userAttributes.phone_number) event.response.autoVerifyPhone = true;
  return event;
};
