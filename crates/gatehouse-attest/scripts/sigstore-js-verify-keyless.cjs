// Verifies a certificate-carrying ("keyless") Sigstore bundle with sigstore-js
// (`@sigstore/verify`) against a trusted root file, with an identity and issuer policy:
//   node sigstore-js-verify-keyless.cjs BUNDLE ARTIFACT TRUSTED_ROOT IDENTITY ISSUER
// One transparency-log entry is required; no CT log (the test CA logs to none).
// Prints "VERIFIED" and exits 0, or prints the error and exits 1. Run with NODE_PATH pointing at
// a node_modules that has @sigstore/verify, @sigstore/bundle and @sigstore/protobuf-specs.
'use strict';
const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [bundlePath, artifactPath, rootPath, identity, issuer] = process.argv.slice(2);
try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8')));
  const verifier = new Verifier(toTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });
  verifier.verify(toSignedEntity(bundle, fs.readFileSync(artifactPath)), {
    subjectAlternativeName: identity,
    extensions: { issuer },
  });
  console.log('VERIFIED');
} catch (e) {
  console.log(`FAILED: ${e.code || ''} ${e.message}`);
  process.exit(1);
}
