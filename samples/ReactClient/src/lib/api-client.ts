import { isRecord } from './values';

/** Fetch helpers for the web host's JSON API; every error is problem+json (RFC 9457). */
export class ApiError extends Error {
  readonly status: number;
  /** The problem's `errors`, field by field (Identity's password rules under `password`). */
  readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, status: number, fieldErrors: Record<string, string[]> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
  }
}

function fieldErrorsOf(body: unknown): Record<string, string[]> {
  if (!isRecord(body) || !isRecord(body.errors)) return {};
  const result: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(body.errors)) {
    if (Array.isArray(value)) result[field] = value.filter((m): m is string => typeof m === 'string');
  }
  return result;
}

/**
 * The session is an HttpOnly cookie, so every state-changing call carries the host's antiforgery token (never
 * stored: kept in memory, fetched from GET /antiforgery when needed). It is bound to the signed-in user, so signing in
 * or out forgets it and the next call fetches a fresh one.
 */
let antiforgery: Promise<string> | null = null;

export function forgetAntiforgeryToken(): void {
  antiforgery = null;
}

function antiforgeryToken(): Promise<string> {
  antiforgery ??= getJson('/antiforgery').then((body) => {
    if (!isRecord(body) || typeof body.token !== 'string') throw new Error('The server gave an unreadable answer.');
    return body.token;
  });
  antiforgery.catch(() => forgetAntiforgeryToken());
  return antiforgery;
}

type ProblemDetails = {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
};

function firstFieldError(errors: unknown): string | undefined {
  if (!isRecord(errors)) return undefined;
  // Prefer the username's message (the only field the login form has), then any other field's.
  const fields = ['username', ...Object.keys(errors)];
  for (const field of fields) {
    const value = errors[field] ?? errors[field.charAt(0).toUpperCase() + field.slice(1)];
    if (Array.isArray(value)) {
      const first: unknown = value[0];
      if (typeof first === 'string' && first) return first;
    }
  }
  return undefined;
}

/** A readable message from a problem+json body: the field error, else `detail`, else `title`. */
export function problemMessage(body: unknown, status: number): string {
  if (isRecord(body)) {
    const problem = body as ProblemDetails;
    const fieldError = firstFieldError(problem.errors);
    if (fieldError) return fieldError;
    if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
    if (typeof problem.title === 'string' && problem.title) return problem.title;
  }
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  return `The request failed (HTTP ${status}).`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function send(url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError('Cannot reach the server. Check your connection and try again.', 0);
  }
  const json = await readJson(response);
  if (!response.ok) throw new ApiError(problemMessage(json, response.status), response.status, fieldErrorsOf(json));
  return json;
}

/** A state-changing call (POST, DELETE) in the session, with the antiforgery token. */
export async function sendJson(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<unknown> {
  const token = await antiforgeryToken();
  return send(url, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function postJson(url: string, body?: unknown): Promise<unknown> {
  return sendJson('POST', url, body);
}

export function getJson(url: string): Promise<unknown> {
  return send(url, { method: 'GET', headers: { Accept: 'application/json' } });
}
