import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  CreationOptionsJSON,
  RegistrationResponseJSON,
  RequestOptionsJSON,
} from "~/auth/webauthn";

/*
 * A software authenticator for tests: what a phone or security key does for a browser,
 * made from node:crypto. It answers the options our server makes with the JSON our pages
 * post (attestation format "none"; assertions signed over authenticatorData ‖
 * SHA-256(clientDataJSON), ECDSA signatures DER-encoded as authenticators send them).
 * Every field can be bent to test a refusal.
 */

// ── A tiny CBOR encoder (RFC 8949): just what attestation objects and COSE keys need ──

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(value, 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const fromB64url = (value: string) => Buffer.from(value, "base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function flipLastBit(bytes: Buffer): void {
  const last = bytes.length - 1;
  bytes.writeUInt8(bytes.readUInt8(last) ^ 0x01, last);
}

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface ClientOverrides {
  /** The page's origin as the browser reports it. */
  origin?: string;
  /** The relying party the authenticator scopes the credential to (its hash goes in authenticatorData). */
  rpId?: string;
  challenge?: string;
  type?: string;
  flags?: number;
  counter?: number;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly algorithm: "ES256" | "RS256";
  readonly #privateKey: KeyObject;
  readonly #coseKey: Buffer;
  counter: number;

  constructor(options: { algorithm?: "ES256" | "RS256"; counter?: number } = {}) {
    this.algorithm = options.algorithm ?? "ES256";
    this.counter = options.counter ?? 0;
    if (this.algorithm === "ES256") {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" });
      this.#privateKey = privateKey;
      this.#coseKey = cbor(
        new Map<Cbor, Cbor>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, fromB64url(jwk.x ?? "")],
          [-3, fromB64url(jwk.y ?? "")],
        ]),
      );
    } else {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const jwk = publicKey.export({ format: "jwk" });
      this.#privateKey = privateKey;
      this.#coseKey = cbor(
        new Map<Cbor, Cbor>([
          [1, 3], // kty: RSA
          [3, -257], // alg: RS256
          [-1, fromB64url(jwk.n ?? "")],
          [-2, fromB64url(jwk.e ?? "")],
        ]),
      );
    }
  }

  #clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** The answer to `navigator.credentials.create`, as the page posts it. */
  register(options: CreationOptionsJSON, origin: string, overrides: ClientOverrides = {}): string {
    const clientDataJSON = this.#clientData(
      overrides.type ?? "webauthn.create",
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    );
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rp.id),
      Buffer.from([overrides.flags ?? FLAG_UP | FLAG_UV | FLAG_AT]),
      uint32(overrides.counter ?? this.counter),
      Buffer.alloc(16), // AAGUID: none given
      Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      this.#coseKey,
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const json: RegistrationResponseJSON = {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject) },
    };
    return JSON.stringify(json);
  }

  /** The answer to `navigator.credentials.get`; moves the counter on unless told a value. */
  assert(
    options: RequestOptionsJSON,
    origin: string,
    overrides: ClientOverrides & {
      tamper?: "signature" | "authenticatorData";
      userHandle?: string | null;
    } = {},
  ): string {
    if (overrides.counter === undefined && this.counter > 0) this.counter += 1;
    const clientDataJSON = this.#clientData(
      overrides.type ?? "webauthn.get",
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    );
    const authenticatorData = Buffer.concat([
      sha256(overrides.rpId ?? options.rpId),
      Buffer.from([overrides.flags ?? FLAG_UP | FLAG_UV]),
      uint32(overrides.counter ?? this.counter),
    ]);
    const signature = sign(
      "sha256",
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.#privateKey,
    );
    if (overrides.tamper === "signature") flipLastBit(signature);
    if (overrides.tamper === "authenticatorData") flipLastBit(authenticatorData);
    const json: AuthenticationResponseJSON = {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: overrides.userHandle === undefined ? null : overrides.userHandle,
      },
    };
    return JSON.stringify(json);
  }
}
