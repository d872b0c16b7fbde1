/** The chat options both nodes show; provider facts in descriptions come from the provider table. */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../defaults';
import { PROVIDER_IDS, providerNames, PROVIDERS, providersWhere } from '../providers';

/** Every reasoning effort some provider accepts, in the order of the longest list. */
const REASONING_EFFORTS = [
	...new Set(
		PROVIDER_IDS.map((id) => PROVIDERS[id].reasoningEfforts)
			.sort((a, b) => b.length - a.length)
			.flat(),
	),
];

/** "; OpenAI takes at most 4" for each provider with a limit. */
const stopLimits = providersWhere((p) => p.maxStopSequences !== undefined)
	.map((id) => `; ${PROVIDERS[id].displayName} takes at most ${PROVIDERS[id].maxStopSequences}`)
	.join('');

function reasoningEffortsByProvider(): string {
	return providersWhere((p) => p.reasoningEfforts.length > 0)
		.map((id) => `${PROVIDERS[id].displayName}: ${PROVIDERS[id].reasoningEfforts.join(', ')}`)
		.join('; ');
}

/**
 * The chat options, as both nodes show them, under the same names. The node adds
 * its own (such as Max Concurrent Requests) and sorts the list.
 */
export const chatOptionFields: INodeProperties[] = [
	{
		displayName: 'Extra Body Parameters',
		name: 'extraBody',
		type: 'json',
		default: '{}',
		description:
			'A JSON object merged into the request body for provider-specific settings, e.g. <code>{"top_k": 40, "repetition_penalty": 1.1}</code> for Together AI. May not set "model", "messages" or "stream".',
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
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: DEFAULT_MAX_RETRIES,
		description:
			'How often a request is retried after a rate limit (429), a server error (5xx), a timeout or a dropped connection. Waits ~0.5 s, 1 s, 2 s … up to 8 s, or what the server asks for in Retry-After.',
	},
	{
		displayName: 'Max Response Size (MB)',
		name: 'maxResponseSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1024 },
		default: DEFAULT_MAX_RESPONSE_MB,
		description:
			"The most one answer may weigh, decompressed (a streamed answer counts its event framing, several times the text). The node stops reading there and fails the item without retrying, so a broken server or proxy cannot exhaust n8n's memory.",
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
		options: REASONING_EFFORTS.map((value) => ({
			name: value.charAt(0).toUpperCase() + value.slice(1),
			value,
		})),
		default: 'medium',
		description: `How much a reasoning model thinks before answering (${reasoningEffortsByProvider()}; which ones depend on the model)`,
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
			"The most requests (retries included) started in any 60-second window on this credential, shared by every execution and node using it in this n8n process. In queue mode each worker counts on its own: set your plan's limit divided by the number of workers. 0 means no limit.",
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
		description: `One sequence per line; generation stops before any of them. Write \\n for a line break (e.g. \\n\\n for a blank line) and \\t for a tab${stopLimits}.`,
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
		default: DEFAULT_TIMEOUT_MS,
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
		description: `An ID of your end user, which ${providerNames(providersWhere((p) => p.supportsUser))} uses to detect abuse`,
		displayOptions: { show: { '/provider': providersWhere((p) => p.supportsUser) } },
	},
	{
		displayName: 'Strict JSON Schema',
		name: 'jsonSchemaStrict',
		type: 'boolean',
		default: true,
		description:
			'Whether the provider must hold the reply to the schema exactly (OpenAI, Together AI and the Hugging Face router: "strict"; a self-hosted TGI always does). OpenAI\'s strict mode wants every property required and "additionalProperties": false.',
		displayOptions: { show: { responseFormat: ['jsonSchema'] } },
	},
	{
		displayName: 'Keep Reasoning in History',
		// The name of the earlier on/off switch: a saved true still reads as All.
		name: 'keepReasoningInHistory',
		type: 'options',
		options: [
			{
				name: 'Tool Loop Only',
				value: 'toolLoop',
				description:
					'Only on assistant turns with tool calls after the last user message, which DeepSeek and Kimi thinking models require back',
			},
			{
				name: 'All',
				value: 'all',
				description: 'On every assistant turn that has it',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Never (for APIs that refuse reasoning in the history)',
			},
		],
		default: 'toolLoop',
		description:
			'Which assistant turns in Messages (JSON) keep their "reasoning_content" / "reasoning" when sent',
	},
];

/** The options a node offers, name → label, so its error hints name only those (see transport). */
export function optionLabels(fields: INodeProperties[]): Record<string, string> {
	return Object.fromEntries(fields.map((field) => [field.name, field.displayName]));
}

/** An option's label as the UI shows it, for messages that name it. */
export function optionLabel(name: string): string {
	const field = chatOptionFields.find((option) => option.name === name);
	if (!field) throw new Error(`No chat option named ${name}`);
	return field.displayName;
}
