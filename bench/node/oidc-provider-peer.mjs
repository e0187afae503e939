// The oidc-provider side of the OAuth benchmark (bench/load.sh oauth; bench/README.md, "OAuth endpoints").
// oidc-provider 9.13.3 (panva, an OpenID Certified provider) on 127.0.0.1:$PORT with an unbounded in-memory adapter and
// its default development signing key (RS256), configured to do the same work per request as Cognate:
//  - client_credentials: client `m2m` (client_secret_basic), scope `api:read api:write`, the default resource
//    https://api.example.com whose access tokens are RS256 JWTs: one signature per token;
//  - authorization_code: client `app` (client_secret_basic, PKCE S256), scope `openid email offline_access` for the
//    resource https://api.example.com: an ID token and a JWT access token (two signatures) and a refresh token per code,
//    as Cognate issues;
//  - userinfo: opaque access tokens with `openid email` (oidc-provider's userinfo accepts only its own opaque tokens).
// Setup, bench only: codes and userinfo tokens are minted with the provider's own models in this process (there is no
// login page to drive), written to $OUT (JSON) before "ready" is printed. Nothing here is reachable but loopback.
// Env: PORT, OUT (file for minted artifacts), CODES (how many codes, default 60000), SECRET (both clients' secret).
import { writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const out = process.env.OUT;
const codes = Number(process.env.CODES ?? 60000);
const secret = process.env.SECRET ?? 'bench-peer-client-secret-0123456789abcdef';
if (!port || !out) { console.error('PORT and OUT are required'); process.exit(2); }

const issuer = `http://127.0.0.1:${port}`;
const API = 'https://api.example.com';
const REDIRECT = 'http://127.0.0.1/callback';

/**
 * The provider's quick-start memory adapter is an LRU of 1,000 entries: minted codes and grants would be evicted during
 * the run. This one is an unbounded Map with expiry checked on read: the cheapest store there is (Cognate writes to SQLite).
 */
class MapAdapter {
  static store = new Map();
  constructor(name) { this.name = name; }
  key(id) { return `${this.name}:${id}`; }
  async upsert(id, payload, expiresIn) {
    const exp = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
    MapAdapter.store.set(this.key(id), { payload, exp });
    if (payload.grantId) {
      const k = `grant:${payload.grantId}`;
      const list = MapAdapter.store.get(k)?.payload ?? [];
      list.push(this.key(id));
      MapAdapter.store.set(k, { payload: list, exp: Infinity });
    }
    if (payload.uid) MapAdapter.store.set(`uid:${payload.uid}`, { payload: id, exp });
    if (payload.userCode) MapAdapter.store.set(`userCode:${payload.userCode}`, { payload: id, exp });
  }
  get(k) {
    const e = MapAdapter.store.get(k);
    if (!e) return undefined;
    if (e.exp < Date.now()) { MapAdapter.store.delete(k); return undefined; }
    return e.payload;
  }
  async find(id) { return this.get(this.key(id)); }
  async findByUid(uid) { const id = this.get(`uid:${uid}`); return id ? this.find(id) : undefined; }
  async findByUserCode(userCode) { const id = this.get(`userCode:${userCode}`); return id ? this.find(id) : undefined; }
  async consume(id) { const p = await this.find(id); if (p) p.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { MapAdapter.store.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    for (const k of this.get(`grant:${grantId}`) ?? []) MapAdapter.store.delete(k);
    MapAdapter.store.delete(`grant:${grantId}`);
  }
}

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    { client_id: 'm2m', client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read api:write' },
    {
      client_id: 'app', client_secret: secret, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
      redirect_uris: [REDIRECT], scope: 'openid email offline_access api:read',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  scopes: ['openid', 'email', 'offline_access', 'api:read', 'api:write'],
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, email: `${sub}@bench.example`, email_verified: true }),
  }),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? API,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (resource !== API) throw new Error('unknown resource');
        return { scope: 'api:read api:write', audience: API, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  ttl: { AuthorizationCode: 900, AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, RefreshToken: 30 * 24 * 3600, Grant: 30 * 24 * 3600 },
  // No cookies are used (no login page); fixed keys keep the warning quiet.
  cookies: { keys: [randomBytes(32).toString('base64url')] },
});
provider.proxy = false;
// A bad request is answered, not logged at length.
provider.on('server_error', (_ctx, err) => console.error('server_error', err?.message));

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

async function grantFor(sub, clientId, oidcScope, resourceScope) {
  const grant = new provider.Grant({ accountId: sub, clientId });
  grant.addOIDCScope(oidcScope);
  if (resourceScope) grant.addResourceScope(API, resourceScope);
  return grant.save();
}

// Codes: one grant per user (64 users), many codes per grant, as a user signing in again and again would make.
const client = await provider.Client.find('app');
const grants = [];
for (let u = 0; u < 64; u++) grants.push({ sub: `u${String(u).padStart(6, '0')}`, id: await grantFor(`u${String(u).padStart(6, '0')}`, 'app', 'openid email offline_access', 'api:read') });
const minted = [];
const authTime = Math.floor(Date.now() / 1000);
for (let i = 0; i < codes; i++) {
  const g = grants[i % grants.length];
  const code = new provider.AuthorizationCode({
    accountId: g.sub, client, grantId: g.id, redirectUri: REDIRECT, scope: 'openid email offline_access api:read',
    resource: API, codeChallenge: challenge, codeChallengeMethod: 'S256', authTime,
  });
  minted.push(await code.save());
}

// userinfo tokens: opaque, openid email, no resource.
const userinfo = [];
for (let u = 0; u < 64; u++) {
  const sub = `u${String(u).padStart(6, '0')}`;
  const grantId = await grantFor(sub, 'app', 'openid email');
  const at = new provider.AccessToken({ accountId: sub, client, grantId, scope: 'openid email', gty: 'authorization_code' });
  userinfo.push(await at.save());
}

writeFileSync(out, JSON.stringify({
  issuer, clientId: 'app', m2mClientId: 'm2m', secret, redirectUri: REDIRECT, codeVerifier: verifier, codes: minted, userinfoTokens: userinfo,
}));
provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
