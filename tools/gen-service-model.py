#!/usr/bin/env python3
"""Generates src/Cognate.Server/Protocol/Model/cognito-idp.json: the request-side constraints of
botocore's cognito-idp service model (operation names, auth type, input shapes with types, required
members, lengths, ranges, patterns, enums and the sensitive flag), without documentation.

The server validates every request against it, so malformed input gets AWS's own constraint errors.
Run: python3 tools/gen-service-model.py   (uses the botocore installed with the image's Python)."""
import gzip, json, os, botocore

src = os.path.join(os.path.dirname(botocore.__file__), 'data', 'cognito-idp', '2016-04-18', 'service-2.json.gz')
model = json.load(gzip.open(src))
ops, shapes, keep = {}, model['shapes'], {}

def visit(name):
    if name in keep:
        return
    s = shapes[name]
    t = {k: v for k, v in s.items() if k in ('type', 'required', 'min', 'max', 'pattern', 'enum', 'sensitive')}
    keep[name] = t
    if s['type'] == 'structure':
        t['members'] = {m: spec['shape'] for m, spec in s.get('members', {}).items()}
        for spec in s.get('members', {}).values():
            visit(spec['shape'])
    elif s['type'] == 'list':
        t['member'] = s['member']['shape']; visit(s['member']['shape'])
    elif s['type'] == 'map':
        t['key'] = s['key']['shape']; t['value'] = s['value']['shape']
        visit(s['key']['shape']); visit(s['value']['shape'])

for name, op in sorted(model['operations'].items()):
    unsigned = op.get('authtype') == 'none' or 'smithy.api#noAuth' in op.get('auth', [])
    ops[name] = {'input': op['input']['shape'] if 'input' in op else None, 'unsigned': unsigned}
    if 'input' in op:
        visit(op['input']['shape'])

# Newer than the botocore on this image: added only where botocore lacks them, so a newer botocore wins.
# GetClientToken (2026, machine-to-machine): shape from @aws-sdk/client-cognito-identity-provider 3.1178.0
# (dist-types/commands/GetClientTokenCommand.d.ts, models_0.d.ts: ClientId and Secret required, Scopes, ClientMetadata).
# The SDK signs it, but the developer guide says IAM is not evaluated and the client secret authorizes it: unsigned here.
# ALLOW_CLIENT_TOKEN_AUTH: the ExplicitAuthFlowsType value GetClientToken requires (developer guide, "Scopes, M2M, and
# resource servers"); neither that SDK nor this botocore lists it yet.
if 'GetClientToken' not in ops:
    ops['GetClientToken'] = {'input': 'GetClientTokenRequest', 'unsigned': True}
    keep['GetClientTokenRequest'] = {'type': 'structure', 'required': ['ClientId', 'Secret'],
                                     'members': {'ClientId': 'ClientIdType', 'Secret': 'ClientSecretType',
                                                 'Scopes': 'ScopeListType', 'ClientMetadata': 'ClientMetadataType'}}
    for shape in ('ClientIdType', 'ClientSecretType', 'ScopeListType', 'ClientMetadataType'):
        visit(shape)
    ops = dict(sorted(ops.items()))
if 'ALLOW_CLIENT_TOKEN_AUTH' not in keep['ExplicitAuthFlowsType']['enum']:
    keep['ExplicitAuthFlowsType']['enum'] = keep['ExplicitAuthFlowsType']['enum'] + ['ALLOW_CLIENT_TOKEN_AUTH']

out = {'apiVersion': model['metadata']['apiVersion'], 'source': 'botocore ' + botocore.__version__,
       'operations': ops, 'shapes': dict(sorted(keep.items()))}
dst = os.path.join(os.path.dirname(__file__), '..', 'src', 'Cognate.Server', 'Protocol', 'Model', 'cognito-idp.json')
with open(dst, 'w') as f:
    json.dump(out, f, indent=0, sort_keys=False)
    f.write('\n')
print(f'{len(ops)} operations, {len(keep)} shapes -> {os.path.normpath(dst)}')
