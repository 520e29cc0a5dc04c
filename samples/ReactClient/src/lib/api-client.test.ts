import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, forgetAntiforgeryToken, postJson, problemMessage } from '@/lib/api-client';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetAntiforgeryToken();
});

describe('problemMessage', () => {
  it('prefers the username field error, then detail, then title', () => {
    expect(problemMessage({ title: 'Bad', detail: 'Why', errors: { username: ['Too long.'] } }, 400)).toBe('Too long.');
    expect(problemMessage({ title: 'Bad', detail: 'Why' }, 401)).toBe('Why');
    expect(problemMessage({ title: 'Unauthorized' }, 401)).toBe('Unauthorized');
    expect(problemMessage(undefined, 500)).toBe('The request failed (HTTP 500).');
  });
});

describe('postJson', () => {
  it('throws an ApiError carrying the problem message and status', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(JSON.stringify({ title: 'Too many requests', status: 429 }), {
          status: 429,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
      ),
    );
    const error = await postJson('/login', { username: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, message: 'Too many requests' });
  });
});
