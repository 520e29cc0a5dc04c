/** Fetch helpers for the web host's JSON API; every error is problem+json (RFC 9457). */
export class ApiError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

type ProblemDetails = {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Cannot reach the server. Check your connection and try again.', 0);
  }
  const json = await readJson(response);
  if (!response.ok) throw new ApiError(problemMessage(json, response.status), response.status);
  return json;
}
