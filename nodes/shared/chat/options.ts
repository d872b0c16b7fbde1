/** The chat options of one item, read and checked before any request; labels come from the descriptions. */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MB } from '../defaults';
import { isObject } from '../json';
import type { Provider } from '../providers';
import { optionLabel } from './options.description';
import type { ReasoningInHistory } from './reasoningHistory';
import { readReasoningInHistory } from './reasoningHistory';
import type { Fail } from './validation';
import { parseJsonOption, readNumber } from './validation';

export type ResponseFormat =
	| { type: 'text' }
	| { type: 'jsonObject' }
	| { type: 'jsonSchema'; schema: IDataObject; name: string; strict: boolean };

/** The chat options of one item, checked; what was not set stays undefined and is not sent. */
export interface ChatOptions {
	temperature?: number;
	topP?: number;
	maxTokens?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	n?: number;
	seed?: number;
	stop?: string[];
	user?: string;
	reasoningEffort?: string;
	responseFormat: ResponseFormat;
	tools?: IDataObject[];
	extraBody?: IDataObject;
	/** Which assistant turns of the history keep their reasoning when sent back. */
	reasoningInHistory: ReasoningInHistory;
}

/** How one request is sent: per item, because Timeout and Max Retries may be expressions. */
export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
	maxBytes: number;
}

/** Reads the node's Options collection; every check refuses bad input before any request. */
export function readChatOptions(options: IDataObject, provider: Provider, fail: Fail): ChatOptions {
	const number = (name: string, min: number, max: number, integer = false) =>
		readNumber(options[name], optionLabel(name), { min, max, integer }, fail);
	return {
		temperature: number('temperature', 0, 2),
		topP: number('topP', 0, 1),
		maxTokens: number('maxTokens', 1, 10_000_000, true),
		frequencyPenalty: number('frequencyPenalty', -2, 2),
		presencePenalty: number('presencePenalty', -2, 2),
		n: number('n', 1, 128, true),
		seed: number('seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
		stop: readStop(options.stop),
		user: readUser(options.user, provider),
		reasoningEffort: readReasoningEffort(options.reasoningEffort, provider, fail),
		responseFormat: readResponseFormat(options, fail),
		tools: readTools(options.tools, fail),
		extraBody: readExtraBody(options.extraBody, fail),
		reasoningInHistory: readReasoningInHistory(options.keepReasoningInHistory, fail),
	};
}

/** What only the dialect the credential picked can tell, checked once it is known. */
export function checkForDialect(
	model: string,
	options: ChatOptions,
	provider: Provider,
	fail: Fail,
): void {
	if (model === '' && provider.modelRequired) {
		fail(
			'Model is required',
			`Choose a model from the list or enter its ID (${provider.displayName}).`,
		);
	}
	if (options.n !== undefined && options.n > 1 && !provider.supportsN) {
		const label = optionLabel('n');
		fail(
			`${label} above 1 is not supported by ${provider.displayName}`,
			`${provider.displayName} answers once per request: leave ${label} at 1.`,
		);
	}
	if (
		options.stop &&
		provider.maxStopSequences &&
		options.stop.length > provider.maxStopSequences
	) {
		fail(
			`${provider.displayName} takes at most ${provider.maxStopSequences} stop sequences (got ${options.stop.length})`,
		);
	}
}

/** Requests per Minute, the cap on the credential's window: a whole number; 0 or unset means none. */
export function readRequestsPerMinute(options: IDataObject, fail: Fail): number {
	return (
		readNumber(
			options.requestsPerMinute,
			optionLabel('requestsPerMinute'),
			{ min: 0, max: 1_000_000, integer: true },
			fail,
		) ?? 0
	);
}

export function readRequestSettings(options: IDataObject, fail: Fail): RequestSettings {
	return {
		timeoutMs:
			readNumber(
				options.timeout,
				optionLabel('timeout'),
				{ min: 1, max: 24 * 3_600_000, integer: true },
				fail,
			) ?? DEFAULT_TIMEOUT_MS,
		maxRetries:
			readNumber(
				options.maxRetries,
				optionLabel('maxRetries'),
				{ min: 0, max: 10, integer: true },
				fail,
			) ?? DEFAULT_MAX_RETRIES,
		maxBytes:
			(readNumber(
				options.maxResponseSize,
				optionLabel('maxResponseSize'),
				{ min: 1, max: 1024 },
				fail,
			) ?? DEFAULT_MAX_RESPONSE_MB) * MB,
	};
}

/**
 * One sequence per line; `\n` and `\t` stand for a line break and a tab, so a sequence
 * such as a blank line can be written. Whitespace-only sequences are kept.
 */
function readStop(value: unknown): string[] | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const stop = value
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => line.replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
	return stop.length > 0 ? stop : undefined;
}

