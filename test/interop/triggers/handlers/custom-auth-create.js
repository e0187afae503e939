// CreateAuthChallenge for a magic code (AWS guide "Create Auth challenge Lambda trigger"): a new random code on the first
// custom challenge, the same code (carried in challengeMetadata) on a retry; the code itself goes only into the private
// parameters (a real function would email it). `deliver` is a test seam: where the code is "sent".
const { randomInt } = require('node:crypto');

exports.deliver = (_event, _code) => {};

exports.handler = async (event) => {
  const previous = [...event.request.session].reverse().find((s) => s.challengeName === 'CUSTOM_CHALLENGE');
  const code = previous && previous.challengeMetadata ? previous.challengeMetadata.replace(/^CODE-/, '') : String(randomInt(100000, 1000000));
  if (!previous) exports.deliver(event, code);
  event.response.publicChallengeParameters = { email: event.request.userAttributes.email || '' };
  event.response.privateChallengeParameters = { secretLoginCode: code };
  event.response.challengeMetadata = `CODE-${code}`;
  return event;
};
