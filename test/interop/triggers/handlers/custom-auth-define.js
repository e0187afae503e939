// DefineAuthChallenge for a passwordless magic code (AWS guide "Define Auth challenge Lambda trigger"): with
// CHALLENGE_NAME SRP_A the password comes first (PASSWORD_VERIFIER), then one custom challenge; three wrong answers fail.
exports.handler = async (event) => {
  const session = event.request.session;
  const last = session[session.length - 1];
  if (last && last.challengeName === 'SRP_A') {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length >= 3
      || (last && last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult !== true)) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
