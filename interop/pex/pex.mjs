// Runs the Sphereon Presentation Exchange library (@sphereon/pex) on the units given on
// stdin and writes, per unit, whether the library finds the definition satisfied and
// which credentials it selects.
//
// stdin:  {"units": [{"name", "definition", "credentials": [{"id", "format", "claims",
//          "selective_disclosure", "holder_bound", "alg", "proof_type", "cryptosuite"}]}]}
// stdout: {"<name>": {"satisfied": bool, "matches": ["<credential id>", ...], "error": string?}}
//         where matches are the credentials selectFrom returns for any descriptor (the Go
//         side asks about one descriptor at a time).
//
// Each credential is handed over in the form the library expects for its format: a
// JSON object with a proof for ldp_vc and di_vc (of the given proof type and
// cryptosuite, else a BBS proof type when it can disclose selectively, which the
// library is told is limit-disclosure capable), a compact JWT for jwt_vc and
// jwt_vc_json, and a compact SD-JWT without disclosures for vc+sd-jwt and dc+sd-jwt,
// both with the given alg. Signatures are placeholders: the library does not verify
// them. The subject ids of holder-bound credentials are passed as the holder's DIDs (is_holder).
// Nothing here touches the network.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PEX } from '@sphereon/pex';

const hasher = (data) => createHash('sha256').update(data).digest();
const pex = new PEX({ hasher });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

function encode(c) {
  switch (c.format) {
    case 'jwt_vc':
    case 'jwt_vc_json':
      return b64({ alg: c.alg || 'ES256', typ: 'JWT' }) + '.' + b64(c.claims) + '.c2lnbmF0dXJl';
    case 'vc+sd-jwt':
    case 'dc+sd-jwt':
      return b64({ alg: c.alg || 'ES256', typ: c.format }) + '.' + b64({ _sd_alg: 'sha-256', ...c.claims }) + '.c2lnbmF0dXJl~';
    default: {
      const doc = structuredClone(c.claims);
      if (!doc.proof) {
        doc.proof = { type: c.proof_type || (c.selective_disclosure ? 'BbsBlsSignature2020' : 'Ed25519Signature2018') };
        if (c.cryptosuite) doc.proof.cryptosuite = c.cryptosuite;
      }
      return doc;
    }
  }
}

// key identifies a credential as given or as the library returns it (an SD-JWT comes
// back decoded, with its compact form).
function key(vc) {
  if (typeof vc === 'string') return vc;
  if (vc && typeof vc.compactSdJwtVc === 'string') return vc.compactSdJwtVc;
  return JSON.stringify(vc);
}

function holderDIDs(creds) {
  const out = [];
  for (const c of creds) {
    if (!c.holder_bound) continue;
    const subjects = [].concat(c.claims.credentialSubject ?? [], c.claims.vc?.credentialSubject ?? []);
    for (const s of subjects) if (s && s.id) out.push(s.id);
    if (c.claims.sub) out.push(c.claims.sub);
  }
  return out;
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const out = {};
for (const tc of input.units) {
  const creds = tc.credentials.map(encode);
  const opts = { holderDIDs: holderDIDs(tc.credentials), limitDisclosureSignatureSuites: ['BbsBlsSignature2020'] };
  const res = {};
  try {
    const all = pex.evaluateCredentials(tc.definition, creds, opts);
    res.satisfied = all.areRequiredCredentialsPresent !== 'error';
    if (!res.satisfied) res.reasons = (all.errors ?? []).map((e) => `${e.tag}: ${e.message}`).slice(0, 8);
    const sel = pex.selectFrom(tc.definition, creds, opts);
    const keys = creds.map(key);
    const indexOf = (vc) => (vc === undefined ? -1 : keys.indexOf(key(vc)));
    const ids = new Set();
    const walk = (ms) => {
      for (const m of ms ?? []) {
        walk(m.from_nested);
        for (const p of m.vc_path ?? []) {
          // vc_path indexes the credentials selectFrom returns, not those given.
          const i = Number(/\[(\d+)\]$/.exec(p)?.[1]);
          const j = Number.isInteger(i) ? indexOf(sel.verifiableCredential?.[i]) : -1;
          if (j >= 0) ids.add(tc.credentials[j].id);
        }
      }
    };
    walk(sel.matches);
    res.matches = tc.credentials.map((c) => c.id).filter((id) => ids.has(id));
  } catch (e) {
    res.error = String(e && e.message ? e.message : e);
  }
  out[tc.name] = res;
}
process.stdout.write(JSON.stringify(out));
