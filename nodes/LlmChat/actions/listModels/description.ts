import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

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
				description:
					'Whether to list every model the provider has (image, embedding, audio …), not only chat models. Only Together AI tells the types apart.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['listModels'] } },
	properties,
);
