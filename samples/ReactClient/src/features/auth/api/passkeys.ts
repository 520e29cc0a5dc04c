import { forgetAntiforgeryToken, getJson, postJson, sendJson } from '@/lib/api-client';
import { isRecord } from '@/lib/values';

import { resumeSession, type Session } from './session';

/** A passkey of the signed-in account, as the host lists it. */
export type Passkey = { id: string; name: string; createdAt: string };

/**
 * The browser's WebAuthn, behind a seam so tests can hand in a fake: options JSON from the host in, the credential's
 * `toJSON()` out.
 */
export interface WebAuthn {
  isSupported(): boolean;
  create(options: unknown): Promise<unknown>;
  get(options: unknown): Promise<unknown>;
}

export const browserWebAuthn: WebAuthn = {
  isSupported: () =>
    typeof window !== 'undefined' &&
    typeof window.PublicKeyCredential?.parseCreationOptionsFromJSON === 'function' &&
    typeof navigator.credentials?.create === 'function',
  async create(options) {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options as PublicKeyCredentialCreationOptionsJSON);
    return credentialJson(await navigator.credentials.create({ publicKey }));
  },
  async get(options) {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options as PublicKeyCredentialRequestOptionsJSON);
    return credentialJson(await navigator.credentials.get({ publicKey }));
  },
};

function credentialJson(credential: Credential | null): unknown {
  if (!(credential instanceof PublicKeyCredential)) throw new Error('No passkey was chosen.');
  const json: unknown = credential.toJSON();
  return json;
}

function toPasskey(value: unknown): Passkey | null {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return null;
  return { id: value.id, name: value.name, createdAt: typeof value.createdAt === 'string' ? value.createdAt : '' };
}

/** The account's passkeys: list, add (a WebAuthn registration), remove; and signing in with one. */
export type PasskeyApi = {
  list(): Promise<Passkey[]>;
  add(webAuthn: WebAuthn): Promise<Passkey>;
  remove(id: string): Promise<void>;
  signIn(webAuthn: WebAuthn): Promise<Session>;
};

export const passkeyApi: PasskeyApi = {
  async list() {
    const body = await getJson('/account/passkeys');
    if (!isRecord(body) || !Array.isArray(body.passkeys)) throw new Error('The server gave an unreadable answer.');
    return body.passkeys.flatMap((p) => {
      const passkey = toPasskey(p);
      return passkey ? [passkey] : [];
    });
  },
  async add(webAuthn) {
    const options = await postJson('/account/passkeys/options');
    const credential = await webAuthn.create(options);
    const passkey = toPasskey(await postJson('/account/passkeys', { credential }));
    if (!passkey) throw new Error('The server gave an unreadable answer.');
    return passkey;
  },
  async remove(id) {
    await sendJson('DELETE', `/account/passkeys/${encodeURIComponent(id)}`);
  },
  async signIn(webAuthn) {
    const options = await postJson('/login/passkey/options');
    const credential = await webAuthn.get(options);
    await postJson('/login/passkey', { credential });
    forgetAntiforgeryToken();
    return resumeSession();
  },
};
