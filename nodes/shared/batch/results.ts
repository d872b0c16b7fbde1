// Reading batch result files: each JSON line is one request's answer or failure, keyed by its
// custom id. Results may come in any order (Together) and split over an output and an error file.
import type { IDataObject } from 'n8n-workflow';

import { MAX_JSON_DEPTH } from '../defaults';
import { isObject, pruneNesting } from '../json';

/** One request's outcome: the provider's chat completion, or why it failed. */
export type LineResult =
	| { customId: string; completion: IDataObject }
	| { customId: string; error: { message: string; code?: string; status?: number } };

/** The provider's message in an error line or an error answer, whatever its shape. */
function errorOf(line: IDataObject, response: IDataObject): LineResult & { error: unknown } {
	const body = isObject(response.body) ? response.body : {};
	const candidates = [line.error, body.error, body.message, body];
	const found = candidates.find((value) => value !== undefined && value !== null) ?? {};
	const error = isObject(found) ? found : { message: String(found) };
	const status = typeof response.status_code === 'number' ? response.status_code : undefined;
	const message =
		typeof error.message === 'string' && error.message !== ''
			? error.message
			: JSON.stringify(error).slice(0, 500);
	const code = typeof error.code === 'string' ? error.code : undefined;
	return { customId: String(line.custom_id), error: { message, code, status } };
}

/** One parsed line; undefined for a blank line or one without a custom id. */
export function readLine(text: string): LineResult | undefined {
	if (text.trim() === '') return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!isObject(parsed) || typeof parsed.custom_id !== 'string') return undefined;
	const line = pruneNesting(parsed, MAX_JSON_DEPTH);
	const response = isObject(line.response) ? line.response : {};
	const status = response.status_code;
	const ok = status === undefined || (typeof status === 'number' && status >= 200 && status < 300);
	const body = response.body ?? line.body;
	if (ok && !line.error && isObject(body) && Array.isArray(body.choices))
		return { customId: parsed.custom_id, completion: body };
	return errorOf(line, response);
}

/** Every line of a file's text, by custom id; an answer is never replaced by a failure. */
export function readResults(text: string, into = new Map<string, LineResult>()) {
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf('\n', start);
		if (end < 0) end = text.length;
		const result = readLine(text.slice(start, end));
		const prior = result && into.get(result.customId);
		if (result && !(prior && 'completion' in prior)) into.set(result.customId, result);
		start = end + 1;
	}
	return into;
}
