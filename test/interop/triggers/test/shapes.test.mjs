// Events recorded by the rig's functions during the journeys, compared with the documented shapes (shapes/*.json) field by
// field: the same keys, no missing and no extra, and the same JSON type for every value, outside `response`.
// Runs after journeys.test.mjs (files run in name order with --test-concurrency=1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pending, recordedEvents } from './rig.mjs';

const dir = path.join(import.meta.dirname, '..', 'shapes');
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between `got` and the documented `want` at `at` (a dotted path; array items as `[]`). */
export function compare(fixture, want, got, at = '', out = []) {
  const rel = at.replace(/^\./, '');
  if (rel === 'response') {
    if (typeOf(got) !== 'object') out.push(`response: expected an object, got ${typeOf(got)}`);
    return out;
  }
  if (fixture.nullable.includes(rel) && got === null) return out;
  if (fixture.maps.includes(rel)) {
    if (typeOf(got) !== 'object') out.push(`${rel}: expected a string map, got ${typeOf(got)}`);
    else for (const [k, v] of Object.entries(got)) if (typeof v !== 'string') out.push(`${rel}.${k}: map values are strings, got ${typeOf(v)}`);
    return out;
  }
  if ((fixture.objects ?? []).includes(rel)) {
    if (typeOf(got) !== 'object') out.push(`${rel}: expected an object, got ${typeOf(got)}`);
    return out;
  }
  if (fixture.nullable.includes(rel) && typeof got === 'string') return out;
  if (typeOf(want) !== typeOf(got)) {
    out.push(`${rel || '(event)'}: expected ${typeOf(want)}, got ${typeOf(got)}`);
    return out;
  }
  if (typeOf(want) === 'array') {
    if (want.length > 0) for (const item of got) compare(fixture, want[0], item, `${at}[]`, out);
  } else if (typeOf(want) === 'object') {
    for (const k of Object.keys(want)) {
      const p = `${rel ? `${rel}.` : ''}${k}`;
      if (!(k in got)) { if (!fixture.optional.includes(p)) out.push(`${p}: missing`); continue; }
      compare(fixture, want[k], got[k], `.${p}`, out);
    }
    for (const k of Object.keys(got)) if (!(k in want)) out.push(`${rel ? `${rel}.` : ''}${k}: not in the documented shape`);
  }
  return out;
}

describe('recorded events match the documented shapes', () => {
  for (const fixture of fixtures) {
    const source = fixture.exact.triggerSource;
    it(`[shape:${source}] ${source}`, pending(`shape:${source}`), () => {
      const events = recordedEvents().filter((e) => e.triggerSource === source && !String(e.userName).startsWith('selfcheck'));
      assert.ok(events.length > 0, `no ${source} event was recorded by the journeys`);
      const got = events.at(-1);
      for (const [k, v] of Object.entries(fixture.exact)) assert.equal(got[k], v, `${k}`);
      assert.deepEqual(compare(fixture, fixture.event, got), []);
    });
  }

  it('the comparison itself finds a missing, an extra and a mistyped field', () => {
    const fixture = fixtures.find((f) => f.exact.triggerSource === 'PreSignUp_SignUp');
    const bad = structuredClone(fixture.event);
    delete bad.callerContext.clientId;
    bad.request.extra = 1;
    bad.version = 1;
    assert.deepEqual(compare(fixture, fixture.event, bad).sort(),
      ['callerContext.clientId: missing', 'request.extra: not in the documented shape', 'version: expected string, got number']);
  });

  it('the comparison takes any members in an `objects` path (claim sets) but not a non-object there', () => {
    const fixture = fixtures.find((f) => f.exact.triggerSource === 'InboundFederation_ExternalProvider');
    const ok = structuredClone(fixture.event);
    ok.request.attributes.idToken = { sub: 'x', email_verified: true, iat: 1, amr: ['pwd'] };
    assert.deepEqual(compare(fixture, fixture.event, ok), []);
    const bad = structuredClone(fixture.event);
    bad.request.attributes.userInfo = 'x';
    assert.deepEqual(compare(fixture, fixture.event, bad), ['request.attributes.userInfo: expected an object, got string']);
  });
});
