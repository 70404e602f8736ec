// The current route, from the location's hash (see ./routes.ts for the addresses).
import { parseHash, type Route } from './routes';

export { href, parseHash } from './routes';
export type { Compare, Route } from './routes';

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
