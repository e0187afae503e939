// aws-jwt-verify's CognitoJwtVerifier on the tokens the .NET side wrote: verifySync over a cached JWKS, one thread (Node is single-threaded).
// Usage: node verify.mjs <dir with tokens.json and jwks.json> <seconds>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const [dir, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? "3");
const { userPoolId, clientId, tokens } = JSON.parse(readFileSync(join(dir, "tokens.json"), "utf8"));
const jwks = JSON.parse(readFileSync(join(dir, "jwks.json"), "utf8"));
const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: "access", clientId });
verifier.cacheJwks(jwks);

function run(ms) {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) verifier.verifySync(tokens[(n + i) % tokens.length]);
    n += 64;
  }
  return n;
}
run(1000); // warm-up (JIT)
const start = performance.now();
const n = run(seconds * 1000);
const elapsed = (performance.now() - start) / 1000;
console.log(JSON.stringify({ validations: n, seconds: elapsed, perSecond: n / elapsed }));
