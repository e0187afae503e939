// Inbound federation (user-pool-lambda-inbound-federation): rewrites what the upstream said before Cognito maps it. The
// function answers userAttributesToMap with every attribute it wants kept (omitted ones are dropped): the upstream's ID token
// and userInfo claims as strings, `name` upper-cased, and a `nickname` the upstream never sent (`{given}-from-{providerName}`).
'use strict';
const { record } = require('./recorder');

const CLAIMS_KEPT = ['email', 'email_verified', 'name', 'dept'];

exports.handler = async (event) => {
  record('inbound-federation', event);
  const { idToken = {}, userInfo = {} } = event.request.attributes;
  const claims = { ...idToken, ...userInfo };
  const out = {};
  for (const k of CLAIMS_KEPT) if (claims[k] !== undefined && claims[k] !== null) out[k] = String(claims[k]);
  if (out.name) out.name = out.name.toUpperCase();
  out.nickname = `${String(claims.name ?? 'someone').split(' ')[0].toLowerCase()}-from-${event.request.providerName}`;
  event.response.userAttributesToMap = out;
  return event;
};
