// What the sidebar shows about where the user is, set by the screens, and a counter
// screens bump after a change so the sidebar's lists reload.

export const place = $state<{ org: number | null; round: number | null }>({ org: null, round: null });

export const changes = $state({ version: 0 });

export function changed(): void {
  changes.version += 1;
}
