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

# Newer than the botocore on this image: the operations of the JS SDK @aws-sdk/client-cognito-identity-provider (SDK_VERSION,
# the one test/interop/node pins) that botocore lacks, added only where botocore lacks them, so a newer botocore wins.
# Their request shapes come from the SDK's dist-types (every member, its TypeScript type, required = no `?`) and enums.d.ts;
# which are unsigned from the SDK's auth-scheme switch (smithy.api#noAuth). Scalar constraints the SDK does not carry come from
# botocore's shape for the same member name where Cognito reuses it (MEMBER_SHAPES), else from the API reference (NEW_SCALARS).
SDK_VERSION = '3.1169.0'

def sdk_package():
    """The unpacked SDK package: $COGNATE_SDK_DIR, or `npm pack` of SDK_VERSION into a temporary directory."""
    d = os.environ.get('COGNATE_SDK_DIR')
    if d:
        return d
    import subprocess, tarfile, tempfile
    tmp = tempfile.mkdtemp(prefix='cognito-sdk-')
    name = subprocess.run(['npm', 'pack', f'@aws-sdk/client-cognito-identity-provider@{SDK_VERSION}', '--silent'],
                          cwd=tmp, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tarfile.open(os.path.join(tmp, name)) as t:
        t.extractall(tmp, filter='data')
    return os.path.join(tmp, 'package')

# Members whose botocore shape (same name, same meaning) constrains them in the newer operations too.
MEMBER_SHAPES = {'UserPoolId': 'UserPoolIdType', 'ClientId': 'ClientIdType', 'Username': 'UsernameType',
                 'AccessToken': 'TokenModelType', 'NextToken': 'PaginationKeyType', 'TermsName': 'TermsNameType',
                 'UserPoolTags': 'UserPoolTagsType', 'RegionName': 'RegionCodeType', 'Secret': 'ClientSecretType',
                 'Scopes': 'ScopeListType', 'ClientMetadata': 'ClientMetadataType'}
# Scalars new in 2025-2026, constrained as the API reference documents them (ranges in the members' doc strings).
NEW_SCALARS = {
    'MaxPerUser': {'type': 'integer', 'min': 1, 'max': 100},          # UserPoolTokenSessionConfigType: 1..100, default 20
    'MaxValidityMinutes': {'type': 'integer', 'min': 0, 'max': 129600},  # ClientSSOSessionConfigType: minutes, 0..90 days
    'SessionId': {'type': 'string', 'min': 1, 'max': 128, 'pattern': '[\\S]+'},
    'RequestedLimitValue': {'type': 'integer', 'min': 1},
}

def sdk_ops(pkg):
    import re
    types = os.path.join(pkg, 'dist-types')
    text = ''.join(open(os.path.join(types, 'models', f)).read() for f in sorted(os.listdir(os.path.join(types, 'models')))
                   if f.startswith('models_'))
    interfaces = {}
    for name, body in re.findall(r'^export interface (\w+) \{\n(.*?)^\}', text, re.M | re.S):
        interfaces[name] = [(mname, t, q != '?') for mname, q, t in
                            re.findall(r'^    (\w+)(\??): (.+?);$', body, re.M)]
    enums = {name: re.findall(r'readonly \w+: "([^"]+)"', body) for name, body in
             re.findall(r'^export declare const (\w+): \{\n(.*?)^\};', open(os.path.join(types, 'models', 'enums.d.ts')).read(), re.M | re.S)}
    cjs = open(os.path.join(pkg, 'dist-cjs', 'index.js')).read()
    noauth = set(re.findall(r'case "(\w+)":\s*\{\s*options\.push\(createSmithyApiNoAuthHttpAuthOption\(\)\)', cjs))
    commands = sorted(f[:-len('Command.d.ts')] for f in os.listdir(os.path.join(types, 'commands')) if f.endswith('Command.d.ts'))
    return interfaces, enums, noauth, commands

def add_sdk_shape(member, ts, interfaces, enums):
    """The model shape name for a member of TypeScript type `ts`, adding new shapes to `keep` as needed."""
    ts = ts.replace(' | undefined', '').strip()
    if member in MEMBER_SHAPES and MEMBER_SHAPES[member] in shapes:
        visit(MEMBER_SHAPES[member]); return MEMBER_SHAPES[member]
    if member in NEW_SCALARS:
        name = member + 'Type'
        keep.setdefault(name, dict(NEW_SCALARS[member])); return name
    if ts == 'string':
        visit('StringType'); return 'StringType'
    if ts == 'number':
        keep.setdefault('IntegerType', {'type': 'integer'}); return 'IntegerType'
    if ts == 'boolean':
        visit('BooleanType'); return 'BooleanType'
    if ts == 'Record<string, string>':
        name = member + 'MapType'
        visit('StringType'); keep.setdefault(name, {'type': 'map', 'key': 'StringType', 'value': 'StringType'}); return name
    if ts.endswith('[]'):
        inner = add_sdk_shape(member + 'Item', ts[:-2], interfaces, enums)
        name = member + 'ListType'
        keep.setdefault(name, {'type': 'list', 'member': inner}); return name
    if ts in shapes:                      # an enum or structure botocore already has under that name
        visit(ts); return ts
    if ts in enums:
        keep[ts] = {'type': 'string', 'enum': enums[ts]}; return ts
    if ts in interfaces:
        add_sdk_structure(ts, interfaces, enums); return ts
    raise SystemExit(f'gen-service-model: no mapping for {member}: {ts}')

def add_sdk_structure(name, interfaces, enums):
    if name in keep:
        return
    members = interfaces[name]
    keep[name] = t = {'type': 'structure', 'required': [m for m, _, req in members if req], 'members': {}}
    if not t['required']:
        del t['required']
    for m, ts, _ in members:
        t['members'][m] = add_sdk_shape(m, ts, interfaces, enums)

interfaces, enums, noauth, commands = sdk_ops(sdk_package())
for name in commands:
    if name in ops:
        continue
    shape = name + 'Request'
    if shape not in interfaces:
        raise SystemExit(f'gen-service-model: {name}: no {shape} in the SDK')
    add_sdk_structure(shape, interfaces, enums)
    ops[name] = {'input': shape, 'unsigned': name in noauth}
# GetClientToken: the SDK signs it, but the developer guide ("Scopes, M2M, and resource servers") says IAM is not evaluated and
# the client secret authorizes it: unsigned here (a signature, when sent, is ignored).
if 'GetClientToken' in ops:
    ops['GetClientToken']['unsigned'] = True
ops = dict(sorted(ops.items()))
# ALLOW_CLIENT_TOKEN_AUTH: the ExplicitAuthFlowsType value GetClientToken requires (developer guide); added where the model lacks it.
if 'ALLOW_CLIENT_TOKEN_AUTH' not in keep['ExplicitAuthFlowsType']['enum']:
    keep['ExplicitAuthFlowsType']['enum'] = keep['ExplicitAuthFlowsType']['enum'] + ['ALLOW_CLIENT_TOKEN_AUTH']

out = {'apiVersion': model['metadata']['apiVersion'], 'source': 'botocore ' + botocore.__version__ + ' + @aws-sdk/client-cognito-identity-provider ' + SDK_VERSION,
       'operations': ops, 'shapes': dict(sorted(keep.items()))}
dst = os.path.join(os.path.dirname(__file__), '..', 'src', 'Cognate.Server', 'Protocol', 'Model', 'cognito-idp.json')
with open(dst, 'w') as f:
    json.dump(out, f, indent=0, sort_keys=False)
    f.write('\n')
print(f'{len(ops)} operations, {len(keep)} shapes -> {os.path.normpath(dst)}')
