// PostConfirmation handler: nothing is read from its answer; it records who was confirmed and how, the way a real one would
// write a user row or send a welcome email. Set clientMetadata.fail to make it throw (the confirmation still stands).
exports.handler = async (event) => {
  if (event.request.clientMetadata && event.request.clientMetadata.fail) {
    throw new Error('welcome pipeline unavailable');
  }
  console.log(JSON.stringify({ confirmed: event.userName, source: event.triggerSource, status: event.request.userAttributes['cognito:user_status'] }));
  return event;
};
