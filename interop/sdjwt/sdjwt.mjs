// Reads one JSON request on stdin and writes one JSON answer on stdout.
//
//   {"op": "verify", "token": "...", "issuerJwk": {...}, "nonce": "...", "aud": "...", "now": 1700000000}
//     verifies an SD-JWT VC presentation (key binding required) with the issuer's public
//     JWK; the KB-JWT is checked against cnf.jwk. Answers {"ok": true, "claims": {...}}.
//   {"op": "issue", "issuerJwk": {...private...}, "holderJwk": {...private...},
//    "claims": {...}, "disclose": ["given_name", ...], "present": ["given_name"],
//    "nonce": "...", "aud": "...", "now": 1700000000}
//     issues an SD-JWT VC (ES256) with each top-level claim in "disclose" selectively
//     disclosable and cnf.jwk the holder's public key, then presents the claims in
//     "present" with a KB-JWT. Answers {"ok": true, "issued": "...", "presentation": "..."}.
//
// Any failure answers {"ok": false, "error": "..."} and exits 0, so the caller tells a
// rejection from a broken run.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';

const publicOf = ({ d, ...pub }) => pub;

async function verify(req) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier(req.issuerJwk),
    kbVerifier: async (data, sig, payload) => {
      const jwk = payload?.cnf?.jwk;
      if (!jwk) return false;
      return (await ES256.getVerifier(jwk))(data, sig);
    },
  });
  const res = await sdjwt.verify(req.token, {
    keyBindingNonce: req.nonce,
    requireKeyBindings: true,
    currentDate: req.now,
  });
  if (!res.kb) throw new Error('no key binding JWT');
  if (res.kb.payload.aud !== req.aud) throw new Error('audience mismatch');
  return { claims: await sdjwt.getClaims(req.token) };
}

async function issue(req) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signer: await ES256.getSigner(req.issuerJwk),
    signAlg: ES256.alg,
    kbSigner: await ES256.getSigner(req.holderJwk),
    kbSignAlg: ES256.alg,
  });
  const payload = { ...req.claims, iat: req.now, cnf: { jwk: publicOf(req.holderJwk) } };
  const issued = await sdjwt.issue(payload, { _sd: req.disclose });
  const frame = Object.fromEntries(req.present.map((k) => [k, true]));
  const presentation = await sdjwt.present(issued, frame, {
    kb: { payload: { iat: req.now, aud: req.aud, nonce: req.nonce } },
  });
  return { issued, presentation };
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
  const req = JSON.parse(input);
  const ops = { verify, issue };
  if (!ops[req.op]) throw new Error(`unknown op ${req.op}`);
  process.stdout.write(JSON.stringify({ ok: true, ...(await ops[req.op](req)) }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e?.message ?? e) }) + '\n');
}
