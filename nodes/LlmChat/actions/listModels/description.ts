import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { everyModelIsChat, providerNames, providersWhere } from '../../../shared/providers';

/** Where the provider table filters the model list: those APIs tell chat models apart. */
const FILTERED = providerNames(providersWhere((p) => p.isChatModel !== everyModelIsChat));

const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Non-Chat Models',
				name: 'allTypes',
				type: 'boolean',
				default: false,
				description: `Whether to list every model the provider has (image, embedding, audio …), not only chat models. Only ${FILTERED} tell the types apart.`,
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['listModels'] } },
	properties,
);
