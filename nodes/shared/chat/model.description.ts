import type { INodeProperties } from 'n8n-workflow';

import { PROVIDER_IDS, PROVIDERS } from '../providers';

/** Provider and Model, as both nodes show them: same names, so a workflow reads the same in each. */
export const providerProperty: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	options: PROVIDER_IDS.map((id) => ({ name: PROVIDERS[id].displayName, value: id })),
	default: 'openAi',
	description: 'Which API to call; each has its own credential',
};

export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The model that answers. A self-hosted TGI server serves one model and ignores this field, so it may stay empty there.',
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
};
