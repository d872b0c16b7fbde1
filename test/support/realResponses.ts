import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { packageRoot } from './root';

/** Responses the real APIs produced: ../shared/real-responses, read in place, never copied. */
export const REAL_RESPONSES_DIR =
	process.env.LLM_CHAT_REAL_RESPONSES_DIR ??
	path.resolve(packageRoot(__dirname), '..', 'shared', 'real-responses');

export interface RecordedCase {
	provider: string;
	case: string;
	request: { method: string; path: string; body?: unknown };
	response: { status: number; headers: Record<string, string>; body: unknown; bodyFormat: string };
}

export const haveRealResponses = existsSync(REAL_RESPONSES_DIR);

export function recordedCase(name: string): RecordedCase {
	return JSON.parse(readFileSync(path.join(REAL_RESPONSES_DIR, `${name}.json`), 'utf8'));
}

export function recordedCaseNames(filter: (name: string) => boolean = () => true): string[] {
	if (!haveRealResponses) return [];
	return readdirSync(REAL_RESPONSES_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.slice(0, -'.json'.length))
		.filter(filter)
		.sort();
}

/** The bytes of a recorded stream (`sse-lines`), exactly as they were on the wire. */
export function recordedStreamText(name: string): string {
	return (recordedCase(name).response.body as string[]).join('\n');
}

/**
 * Like the contract tests: outside CI a missing ../shared is said loudly and the
 * suite is skipped; under CI=true it fails.
 */
export function describeWithRealResponses(title: string, body: () => void) {
	if (haveRealResponses) return describe(title, body);
	const warning = `REAL-RESPONSE TESTS NOT RUN: ${REAL_RESPONSES_DIR} not found. Put ../shared/real-responses beside this repository or set LLM_CHAT_REAL_RESPONSES_DIR.`;
	console.warn(`\n!!! ${warning}\n`);
	if (process.env.CI === 'true') {
		it(`${title}: has the recorded responses (required under CI=true)`, () => {
			throw new Error(warning);
		});
	} else {
		describe.skip(title, body);
	}
}
