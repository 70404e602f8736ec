// The one module through which the UI talks to the Rust backend.
//
// `Backend` (one typed method per command) and `makeBackend` are generated from the
// Rust command list (`./bindings/commands.ts`, by `cargo test -p cxm-api`): a renamed
// Rust argument fails the type check. This module only chooses how a command travels:
// Tauri's IPC in the app. Every method rejects with an `ApiError` ({code, message}):
// show `message`, branch on `code`.

import { invoke } from '@tauri-apps/api/core';
import { makeBackend, type Backend, type Call } from './bindings/commands';
import type { ApiError } from './types';

export type { Backend } from './bindings/commands';

/** Whatever a command rejected with, as the `{code, message}` the UI works with. */
export function toApiError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: unknown; message?: unknown };
    return {
      code: typeof o.code === 'string' ? o.code : 'unknown',
      message: String(o.message),
    } as ApiError;
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

let current: Backend = tauriBackend;

/** Replaces the backend (the development server's HTTP client, unit tests). */
export function setBackend(b: Backend): void {
  current = b;
}

/** The backend in use. */
export function backend(): Backend {
  return current;
}
