// What the sidebar shows about where the user is, set by the screens, and a counter
// screens bump after a change so the sidebar's lists reload.

export const place = $state<{ org: number | null; round: number | null }>({ org: null, round: null });

export const changes = $state({ version: 0 });

export function changed(): void {
  changes.version += 1;
}

/** What an engagement import brought, for the imported organisation's page to say once. */
export const imported = $state<{ org: number | null; text: string | null }>({ org: null, text: null });