function readUser(value: unknown, provider: Provider): string | undefined {
	if (!provider.supportsUser || typeof value !== 'string' || value.trim() === '') return undefined;
	return value.trim();
}

function readReasoningEffort(value: unknown, provider: Provider, fail: Fail): string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	if (!provider.reasoningEfforts.includes(value)) {
		fail(
			`${optionLabel('reasoningEffort')} "${value}" is not supported by ${provider.displayName}`,
			provider.reasoningEfforts.length
				? `Allowed: ${provider.reasoningEfforts.join(', ')}`
				: `${provider.displayName} has no reasoning effort setting.`,
		);
	}
	return value;
}

function readResponseFormat(options: IDataObject, fail: Fail): ResponseFormat {
	const type = options.responseFormat ?? 'text';
	if (type === 'jsonObject') return { type };
	if (type !== 'jsonSchema') return { type: 'text' };
	const schemaLabel = optionLabel('jsonSchema');
	const schema = parseJsonOption(options.jsonSchema, schemaLabel, fail);
	if (!isObject(schema))
		fail(`${schemaLabel} must be a JSON object, e.g. {"type": "object", "properties": {...}}`);
	const name =
		typeof options.jsonSchemaName === 'string' && options.jsonSchemaName.trim() !== ''
			? options.jsonSchemaName.trim()
			: 'response';
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
		fail(
			`${optionLabel('jsonSchemaName')} "${name}" may only contain letters, digits, "_" and "-" (at most 64)`,
		);
	return { type, schema: schema as IDataObject, name, strict: options.jsonSchemaStrict !== false };
}

function readTools(value: unknown, fail: Fail): IDataObject[] | undefined {
	if (value === undefined || value === '') return undefined;
	const label = optionLabel('tools');
	const tools = parseJsonOption(value, label, fail);
	const valid =
		Array.isArray(tools) &&
		tools.every(
			(tool) => isObject(tool) && isObject(tool.function) && typeof tool.function.name === 'string',
		);
	if (!valid) {
		fail(
			`${label} must be a JSON array of {"type": "function", "function": {"name": ..., "parameters": {...}}}`,
		);
	}
	return (tools as IDataObject[]).length > 0 ? (tools as IDataObject[]) : undefined;
}

/** Fields the node sets itself; `stream` follows whether n8n streams the reply. */
const RESERVED_BODY_FIELDS: Record<string, string> = {
	model: "Use the node's Model field instead.",
	messages: "Use the node's Messages field instead.",
	stream:
		'The node streams when n8n streams the reply (a Chat Trigger or a webhook set to stream), and only then.',
};

function readExtraBody(value: unknown, fail: Fail): IDataObject | undefined {
	if (value === undefined || value === '') return undefined;
	const label = optionLabel('extraBody');
	const extra = parseJsonOption(value, label, fail);
	if (!isObject(extra)) return fail(`${label} must be a JSON object, e.g. {"top_k": 40}`);
	for (const [reserved, hint] of Object.entries(RESERVED_BODY_FIELDS)) {
		if (reserved in extra) fail(`${label} may not set "${reserved}"`, hint);
	}
	return extra;
}
