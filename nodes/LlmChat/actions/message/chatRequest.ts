import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadParameter } from '../../helpers/parameters';
import type { Provider } from '../../providers';
import { isObject } from '../../providers';

const ROLES = ['system', 'user', 'assistant', 'tool'];

export type ResponseFormat = 'text' | 'jsonObject' | 'jsonSchema';

export interface ChatRequest {
	body: IDataObject;
	responseFormat: ResponseFormat;
	timeoutMs: number;
	maxRetries: number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 2;

/**
 * Reads one item's parameters, refuses bad input with the field named, and builds
 * the request body. Nothing is sent before this has passed.
 */
export function buildChatRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	provider: Provider,
	read: ReadParameter,
): ChatRequest {
	const fail = (message: string, description?: string): never => {
		throw new NodeOperationError(this.getNode(), message, { itemIndex, description });
	};
	const options = read('options', itemIndex, {}) as IDataObject;

	const model = String(
		read('model', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (model === '' && provider.modelRequired) {
		fail(
			'Model is required',
			`Choose a model from the list or enter its ID (${provider.displayName}).`,
		);
	}

	const body: IDataObject = {};
	if (model !== '') body.model = model;
	body.messages = readMessages(read, itemIndex, fail).map(provider.adaptMessage);

	const number = (name: string, label: string, min: number, max: number, integer = false) => {
		const value = options[name];
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'number' || !Number.isFinite(value))
			fail(`${label} must be a number (got ${JSON.stringify(value)})`);
		const n = value as number;
		if (n < min || n > max) fail(`${label} must be between ${min} and ${max} (got ${n})`);
		if (integer && !Number.isInteger(n)) fail(`${label} must be a whole number (got ${n})`);
		return n;
	};
	const setNumber = (field: string, value: number | undefined) => {
		if (value !== undefined) body[field] = value;
	};

	setNumber('temperature', number('temperature', 'Temperature', 0, 2));
	setNumber('top_p', number('topP', 'Top P', 0, 1));
	setNumber(
		provider.tokenLimitField,
		number('maxTokens', 'Maximum Number of Tokens', 1, 10_000_000, true),
	);
	setNumber('frequency_penalty', number('frequencyPenalty', 'Frequency Penalty', -2, 2));
	setNumber('presence_penalty', number('presencePenalty', 'Presence Penalty', -2, 2));
	setNumber('n', number('n', 'Number of Completions', 1, 128, true));
	setNumber('seed', number('seed', 'Seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true));

	if (typeof options.stop === 'string') {
		const stop = options.stop.split('\n').filter((sequence) => sequence !== '');
		if (stop.length > 0) body.stop = stop;
	}
	if (provider.supportsUser && typeof options.user === 'string' && options.user.trim() !== '') {
		body.user = options.user.trim();
	}
	if (typeof options.reasoningEffort === 'string' && options.reasoningEffort !== '') {
		if (!provider.reasoningEfforts.includes(options.reasoningEffort)) {
			fail(
				`Reasoning Effort "${options.reasoningEffort}" is not supported by ${provider.displayName}`,
				provider.reasoningEfforts.length
					? `Allowed: ${provider.reasoningEfforts.join(', ')}`
					: `${provider.displayName} has no reasoning effort setting.`,
			);
		}
		body.reasoning_effort = options.reasoningEffort;
	}

	const responseFormat = (options.responseFormat ?? 'text') as ResponseFormat;
	if (responseFormat === 'jsonObject') body.response_format = provider.jsonObjectFormat();
	if (responseFormat === 'jsonSchema') {
		const schema = parseJsonOption(options.jsonSchema, 'JSON Schema', fail);
		if (!isObject(schema))
			fail('JSON Schema must be a JSON object, e.g. {"type": "object", "properties": {...}}');
		const name =
			typeof options.jsonSchemaName === 'string' && options.jsonSchemaName.trim() !== ''
				? options.jsonSchemaName.trim()
				: 'response';
		if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
			fail(`Schema Name "${name}" may only contain letters, digits, "_" and "-" (at most 64)`);
		body.response_format = provider.jsonSchemaFormat(schema as IDataObject, name);
	}

	if (options.tools !== undefined && options.tools !== '') {
		const tools = parseJsonOption(options.tools, 'Tools', fail);
		if (
			!Array.isArray(tools) ||
			tools.some(
				(tool) =>
					!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string',
			)
		) {
			fail(
				'Tools must be a JSON array of {"type": "function", "function": {"name": ..., "parameters": {...}}}',
			);
		}
		if ((tools as IDataObject[]).length > 0)
			body.tools = (tools as IDataObject[]).map((tool) =>
				provider.adaptTool({ type: 'function', ...tool }),
			);
	}

	if (options.extraBody !== undefined && options.extraBody !== '') {
		const extra = parseJsonOption(options.extraBody, 'Extra Body Parameters', fail);
		if (!isObject(extra)) fail('Extra Body Parameters must be a JSON object, e.g. {"top_k": 40}');
		for (const reserved of ['model', 'messages']) {
			if (reserved in (extra as IDataObject)) {
				fail(
					`Extra Body Parameters may not set "${reserved}"`,
					`Use the node's ${reserved === 'model' ? 'Model' : 'Messages'} field instead.`,
				);
			}
		}
		for (const [key, value] of Object.entries(extra as IDataObject)) {
			if (value !== null && value !== undefined) body[key] = value;
		}
	}

	const timeoutMs = number('timeout', 'Timeout', 1, 24 * 3_600_000, true) ?? DEFAULT_TIMEOUT_MS;
	const maxRetries = number('maxRetries', 'Max Retries', 0, 10, true) ?? DEFAULT_MAX_RETRIES;
	return { body, responseFormat, timeoutMs, maxRetries };
}

function readMessages(
	read: ReadParameter,
	itemIndex: number,
	fail: (message: string, description?: string) => never,
): IDataObject[] {
	const messages: IDataObject[] = [];
	const systemMessage = read('systemMessage', itemIndex, '') as string;
	if (typeof systemMessage === 'string' && systemMessage.trim() !== '')
		messages.push({ role: 'system', content: systemMessage });

	const mode = read('messagesInputMode', itemIndex, 'list') as string;
	if (mode === 'json') {
		let history = read('messagesJson', itemIndex, '') as unknown;
		if (typeof history === 'string') {
			if (history.trim() === '')
				fail(
					'Messages (JSON) is empty',
					'Give a JSON array such as [{"role": "user", "content": "Hello"}].',
				);
			history = parseJsonOption(history, 'Messages (JSON)', fail);
		}
		if (!Array.isArray(history))
			fail('Messages (JSON) must be an array of {"role", "content"} objects');
		(history as unknown[]).forEach((message, index) =>
			messages.push(checkMessage(message, `Messages (JSON) entry ${index + 1}`, fail)),
		);
		if ((history as unknown[]).length === 0)
			fail('Messages (JSON) is an empty array', 'Give at least one message.');
	} else {
		const list = (read('messages.values', itemIndex, []) as IDataObject[]) ?? [];
		if (list.length === 0) fail('No messages', 'Add at least one message under Messages.');
		list.forEach((message, index) => {
			// An expression may yield a number or boolean; the API wants text.
			const content =
				typeof message.content === 'number' || typeof message.content === 'boolean'
					? String(message.content)
					: message.content;
			messages.push(
				checkMessage({ role: message.role ?? 'user', content }, `Message ${index + 1}`, fail),
			);
		});
	}
	return messages;
}

function checkMessage(
	message: unknown,
	label: string,
	fail: (message: string, description?: string) => never,
): IDataObject {
	if (!isObject(message)) return fail(`${label} must be an object with "role" and "content"`);
	const { role, content } = message;
	if (typeof role !== 'string' || !ROLES.includes(role)) {
		return fail(
			`${label} has an unknown role ${JSON.stringify(role)}`,
			`Allowed roles: ${ROLES.join(', ')}.`,
		);
	}
	const hasToolCalls =
		role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
	const emptyContent =
		content === undefined ||
		content === null ||
		(typeof content === 'string' && content.trim() === '') ||
		(Array.isArray(content) && content.length === 0);
	if (emptyContent && !hasToolCalls) return fail(`${label} has empty content`);
	if (!emptyContent && typeof content !== 'string' && !Array.isArray(content)) {
		return fail(`${label} content must be text (or an array of content parts)`);
	}
	return message;
}

function parseJsonOption(
	value: unknown,
	label: string,
	fail: (message: string, description?: string) => never,
): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		return fail(`${label} is not valid JSON: ${(error as Error).message}`);
	}
}
