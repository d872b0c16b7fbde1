import path from 'node:path';

import { packageRoot } from './root';

/**
 * Test data that is not part of the repository: the providers' API descriptions (specs/)
 * and the responses the real APIs produced (real-responses/). Read in place, never copied:
 * ../shared beside the repository, or the folder LLM_CHAT_SHARED names.
 */
export const ROOT = packageRoot(__dirname);

export const SHARED_FROM_ENV = Boolean(process.env.LLM_CHAT_SHARED);

export const SHARED_DIR = SHARED_FROM_ENV
	? path.resolve(process.env.LLM_CHAT_SHARED!)
	: path.resolve(ROOT, '..', 'shared');

/** Where a skip notice asks for a folder of the shared data, and how else to give it. */
export function sharedPlace(sub: string): string {
	return SHARED_FROM_ENV
		? `${path.join(SHARED_DIR, sub)} (LLM_CHAT_SHARED=${process.env.LLM_CHAT_SHARED})`
		: `../shared/${sub} (or set LLM_CHAT_SHARED=/path/to/shared)`;
}

/** Where `npm run fetch-specs` writes the descriptions (git-ignored). */
export const FETCHED_SPECS_DIR = path.join(ROOT, '.specs');

/**
 * The describe block the skip notice sits in; test/support/summaryReporter.js looks for
 * this title and prints the notice on one line before its closing line.
 */
export const SKIP_NOTICE_BLOCK = 'missing test data';

/**
 * A suite that needs data the repository does not hold. Without it the suite is skipped
 * and one placeholder, named with `notice` (what to provide), stands for it; under
 * CI=true its absence fails instead.
 */
export function describeWithData(
	title: string,
	available: boolean,
	notice: string,
	body: () => void,
): void {
	if (available) {
		describe(title, body);
		return;
	}
	if (process.env.CI === 'true') {
		it(`${title}: has its test data (required under CI=true)`, () => {
			throw new Error(notice);
		});
		return;
	}
	describe(SKIP_NOTICE_BLOCK, () => it.skip(notice, () => {}));
	describe.skip(title, body);
}
