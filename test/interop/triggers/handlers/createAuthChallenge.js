// Create auth challenge: the magic-code example. The first CUSTOM_CHALLENGE of a session makes a 6-digit code and "mails" it
// (here: writes it where the rig reads it, RIG_CODES_DIR/{userName}); later rounds re-use the code kept in challengeMetadata,
// as the AWS developer guide's example does ("CODE-123456").
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('create-auth-challenge', event);
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') return event;
  const session = event.request.session || [];
  const previous = [...session].reverse().find((s) => s.challengeName === 'CUSTOM_CHALLENGE' && s.challengeMetadata);
  let code;
  if (previous) {
    code = previous.challengeMetadata.replace(/^CODE-/, '');
  } else {
    code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    if (process.env.RIG_CODES_DIR) {
      fs.mkdirSync(process.env.RIG_CODES_DIR, { recursive: true });
      fs.writeFileSync(path.join(process.env.RIG_CODES_DIR, encodeURIComponent(event.userName)), code);
    }
  }
  event.response.publicChallengeParameters = { email: event.request.userAttributes.email || '', hint: 'Enter the code we sent you' };
  event.response.privateChallengeParameters = { answer: code };
  event.response.challengeMetadata = `CODE-${code}`;
  return event;
};
