// A second fake API Entreprise, same population as the app's, that takes its time to answer: the
// app is pointed at it so that a refresh run lasts long enough to be watched (progress, pause,
// cancel). Tokens minted by the app's fake API are accepted (same default signing secret).
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import type { AppWithFakeApi } from './app-with-fake-api';

export interface SlowFakeApiOptions {
  /** Must be the `companyCount` the app was started with, so that the companies are the same. */
  companyCount: number;
  /** Every answer of a provider waits this long. */
  latencyMs: number;
}

/** Starts the slow fake API and points the app's settings at it; close it after the app. */
export async function switchToSlowFakeApi(app: AppWithFakeApi, options: SlowFakeApiOptions): Promise<FakeApiHandle> {
  // the seed of startAppWithFakeApi: the same synthetic companies behind the same SIRETs
  const slow = await startFakeApi({
    seed: 'vigie-e2e',
    companyCount: options.companyCount,
    latency: { kind: 'fixed', ms: options.latencyMs },
  });
  const answer = await app.harness.core.dispatch('settings.update', { localApiUrl: slow.url });
  if (!answer.ok) {
    await slow.close();
    throw new Error(`settings.update failed: ${answer.error.message}`);
  }
  return slow;
}
