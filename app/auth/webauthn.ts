import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

/*
 * What the server and the browser pass each other for passkeys (Web Authentication).
 * The server builds the options in a loader (app/auth/passkeys.server.ts); the page's
 * component turns them into the browser's types, runs `navigator.credentials.create` or
 * `.get`, and posts the result back as JSON in a hidden field of a real form. Binary
 * values travel as base64url without padding, in the shapes of WebAuthn Level 3's JSON
 * encodings (PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON, …), so
 * nothing here needs the newer browser helpers (`parseCreationOptionsFromJSON`, `toJSON`).
 *
 * This module runs in both places; it has no server-only imports.
 */

export interface CredentialDescriptorJSON {
  type: "public-key";
  id: string;
}

export interface CreationOptionsJSON {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: "public-key"; alg: number }[];
  timeout: number;
  attestation: "none";
  authenticatorSelection: { residentKey: "preferred"; userVerification: "required" };
  excludeCredentials: CredentialDescriptorJSON[];
}

export interface RequestOptionsJSON {
  challenge: string;
  rpId: string;
  timeout: number;
  userVerification: "required";
  allowCredentials: CredentialDescriptorJSON[];
}

export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string };
}

export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle: string | null;
  };
}

export function toBase64url(bytes: ArrayBuffer | Uint8Array): string {
  return encodeBase64urlNoPadding(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/** Bytes backed by a plain ArrayBuffer (what the DOM's BufferSource wants). */
export function fromBase64url(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(decodeBase64urlIgnorePadding(value));
}

// ── In the browser ──────────────────────────────────────────────────────────────────────

/** Whether this browser can use passkeys at all (false on the server and in old browsers). */
export function passkeysSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    typeof window.PublicKeyCredential === "function" &&
    typeof navigator.credentials?.create === "function"
  );
}

function descriptors(list: CredentialDescriptorJSON[]): PublicKeyCredentialDescriptor[] {
  return list.map((d) => ({ type: d.type, id: fromBase64url(d.id) }));
}

/** Runs the browser's "create a passkey" dialog; resolves to the JSON to post, or throws. */
export async function createPasskey(options: CreationOptionsJSON): Promise<string> {
  const credential = await navigator.credentials.create({
    publicKey: {
      challenge: fromBase64url(options.challenge),
      rp: options.rp,
      user: { ...options.user, id: fromBase64url(options.user.id) },
      pubKeyCredParams: options.pubKeyCredParams,
      timeout: options.timeout,
      attestation: options.attestation,
      authenticatorSelection: options.authenticatorSelection,
      excludeCredentials: descriptors(options.excludeCredentials),
    },
  });
  if (!(credential instanceof PublicKeyCredential)) throw new Error("No passkey was created");
  const response = credential.response as AuthenticatorAttestationResponse;
  const json: RegistrationResponseJSON = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: "public-key",
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
    },
  };
  return JSON.stringify(json);
}

/** Runs the browser's "use a passkey" dialog; resolves to the JSON to post, or throws. */
export async function signWithPasskey(options: RequestOptionsJSON): Promise<string> {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge: fromBase64url(options.challenge),
      rpId: options.rpId,
      timeout: options.timeout,
      userVerification: options.userVerification,
      allowCredentials: descriptors(options.allowCredentials),
    },
  });
  if (!(credential instanceof PublicKeyCredential)) throw new Error("No passkey was used");
  const response = credential.response as AuthenticatorAssertionResponse;
  const json: AuthenticationResponseJSON = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: "public-key",
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
    },
  };
  return JSON.stringify(json);
}

/** Plain-English words for the ways the browser's passkey dialog can fail. */
export function passkeyErrorMessage(error: unknown, ceremony: "create" | "get"): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") {
    return ceremony === "create"
      ? "The passkey was not added. You may have cancelled, or taken too long. Try again"
      : "Your passkey was not used. You may have cancelled, or taken too long. Try again";
  }
  if (name === "InvalidStateError" && ceremony === "create") {
    return "This device or security key already has a passkey for your account";
  }
  if (name === "NotSupportedError") {
    return "This browser or device cannot make a passkey Boardledger accepts. Try another browser or device";
  }
  if (name === "SecurityError") {
    return "Your browser refused the passkey request for this address. Contact your workspace admin";
  }
  return ceremony === "create"
    ? "The passkey was not added. Try again"
    : "Your passkey was not used. Try again";
}
