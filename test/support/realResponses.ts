import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describeWithData, SHARED_DIR, sharedPlace } from './shared';

/**
 * Responses the real APIs produced: ../shared/real-responses (or real-responses/ in the
 * folder LLM_CHAT_SHARED names, or LLM_CHAT_REAL_RESPONSES_DIR), read in place, never copied.
 */
export const REAL_RESPONSES_DIR = process.env.LLM_CHAT_REAL_RESPONSES_DIR
	? path.resolve(process.env.LLM_CHAT_REAL_RESPONSES_DIR)
	: path.join(SHARED_DIR, 'real-responses');

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

/** What a suite skipped for want of the recorded responses says, on one line. */
export const REAL_RESPONSES_NOTICE = process.env.LLM_CHAT_REAL_RESPONSES_DIR
	? `recorded-response tests skipped: put the recorded responses (*.json, replay-server.mjs) in ${REAL_RESPONSES_DIR} (LLM_CHAT_REAL_RESPONSES_DIR), or unset it to use ../shared/real-responses`
	: `recorded-response tests skipped: put the recorded responses (*.json, replay-server.mjs) in ${sharedPlace('real-responses')}`;

/**
 * Like the contract tests: outside CI a missing ../shared/real-responses skips the suite
 * with one line saying what to provide; under CI=true it fails.
 */
export function describeWithRealResponses(title: string, body: () => void) {
	describeWithData(title, haveRealResponses, REAL_RESPONSES_NOTICE, body);
}
