// Verifies a key-signed Sigstore bundle with sigstore-js (`@sigstore/verify`), the verifier of
// npm provenance: node sigstore-js-verify.cjs BUNDLE ARTIFACT PUBLIC_KEY_PEM
// Prints "VERIFIED" and exits 0, or prints the error and exits 1. Run with NODE_PATH pointing at
// a node_modules that has @sigstore/verify and @sigstore/bundle (see interop.sh).
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity } = require('@sigstore/verify');

const [bundlePath, artifactPath, keyPath] = process.argv.slice(2);
try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  const publicKey = crypto.createPublicKey(fs.readFileSync(keyPath));
  // The key comes from the caller, whatever hint the bundle carries (hints are not trusted).
  const trust = {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey, validFor: () => true }),
  };
  // Offline key-signed bundles carry no log entry or timestamp: require none.
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle, fs.readFileSync(artifactPath)));
  console.log('VERIFIED');
} catch (e) {
  console.log(`FAILED: ${e.code || ''} ${e.message}`);
  process.exit(1);
}
