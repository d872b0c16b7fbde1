import type { INodeProperties } from 'n8n-workflow';

import { PROVIDER_IDS, PROVIDERS } from '../../shared/providers';

/** Provider, operation and model: the parameters every operation shares. */
export const commonProperties: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: PROVIDER_IDS.map((id) => ({ name: PROVIDERS[id].displayName, value: id })),
		default: 'openAi',
		description: 'Which API to call; each has its own credential',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Message a Model',
				value: 'message',
				action: 'Message a model',
				description: 'Send a chat conversation to a model and get its reply',
			},
			{
				name: 'List Models',
				value: 'listModels',
				action: 'List models',
				description: 'List the models the provider offers',
			},
		],
		default: 'message',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			'The model that answers. A self-hosted TGI server serves one model and ignores this field, so it may stay empty there.',
		displayOptions: { show: { operation: ['message'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. gpt-4o-mini or meta-llama/Llama-3.3-70B-Instruct-Turbo',
			},
		],
	},
];
