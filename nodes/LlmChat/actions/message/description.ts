import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chatOptionFields, optionLabels } from '../../../shared/chat/options.description';
import { DEFAULT_MAX_CONCURRENCY, MAX_IMAGE_BYTES, MB } from '../../../shared/defaults';
import { reliabilityOptions } from './reliable.description';

export const maxConcurrency: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: DEFAULT_MAX_CONCURRENCY,
	description:
		'How many items are sent at the same time. Output order always follows input order. Raise it for speed, lower it when the provider answers 429 (rate limit).',
};

/** LLM Chat only: the sub-node hands JSON to an agent or chain, which parse it themselves. */
export const repairInvalidJson: INodeProperties = {
	displayName: 'Repair Invalid JSON',
	name: 'repairInvalidJson',
	type: 'boolean',
	default: true,
	description:
		'Whether a JSON reply that is not valid JSON or does not match the JSON Schema is repaired: first locally (a Markdown code fence or text around the JSON is dropped), then by asking the model once more with the problems listed. That second request is counted in "usage" and "repairs" is 1. When n8n streams the reply into a chat, the chat shows the first reply; the corrected JSON is in the output only. A reply cut off by the token limit is never repaired. Off: the reply is checked, not repaired.',
	displayOptions: { show: { responseFormat: ['jsonObject', 'jsonSchema'] } },
};

/** Images of a user message, sent after its text as OpenAI's `image_url` content parts. */
const images: INodeProperties = {
	displayName: 'Images',
	name: 'images',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Image',
	default: {},
	description: 'Images for a vision model to look at, sent with this message',
	displayOptions: { show: { role: ['user'] } },
	options: [
		{
			displayName: 'Image',
			name: 'values',
			values: [
				{
					displayName: 'Source',
					name: 'source',
					type: 'options',
					options: [
						{
							name: 'Binary Property',
							value: 'binary',
							description: 'A file of the input item, sent inline as a data URL',
						},
						{
							name: 'Image URL',
							value: 'url',
							description: 'An address the provider fetches the image from',
						},
					],
					default: 'binary',
				},
				{
					displayName: 'Binary Property',
					name: 'binaryProperty',
					type: 'string',
					default: 'data',
					required: true,
					description: `The name of the input item's binary property that holds the image (an image/* file of at most ${MAX_IMAGE_BYTES / MB} MB)`,
					displayOptions: { show: { source: ['binary'] } },
				},
				{
					displayName: 'Image URL',
					name: 'url',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. https://example.com/photo.jpg',
					description: 'An http(s) address, or the image itself as a data:image/… URL',
					displayOptions: { show: { source: ['url'] } },
				},
				{
					displayName: 'Detail',
					name: 'detail',
					type: 'options',
					options: [
						{
							name: 'Default',
							value: 'default',
							description: 'Send no detail: the provider decides',
						},
						{ name: 'Auto', value: 'auto', description: 'The model picks low or high' },
						{
							name: 'Low',
							value: 'low',
							description: 'A small, cheap view of the image (fewer tokens)',
						},
						{
							name: 'High',
							value: 'high',
							description: 'A closer look at the details (more tokens)',
						},
					],
					default: 'default',
					description:
						'How closely the model looks at the image (OpenAI; other providers may ignore it)',
				},
			],
		},
	],
};

const messageOptions = [
	...chatOptionFields,
	maxConcurrency,
	repairInvalidJson,
	...reliabilityOptions,
].sort((a, b) => a.displayName.localeCompare(b.displayName));

/** What LLM Chat's Options offer, so its error hints name only these. */
export const offeredOptions = optionLabels(messageOptions);

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
					images,
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
