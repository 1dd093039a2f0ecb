"""Verifies a gatehouse DSSE envelope with securesystemslib and checks that its payload is a
valid in-toto Statement v1 (in-toto-attestation's own validator) about the given digest:

    python securesystemslib-verify.py ENVELOPE PUBLIC_KEY_PEM SHA256_HEX

Prints "VERIFIED <predicateType>" and exits 0, else prints the reason and exits 1.
"""

import hashlib
import json
import sys

from cryptography.hazmat.primitives import serialization
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey

envelope_path, key_path, want_digest = sys.argv[1:4]
pem = open(key_path, "rb").read()
der = serialization.load_pem_public_key(pem).public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)
# gatehouse's DSSE key id: hex SHA-256 of the DER public key.
key = SSlibKey(hashlib.sha256(der).hexdigest(), "ecdsa", "ecdsa-sha2-nistp256", {"public": pem.decode()})
try:
    envelope = Envelope.from_dict(json.load(open(envelope_path)))
    envelope.verify([key], 1)
    payload = json.loads(envelope.payload)
    pb = json_format.ParseDict(payload, statement_pb2.Statement())
    Statement.copy_from_pb(pb).validate()
    subjects = [s.get("digest", {}).get("sha256") for s in payload["subject"]]
    if want_digest not in subjects:
        raise ValueError(f"no subject has sha256 {want_digest}: {subjects}")
    print("VERIFIED", payload["predicateType"])
except Exception as e:  # noqa: BLE001 - every failure is a verification failure
    print(f"FAILED: {type(e).__name__}: {e}")
    sys.exit(1)
