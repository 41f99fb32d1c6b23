// Cross-checks Credence's Data Integrity proofs with Digital Bazaar's libraries.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout. Every request
// names the JSON-LD contexts the script may use:
//
//   "contexts": {"https://www.w3.org/ns/credentials/v2": "/path/to/credentials-v2.jsonld", ...}
//
// The document loader serves only those files, and did:key documents it builds from the
// key in the DID itself (one Multikey verification method, listed under assertionMethod
// and authentication). Anything else is refused: the script never fetches.
//
//   {"op": "verify", "contexts": {...}, "now": "2026-06-01T12:00:00Z",
//    "items": [{"name": "...", "document": {...}},
//              {"name": "...", "document": {...}, "challenge": "...", "domain": "..."}]}
//     verifies each item: a credential, or a presentation when it has a challenge (then
//     with its credentials). Answers {"ok": true, "results": [{"name", "verified", "error"}]}.
//
//   {"op": "issue", "contexts": {...}, "now": "...",
//    "items": [{"name": "...", "suite": "eddsa-rdfc-2022", "key": {"type": "Ed25519", "seed": "<hex>"},
//               "created": "...", "credential": {...},
//               "holder": {"suite": "...", "key": {...}, "created": "...", "challenge": "...", "domain": "..."},
//               "mandatoryPointers": ["/issuer"], "selectivePointers": ["/credentialSubject/ageOver18"]}]}
//     signs each credential with the suite and a key made from the seed (Ed25519: the
//     seed; P-256, P-384: the seed is the private scalar; BLS12-381-G2: the BBS key
//     generation seed), the key's did:key being the issuer. With "holder", it also
//     presents the credential signed by the holder's key. For ecdsa-sd-2023 and
//     bbs-2023 it makes the base proof with mandatoryPointers and a derived proof that
//     discloses selectivePointers. Answers {"ok": true, "documents": {"<name>": {...},
//     "<name>.presentation": {...}, "<name>.derived": {...}}, "keys": {"<name>": "did:key:..."}}.
//
//   {"op": "canonize", "contexts": {...}, "items": [{"name": "...", "document": {...}}]}
//     answers the RDFC-1.0 canonical N-Quads of each document as jsonld.js makes them
//     (safe mode): {"ok": true, "results": [{"name", "nquads"}]}.
//
// Any failure of the request itself answers {"ok": false, "error": "..."} and exits 0,
// so the caller tells a rejection from a broken run.
import {createECDH} from 'node:crypto';
import {readFile} from 'node:fs/promises';

import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Bls12381Multikey from '@digitalbazaar/bls12-381-multikey';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import * as bbs2023 from '@digitalbazaar/bbs-2023-cryptosuite';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

// makeLoader returns a document loader over the given context files and did:key.
async function makeLoader(contexts) {
  const docs = new Map();
  for (const [url, path] of Object.entries(contexts ?? {})) {
    docs.set(url, JSON.parse(await readFile(path, 'utf8')));
  }
  return async (url) => {
    if (docs.has(url)) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(docs.get(url))};
    }
    if (url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKeyDocument(url)};
    }
    throw new Error(`document loader: refusing ${url}`);
  };
}

// didKeyDocument builds the DID document of a did:key, or the verification method when
// url has the fragment the method itself defines.
async function didKeyDocument(url) {
  const [did, fragment] = url.split('#');
  const mb = did.slice('did:key:'.length);
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(mb) || (fragment !== undefined && fragment !== mb)) {
    throw new Error(`document loader: not a did:key this loader serves: ${url}`);
  }
  const vm = {id: `${did}#${mb}`, type: 'Multikey', controller: did, publicKeyMultibase: mb};
  await keyFromMultibase(vm); // refuses a key of an unknown type
  if (fragment !== undefined) {
    return {'@context': MULTIKEY_V1, ...vm};
  }
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [vm],
    assertionMethod: [vm.id],
    authentication: [vm.id],
    capabilityInvocation: [vm.id],
    capabilityDelegation: [vm.id],
  };
}

