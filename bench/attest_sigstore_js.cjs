// The peer for bench/attest.sh: sigstore-js (`@sigstore/verify`, npm provenance's verifier)
// verifying the same bundles N times each. Usage (NODE_PATH = node_modules with @sigstore/*):
//   node attest_sigstore_js.cjs N SUITE_DIR KEY_BUNDLE ARTIFACT KEY_PUB
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const path = require('path');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [n, suite, keyBundle, artifactPath, keyPub] = process.argv.slice(2);
const N = Number(n);
const artifact = fs.readFileSync(path.join(suite, 'bundle-verify/a.txt'));
const IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const root = (p) => toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(path.join(suite, p)))));
const bundle = (p) => JSON.parse(fs.readFileSync(p));
const publicKey = crypto.createPublicKey(fs.readFileSync(keyPub));
const keyTrust = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [],
  publicKey: () => ({ publicKey, validFor: () => true }) };
const cases = [
  ['keyless v0.3, Rekor v1 (SET + inclusion proof + checkpoint)', root('prod_trusted_root.json'),
    bundle(path.join(suite, 'bundle-verify/happy-path-v0.3/bundle.sigstore.json')), artifact, {}],
  ['keyless v0.3, DSSE in-toto, Rekor v1', root('prod_trusted_root.json'),
    bundle(path.join(suite, 'bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json')), artifact, {}],
  ['keyless v0.3, Rekor v2 + RFC 3161 timestamp', root('bundle-verify/rekor2-happy-path/trusted_root.json'),
    bundle(path.join(suite, 'bundle-verify/rekor2-happy-path/bundle.sigstore.json')), artifact, {}],
  ['key, gatehouse sign-blob (no tlog, thresholds 0)', keyTrust, bundle(keyBundle),
    fs.readFileSync(artifactPath), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }],
];
console.log(`${N} verifications per kind (parse bundle + verify, artifact bytes in memory)`);
for (const [name, trust, json, data, opts] of cases) {
  const keyless = !name.startsWith('key,');
  const policy = keyless ? { subjectAlternativeName: IDENTITY, extensions: { issuer: ISSUER } } : undefined;
  const once = () => new Verifier(trust, opts).verify(toSignedEntity(bundleFromJSON(json), data), policy);
  once();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) once();
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name.padEnd(62)} ${(N / secs).toFixed(0).padStart(12)} ${(secs * 1e6 / N).toFixed(1).padStart(12)}`);
}
