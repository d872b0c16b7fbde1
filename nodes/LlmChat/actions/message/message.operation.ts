import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parameterReader } from '../../helpers/parameters';
import { mapConcurrent } from '../../helpers/pool';
import { RateLimiter } from '../../helpers/rateLimiter';
import type { Provider } from '../../providers';
import { providersWhere } from '../../providers';
import { apiRequest, resolveEndpoint } from '../../transport';
import { assertChatCompletion, simplifyCompletion } from './chatOutput';
import { buildChatRequest } from './chatRequest';

const show = { operation: ['message'] };

export const DEFAULT_MAX_CONCURRENCY = 5;

export const properties: INodeProperties[] = [
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. You are a concise assistant that answers in English.',
		description:
			'Instructions sent first, as a message with the role "system". Leave empty to send none.',
		displayOptions: { show },
	},
	{
		displayName: 'Messages Input',
		name: 'messagesInputMode',
		type: 'options',
		options: [
			{
				name: 'Define Below',
				value: 'list',
				description: 'Write each message, with expressions where needed',
			},
			{
				name: 'From JSON',
				value: 'json',
				description: 'Take a whole chat history array from an expression',
			},
		],
		default: 'list',
		displayOptions: { show },
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: { values: [{ role: 'user', content: '' }] },
		displayOptions: { show: { ...show, messagesInputMode: ['list'] } },
		options: [
			{
				displayName: 'Message',
				name: 'values',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						options: [
							{ name: 'User', value: 'user', description: 'A message from the person asking' },
							{
								name: 'Assistant',
								value: 'assistant',
								description: 'An earlier answer of the model, for few-shot examples or history',
							},
							{ name: 'System', value: 'system', description: 'Instructions for the model' },
						],
						default: 'user',
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
						placeholder: 'e.g. Summarise this text: {{ $json.text }}',
					},
				],
			},
		],
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '[\n  {"role": "user", "content": "Hello"}\n]',
		description:
			'A chat history: an array of objects with "role" (system, user, assistant or tool) and "content", usually from an expression that reads the history field of the input item',
		displayOptions: { show: { ...show, messagesInputMode: ['json'] } },
	},
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return the reply text, role, finish reason, model, token usage and tool calls instead of the raw API response',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Extra Body Parameters',
				name: 'extraBody',
				type: 'json',
				default: '{}',
				description:
					'A JSON object merged into the request body for provider-specific settings, e.g. <code>{"top_k": 40, "repetition_penalty": 1.1}</code> for Together AI. May not set "model" or "messages".',
			},
			{
				displayName: 'Frequency Penalty',
				name: 'frequencyPenalty',
				type: 'number',
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
				default: 0,
				description: 'Between -2 and 2: positive values make the model repeat itself less',
			},
			{
				displayName: 'JSON Schema',
				name: 'jsonSchema',
				type: 'json',
				default:
					'{\n  "type": "object",\n  "properties": {\n    "answer": { "type": "string" }\n  },\n  "required": ["answer"]\n}',
				description: 'The JSON Schema the reply must follow (Response Format "JSON Schema")',
				displayOptions: { show: { responseFormat: ['jsonSchema'] } },
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: DEFAULT_MAX_CONCURRENCY,
				description:
					'How many items are sent at the same time. Output order always follows input order. Raise it for speed, lower it when the provider answers 429 (rate limit).',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description:
					'How often a request is retried after a rate limit (429), a server error (5xx), a timeout or a dropped connection. Waits ~0.5 s, 1 s, 2 s … up to 8 s, or what the server asks for in Retry-After.',
			},
			{
				displayName: 'Maximum Number of Tokens',
				name: 'maxTokens',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1024,
				description: 'The most tokens the reply may have',
			},
			{
				displayName: 'Number of Completions',
				name: 'n',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 128 },
				default: 1,
				description:
					'How many alternative replies to generate; all of them appear in the output under "completions"',
			},
			{
				displayName: 'Presence Penalty',
				name: 'presencePenalty',
				type: 'number',
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
				default: 0,
				description:
					'Between -2 and 2: positive values make the model more likely to talk about new topics',
			},
			{
				displayName: 'Reasoning Effort',
				name: 'reasoningEffort',
				type: 'options',
				options: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].map((value) => ({
					name: value.charAt(0).toUpperCase() + value.slice(1),
					value,
				})),
				default: 'medium',
				description:
					'How much a reasoning model thinks before answering. OpenAI accepts all values (depending on the model); Together AI accepts Low, Medium and High.',
				displayOptions: {
					show: { '/provider': providersWhere((p) => p.reasoningEfforts.length > 0) },
				},
			},
			{
				displayName: 'Requests per Minute',
				name: 'requestsPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'The most requests (retries included) started in any 60-second window, to stay under a rate-limited plan. 0 means no limit.',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text' },
					{
						name: 'JSON Object',
						value: 'jsonObject',
						description: 'The reply is valid JSON; the output also holds it parsed, as an object',
					},
					{
						name: 'JSON Schema',
						value: 'jsonSchema',
						description:
							'The reply follows the JSON Schema below; the output also holds it parsed, as an object',
					},
				],
				default: 'text',
			},
			{
				displayName: 'Schema Name',
				name: 'jsonSchemaName',
				type: 'string',
				default: 'response',
				description: 'A name for the schema (letters, digits, _ and -), required by OpenAI',
				displayOptions: { show: { responseFormat: ['jsonSchema'] } },
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: 0,
				description: 'Makes sampling repeatable where the provider supports it',
			},
			{
				displayName: 'Stop Sequences',
				name: 'stop',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'One sequence per line; generation stops before any of them',
			},
			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				default: 1,
				description: 'Between 0 and 2: lower is more focused and repeatable, higher is more varied',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300000,
				description:
					'Milliseconds to wait for an answer to one request before it counts as timed out (and is retried). Long generations can take minutes.',
			},
			{
				displayName: 'Tools',
				name: 'tools',
				type: 'json',
				default: '[]',
				description:
					'Function definitions the model may call, as a JSON array of <code>{"type": "function", "function": {"name", "description", "parameters"}}</code>. Calls appear in the output as "toolCalls".',
			},
			{
				displayName: 'Top P',
				name: 'topP',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 1,
				description: 'Between 0 and 1: only tokens within this probability mass are considered',
			},
			{
				displayName: 'User',
				name: 'user',
				type: 'string',
				default: '',
				description: 'An ID of your end user, which OpenAI uses to detect abuse',
				displayOptions: { show: { '/provider': providersWhere((p) => p.supportsUser) } },
			},
		],
	},
];

