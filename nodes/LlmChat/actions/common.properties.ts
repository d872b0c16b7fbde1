import type { INodeProperties } from 'n8n-workflow';

import { modelProperty, providerProperty } from '../../shared/chat/model.description';
import { GET_BATCH_RESULTS } from './batch/description';

/** Provider, operation and model: the parameters every operation shares. */
export const commonProperties: INodeProperties[] = [
	providerProperty,
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
				name: GET_BATCH_RESULTS,
				value: 'batchResults',
				action: 'Get batch results',
				description:
					'Read the status of a batch job, or its results once it has ended (OpenAI and Together AI)',
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
	{ ...modelProperty, displayOptions: { show: { operation: ['message'] } } },
];
