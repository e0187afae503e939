// Verify auth challenge response: the magic-code example compares the answer with the private challenge parameter.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('verify-auth-challenge', event);
  event.response.answerCorrect = event.request.privateChallengeParameters.answer === event.request.challengeAnswer;
  return event;
};
