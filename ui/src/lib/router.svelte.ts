// Hash routing: #/ (organisations), #/org/ID, #/round/ID, #/interview/RESPONDENT,
// #/results/ROUND. Plain links change the hash; the app renders `router.route`.

export type Route =
  | { name: 'home' }
  | { name: 'org'; id: number }
  | { name: 'round'; id: number }
  | { name: 'interview'; id: number }
  | { name: 'results'; id: number }
  | { name: 'not-found'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '') return { name: 'home' };
  const m = /^\/(org|round|interview|results)\/(\d+)$/.exec(path);
  if (m) return { name: m[1] as 'org' | 'round' | 'interview' | 'results', id: Number(m[2]) };
  return { name: 'not-found', path };
}

export const href = {
  home: () => '#/',
  org: (id: number) => `#/org/${id}`,
  round: (id: number) => `#/round/${id}`,
  interview: (id: number) => `#/interview/${id}`,
  results: (id: number) => `#/results/${id}`,
};

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        this.route = parseHash(location.hash);
      });
    }
  }

  go(hash: string) {
    if (location.hash === hash) this.route = parseHash(hash);
    else location.hash = hash;
  }
}

export const router = new Router();
