// The app's addresses (pure: parsing and building hashes). Hash routing: #/ (organisations), #/org/ID, #/org/ID/plan, #/round/ID, #/interview/RESPONDENT,
// #/results/ROUND (optionally ?compare=ROUND or ?compare=none), #/models, #/settings, #/about. Plain links
// change the hash; the app renders `router.route`.

/** Which round the results compare with: the previous one (the default), none, or one. */
export type Compare = 'previous' | 'none' | number;

export type Route =
  | { name: 'home' }
  | { name: 'org'; id: number }
  | { name: 'plan'; id: number }
  | { name: 'round'; id: number }
  | { name: 'interview'; id: number }
  | { name: 'results'; id: number; compare: Compare }
  | { name: 'models' }
  | { name: 'settings' }
  | { name: 'about' }
  | { name: 'not-found'; path: string };

function parseCompare(query: string): Compare {
  const v = new URLSearchParams(query).get('compare');
  if (v === 'none') return 'none';
  if (v !== null && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
  return 'previous';
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const query = q < 0 ? '' : raw.slice(q + 1);
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/models') return { name: 'models' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/about') return { name: 'about' };
  const plan = /^\/org\/(\d+)\/plan$/.exec(path);
  if (plan) return { name: 'plan', id: Number(plan[1]) };
  const m = /^\/(org|round|interview|results)\/(\d+)$/.exec(path);
  if (m) {
    const id = Number(m[2]);
    if (m[1] === 'results') return { name: 'results', id, compare: parseCompare(query) };
    return { name: m[1] as 'org' | 'round' | 'interview', id };
  }
  return { name: 'not-found', path };
}

export const href = {
  home: () => '#/',
  org: (id: number) => `#/org/${id}`,
  plan: (id: number) => `#/org/${id}/plan`,
  round: (id: number) => `#/round/${id}`,
  interview: (id: number) => `#/interview/${id}`,
  results: (id: number, compare: Compare = 'previous') =>
    compare === 'previous' ? `#/results/${id}` : `#/results/${id}?compare=${compare}`,
  models: () => '#/models',
  settings: () => '#/settings',
  about: () => '#/about',
};
