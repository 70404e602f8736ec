// The one module through which the UI talks to the Rust backend.
//
// `Backend` (one typed method per command) and `makeBackend` are generated from the
// Rust command list (`./bindings/commands.ts`, by `cargo test -p cxm-api`): a renamed
// Rust argument fails the type check. This module only chooses how a command travels:
// Tauri's IPC in the app, or HTTP when the page was served by the UI's development
// server (crates/cxm-dev-server: the browser tests, work on the UI in a browser).
// Every method rejects with an `ApiError` ({code, message}): show `message`, branch
// on `code`.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { makeBackend, type Backend, type Call } from './bindings/commands';
import type { ApiError } from './types';

export type { Backend } from './bindings/commands';

/** Whatever a command rejected with, as the `{code, message}` the UI works with (with
 *  `problems`, an invalid model file's, when the error has them). */
export function toApiError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: unknown; message?: unknown; problems?: unknown };
    const error = {
      code: typeof o.code === 'string' ? o.code : 'unknown',
      message: String(o.message),
    } as ApiError;
    if (Array.isArray(o.problems)) error.problems = o.problems as NonNullable<ApiError['problems']>;
    return error;
  }
  if (typeof e === 'string') return { code: 'unknown', message: e } as ApiError;
  return { code: 'unknown', message: 'Something went wrong.' } as ApiError;
}

/** Sends a command through `transport`, turning any rejection into an `ApiError`. */
export function withErrors(transport: Call): Call {
  return async <T>(command: string, args?: Record<string, unknown>): Promise<T> => {
    try {
      return await transport<T>(command, args);
    } catch (e) {
      throw toApiError(e);
    }
  };
}

/** The app's backend: Tauri's `invoke`. */
export const tauriBackend: Backend = makeBackend(withErrors((command, args) => invoke(command, args)));

/**
 * The development server's token when this page was served by it: an address on this
 * machine over plain HTTP (`http://127.0.0.1:PORT/` or `localhost`) with `?token=…`
 * (the server prints it at start). `null` anywhere else — always in the app, whose
 * pages come from Tauri (and whose content security policy allows no HTTP anyway).
 */
export function devServerToken(where: { protocol: string; hostname: string; search: string } = location): string | null {
  if (where.protocol !== 'http:' || (where.hostname !== '127.0.0.1' && where.hostname !== 'localhost')) return null;
  const token = new URLSearchParams(where.search).get('token');
  return token && /^[0-9a-f]{16,128}$/.test(token) ? token : null;
}

/**
 * Each command as `POST /api/<command>` to the server that served the page, its
 * arguments as the JSON body (the same camelCase object Tauri's `invoke` sends), with
 * the token. A `4xx` answer's body is the `ApiError`.
 */
export function httpTransport(token: string, send: typeof fetch = (input, init) => fetch(input, init)): Call {
  return async <T>(command: string, args?: Record<string, unknown>): Promise<T> => {
    const response = await send(`/api/${encodeURIComponent(command)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(args ?? {}),
    });
    const text = await response.text();
    let value: unknown = null;
    try {
      value = text ? JSON.parse(text) : null;
    } catch {
      throw { code: 'unknown', message: `${command}: the server answered ${response.status} without JSON` };
    }
    if (!response.ok) throw value;
    return value as T;
  };
}

/** The backend over the development server's HTTP API. */
export function httpBackend(token: string): Backend {
  return makeBackend(withErrors(httpTransport(token)));
}

let current: Backend = tauriBackend;

/** Replaces the backend (the development server's HTTP client, unit tests). */
export function setBackend(b: Backend): void {
  current = b;
}

/** The backend in use. */
export function backend(): Backend {
  return current;
}

/** The event the app sends when a second launch hands it files to open (the single
 *  instance: src-tauri/src/lib.rs sends it under this name). */
export const FILES_OPENED_EVENT = 'cxm://files-opened';

/**
 * Calls `f` each time a second launch of the app hands this window files to open (a
 * double-click on a `.cxmx` file while the app runs). Only the app has such launches:
 * over the development server this never calls `f`. Returns the unsubscribe.
 */
export function onFilesOpened(f: () => void): () => void {
  if (current !== tauriBackend) return () => {};
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen(FILES_OPENED_EVENT, () => f())
    .then((u) => {
      if (stopped) u();
      else unlisten = u;
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    unlisten?.();
  };
}
