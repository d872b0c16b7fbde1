import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chatOptionFields } from '../../../shared/chat/options.description';
import { DEFAULT_MAX_CONCURRENCY } from '../../../shared/defaults';

const maxConcurrency: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: DEFAULT_MAX_CONCURRENCY,
	description:
		'How many items are sent at the same time. Output order always follows input order. Raise it for speed, lower it when the provider answers 429 (rate limit).',
};

const messageOptions = [...chatOptionFields, maxConcurrency].sort((a, b) =>
	a.displayName.localeCompare(b.displayName),
);

const properties: INodeProperties[] = [
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. You are a concise assistant that answers in English.',
		description:
			'Instructions sent first, as a message with the role "system". Leave empty to send none.',
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
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: { values: [{ role: 'user', content: '' }] },
		displayOptions: { show: { messagesInputMode: ['list'] } },
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
		displayOptions: { show: { messagesInputMode: ['json'] } },
	},
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return the reply text, role, finish reason, model, token usage and tool calls instead of the raw API response',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: messageOptions,
	},
];

export const description = updateDisplayOptions({ show: { operation: ['message'] } }, properties);
