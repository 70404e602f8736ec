import { describe, expect, it } from 'vitest';
import { devServerToken, httpBackend, httpTransport, toApiError } from './backend';

const token = 'ab'.repeat(32);

describe('the development server transport', () => {
  it('is chosen only for a page on this machine over HTTP with a token', () => {
    const at = (protocol: string, hostname: string, search: string) => devServerToken({ protocol, hostname, search });
    expect(at('http:', '127.0.0.1', `?token=${token}`)).toBe(token);
    expect(at('http:', 'localhost', `?x=1&token=${token}`)).toBe(token);
    expect(at('http:', '127.0.0.1', '')).toBeNull();
    expect(at('http:', '127.0.0.1', '?token=<script>')).toBeNull();
    expect(at('tauri:', 'localhost', `?token=${token}`)).toBeNull();
    expect(at('http:', 'tauri.localhost', `?token=${token}`)).toBeNull();
    expect(at('https:', 'example.com', `?token=${token}`)).toBeNull();
  });

  it('posts each command with its camelCase arguments and the token; an error answer is the ApiError', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const answers = [
      new Response(JSON.stringify([{ id: 1 }]), { status: 200 }),
      new Response(JSON.stringify({ code: 'not_found', message: 'round 9 not found' }), { status: 404 }),
      new Response('null', { status: 200 }),
      new Response('<html>', { status: 502 }),
    ];
    const send = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return answers.shift()!;
    }) as unknown as typeof fetch;
    const call = httpTransport(token, send);
    expect(await call('list_organisations', { includeArchived: true })).toEqual([{ id: 1 }]);
    expect(sent[0].url).toBe('/api/list_organisations');
    expect(sent[0].init.method).toBe('POST');
    expect(JSON.parse(String(sent[0].init.body))).toEqual({ includeArchived: true });
    expect((sent[0].init.headers as Record<string, string>).authorization).toBe(`Bearer ${token}`);
    await expect(call('round_page', { id: 9 })).rejects.toEqual({ code: 'not_found', message: 'round 9 not found' });
    expect(await call('remove_logo')).toBeNull();
    expect(JSON.parse(String(sent[2].init.body))).toEqual({});
    const e = await call('app_status').catch((x: unknown) => toApiError(x));
    expect(e).toMatchObject({ code: 'unknown' });
  });

  it('keeps the problems of an invalid model file', () => {
    const problems = [{ file: 'm.toml', line: 98, column: 9, field: 'questions[0].phase', message: 'phase 9 does not exist' }];
    expect(toApiError({ code: 'invalid_model', message: 'm.toml:98: …', problems })).toEqual({
      code: 'invalid_model',
      message: 'm.toml:98: …',
      problems,
    });
    expect(toApiError({ code: 'io', message: 'disk full' })).toEqual({ code: 'io', message: 'disk full' });
  });

  it('makes the typed client', () => {
    expect(typeof httpBackend(token).appStatus).toBe('function');
  });
});
