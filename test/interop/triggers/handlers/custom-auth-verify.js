// VerifyAuthChallengeResponse (AWS guide "Verify Auth challenge response Lambda trigger"): the answer must equal the code
// CreateAuthChallenge kept in privateChallengeParameters.
exports.handler = async (event) => {
  event.response.answerCorrect = event.request.privateChallengeParameters.secretLoginCode === event.request.challengeAnswer;
  return event;
};
