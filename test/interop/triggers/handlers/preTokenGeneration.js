// Pre token generation, event version 2 (V2_0): the AWS developer guide's example (user-pool-lambda-pre-token-generation)
// adds a claim of a non-string JSON type to both tokens, suppresses one claim of the ID token and adds a scope to the access token.
'use strict';
const { record } = require('./recorder');

exports.handler = async (event) => {
  record('pre-token-generation', event);
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: {
        claimsToAddOrOverride: { 'custom:tier': 'gold', favorite_numbers: [3, 7] },
        claimsToSuppress: ['phone_number'],
      },
      accessTokenGeneration: {
        claimsToAddOrOverride: { 'custom:tier': 'gold', entitlements: { reports: true } },
        scopesToAdd: ['reports/read'],
        scopesToSuppress: [],
      },
    },
  };
  return event;
};
