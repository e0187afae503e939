// Failure-path functions: one throws (UserLambdaValidationException), one answers a non-object (InvalidLambdaResponseException).
'use strict';

exports.throws = async () => {
  throw new Error('Deliberate failure from the rig');
};

exports.garbage = async () => 'not an event';