function executionSettings(ctx: IExecuteFunctions) {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency =
		typeof options.maxConcurrency === 'number' ? options.maxConcurrency : DEFAULT_MAX_CONCURRENCY;
	const perMinute =
		typeof options.requestsPerMinute === 'number' ? Math.floor(options.requestsPerMinute) : 0;
	return { concurrency, rateLimiter: perMinute > 0 ? new RateLimiter(perMinute) : undefined };
}

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	// Settled once, awaited by each item: a credential problem then fails every item on its own,
	// so Continue On Fail still pairs each one (and no rejection is left unhandled).
	const endpoint = resolveEndpoint.call(this, provider).then(
		(resolved) => ({ resolved }),
		(error: unknown) => ({ error }),
	);
	const { concurrency, rateLimiter } = executionSettings(this);
	const continueOnFail = this.continueOnFail();
	const read = parameterReader(this);

	return await mapConcurrent(
		items.length,
		concurrency,
		async (itemIndex): Promise<INodeExecutionData> => {
			try {
				const request = buildChatRequest.call(this, itemIndex, provider, read);
				const settled = await endpoint;
				if ('error' in settled) throw settled.error;
				const response = await apiRequest.call(
					this,
					settled.resolved,
					'POST',
					provider.chatPath,
					request.body,
					{
						timeoutMs: request.timeoutMs,
						maxRetries: request.maxRetries,
						rateLimiter,
						itemIndex,
					},
				);
				const completion = assertChatCompletion(this.getNode(), provider, response, itemIndex);
				const simplify = read('simplify', itemIndex, true) as boolean;
				return {
					json: simplify
						? simplifyCompletion(this.getNode(), completion, request.responseFormat, itemIndex)
						: completion,
					pairedItem: { item: itemIndex },
				};
			} catch (error) {
				if (!continueOnFail) {
					throw error instanceof NodeApiError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				}
				const description = (error as { description?: unknown }).description;
				return {
					json: {
						error: (error as Error).message,
						...(typeof description === 'string' ? { errorDescription: description } : {}),
					},
					pairedItem: { item: itemIndex },
				};
			}
		},
	);
}
