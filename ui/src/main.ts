import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { setBackend } from './lib/backend';

// The fake backend: always in a `--mode fake` build (browser tests, screenshots), and
// on request (`?fake`, `?fake=demo`, `?fake=error`, `&health=damaged|read-only`) on the
// dev server. A release build
// contains none of it.
async function start() {
  const params = new URLSearchParams(location.search);
  if (import.meta.env.MODE === 'fake' || (import.meta.env.DEV && params.has('fake'))) {
    const { createFakeBackend } = await import('./lib/fake');
    const which = params.get('fake');
    const fake = createFakeBackend({
      seed: which === 'demo' ? 'demo' : 'empty',
      dbError: which === 'error',
      health: (params.get('health') as 'ok' | 'damaged' | 'read-only' | null) ?? 'ok',
      latency: Number(params.get('latency') ?? 0),
    });
    setBackend(fake);
    // For the browser tests: the calls received, and failures on demand.
    (window as unknown as { __cxmFake: typeof fake }).__cxmFake = fake;
  }
  mount(App, { target: document.getElementById('app')! });
}

void start();
