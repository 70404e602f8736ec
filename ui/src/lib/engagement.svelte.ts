// Engagement files on their way in (issue 16): the preview shown before anything is
// imported, whichever way the file came — *Import engagement…* (the open dialog), a
// double-click on a `.cxmx` file (the app's command line), or a second launch of the
// app handing its file over. One preview at a time; files opened together wait in the
// backend's queue and are previewed one after the other.

import { backend, onFilesOpened, toApiError } from './backend';
import { changed, imported } from './context.svelte';
import { importedSummary } from './imports';
import { router, href } from './router.svelte';
import type { ApiError, EngagementPreview } from './types';

export const incoming = $state<{
  /** The preview on screen. */
  preview: EngagementPreview | null;
  /** A file the app was asked to open and could not import (shown instead of a preview). */
  failure: ApiError | null;
  /** Importing. */
  busy: boolean;
  /** The import failed after the preview (the database changed meanwhile). */
  importError: string | null;
}>({ preview: null, failure: null, busy: false, importError: null });

/** Shows `preview` (from `chooseEngagement` or the queue). */
export function showPreview(preview: EngagementPreview): void {
  incoming.preview = preview;
  incoming.failure = null;
  incoming.importError = null;
}

/** Previews the next file the app was asked to open, when nothing is on screen. */
export async function nextOpened(): Promise<void> {
  if (incoming.preview || incoming.failure || incoming.busy) return;
  try {
    const preview = await backend().nextOpenedEngagement();
    if (preview) showPreview(preview);
  } catch (e) {
    incoming.failure = toApiError(e);
  }
}

/** Cancel: the previewed file is forgotten; the next opened file, if any, follows. */
export async function cancelPreview(): Promise<void> {
  const p = incoming.preview;
  incoming.preview = null;
  incoming.importError = null;
  if (p) await backend().discardEngagement(p.token).catch(() => undefined);
  await nextOpened();
}

/** Closes the refusal of an opened file; the next one, if any, follows. */
export async function dismissFailure(): Promise<void> {
  incoming.failure = null;
  await nextOpened();
}

/** Import: the previewed bytes become a new organisation, which the app opens. */
export async function importPreviewed(): Promise<void> {
  const p = incoming.preview;
  if (!p || incoming.busy) return;
  incoming.busy = true;
  incoming.importError = null;
  try {
    const out = await backend().importPreviewedEngagement(p.token);
    incoming.preview = null;
    changed();
    if (out.organisation !== null) {
      imported.org = out.organisation;
      imported.text = importedSummary(out);
      router.go(href.org(out.organisation));
    }
  } catch (e) {
    incoming.importError = toApiError(e).message;
  } finally {
    incoming.busy = false;
  }
  if (!incoming.preview) await nextOpened();
}

/** At start: the files the app was started with, then those a second launch hands over. */
export function watchOpenedFiles(): () => void {
  void nextOpened();
  return onFilesOpened(() => void nextOpened());
}