async function keyFromMultibase(vm) {
  const mb = vm.publicKeyMultibase;
  if (mb.startsWith('z6Mk')) return Ed25519Multikey.from(vm);
  if (mb.startsWith('zDn') || mb.startsWith('z82')) return EcdsaMultikey.from(vm);
  if (mb.startsWith('zUC7')) return Bls12381Multikey.from(vm);
  throw new Error(`unsupported did:key ${mb.slice(0, 8)}...`);
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// keyFromSeed makes a key pair from a hex seed, as the request's key says, whose
// controller is its own did:key.
async function keyFromSeed({type, seed}) {
  const bytes = Uint8Array.from(Buffer.from(seed, 'hex'));
  let key;
  switch (type) {
    case 'Ed25519':
      key = await Ed25519Multikey.generate({seed: bytes});
      break;
    case 'P-256':
    case 'P-384': {
      const ecdh = createECDH(type === 'P-256' ? 'prime256v1' : 'secp384r1');
      ecdh.setPrivateKey(Buffer.from(bytes));
      const pub = ecdh.getPublicKey();
      const n = (pub.length - 1) / 2;
      const jwk = {
        kty: 'EC', crv: type, key_ops: ['sign'],
        x: b64url(pub.subarray(1, 1 + n)), y: b64url(pub.subarray(1 + n)), d: b64url(bytes),
      };
      key = await EcdsaMultikey.fromJwk({jwk, secretKey: true});
      break;
    }
    case 'BLS12-381-G2':
      key = await Bls12381Multikey.generateBbsKeyPair({algorithm: Bls12381Multikey.ALGORITHMS.BBS_BLS12381_SHA256, seed: bytes});
      break;
    default:
      throw new Error(`unknown key type ${type}`);
  }
  const {publicKeyMultibase} = await key.export({publicKey: true});
  key.controller = `did:key:${publicKeyMultibase}`;
  key.id = `${key.controller}#${publicKeyMultibase}`;
  return key;
}

// signSuite is the suite that signs with key; sd options apply to the SD suites.
function signSuite(name, key, created, {mandatoryPointers} = {}) {
  const cryptosuite = {
    'eddsa-rdfc-2022': () => eddsaRdfc2022,
    'ecdsa-rdfc-2019': () => ecdsaRdfc2019,
    'eddsa-jcs-2022': () => eddsaJcs2022.createSignCryptosuite(),
    'ecdsa-jcs-2019': () => ecdsaJcs2019.createSignCryptosuite(),
    'ecdsa-sd-2023': () => ecdsaSd2023.createSignCryptosuite({mandatoryPointers}),
    'bbs-2023': () => bbs2023.createSignCryptosuite({mandatoryPointers}),
  }[name];
  if (!cryptosuite) throw new Error(`unknown suite ${name}`);
  return new DataIntegrityProof({signer: key.signer(), date: created, cryptosuite: cryptosuite()});
}

// verifySuites accepts every suite this script knows.
function verifySuites() {
  return [
    eddsaRdfc2022, ecdsaRdfc2019, eddsaJcs2022.createVerifyCryptosuite(), ecdsaJcs2019.createVerifyCryptosuite(),
    ecdsaSd2023.createVerifyCryptosuite(), bbs2023.createVerifyCryptosuite(),
  ].map((cryptosuite) => new DataIntegrityProof({cryptosuite}));
}

function errorText(res) {
  const errs = [];
  const walk = (e) => {
    if (!e) return;
    if (Array.isArray(e)) return e.forEach(walk);
    if (e.errors) return walk(e.errors);
    errs.push(String(e.message ?? e));
  };
  walk(res.error);
  for (const r of res.credentialResults ?? []) if (!r.verified) walk(r.error);
  return errs.join('; ') || 'not verified';
}

async function verify(req, documentLoader) {
  const results = [];
  for (const item of req.items) {
    const opts = {suite: verifySuites(), documentLoader, now: req.now};
    let res;
    try {
      res = item.challenge !== undefined ?
        await vc.verify({...opts, presentation: item.document, challenge: item.challenge, domain: item.domain}) :
        await vc.verifyCredential({...opts, credential: item.document});
    } catch (e) {
      res = {verified: false, error: e};
    }
    results.push({name: item.name, verified: res.verified === true, ...(res.verified ? {} : {error: errorText(res)})});
  }
  return {results};
}

async function issue(req, documentLoader) {
  const documents = {};
  const keys = {};
  for (const item of req.items) {
    const key = await keyFromSeed(item.key);
    keys[item.name] = key.controller;
    const credential = {...structuredClone(item.credential), issuer: key.controller};
    const signed = await vc.issue({
      credential, documentLoader, now: req.now,
      suite: signSuite(item.suite, key, item.created, item),
    });
    documents[item.name] = signed;
    if (item.selectivePointers) {
      const cryptosuite = item.suite === 'bbs-2023' ?
        bbs2023.createDiscloseCryptosuite({selectivePointers: item.selectivePointers}) :
        ecdsaSd2023.createDiscloseCryptosuite({selectivePointers: item.selectivePointers});
      documents[`${item.name}.derived`] = await vc.derive({
        verifiableCredential: structuredClone(signed), documentLoader,
        suite: new DataIntegrityProof({cryptosuite}),
      });
    }
    if (item.holder) {
      const h = item.holder;
      const hkey = await keyFromSeed(h.key);
      keys[`${item.name}.presentation`] = hkey.controller;
      const presentation = vc.createPresentation({verifiableCredential: [signed], holder: hkey.controller, now: req.now});
      documents[`${item.name}.presentation`] = await vc.signPresentation({
        presentation, documentLoader, challenge: h.challenge, domain: h.domain,
        suite: signSuite(h.suite, hkey, h.created),
      });
    }
  }
  return {documents, keys};
}

async function canonize(req, documentLoader) {
  const results = [];
  for (const item of req.items) {
    const nquads = await jsonld.canonize(item.document, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true, base: null,
    });
    results.push({name: item.name, nquads});
  }
  return {results};
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
  const req = JSON.parse(input);
  const ops = {verify, issue, canonize};
  if (!ops[req.op]) throw new Error(`unknown op ${req.op}`);
  const documentLoader = await makeLoader(req.contexts);
  process.stdout.write(JSON.stringify({ok: true, ...(await ops[req.op](req, documentLoader))}) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ok: false, error: String(e?.stack ?? e)}) + '\n');
}
