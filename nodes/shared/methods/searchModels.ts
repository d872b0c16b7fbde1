import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fetchModels } from '../fetchModels';
import { pickableIds } from '../models';
import type { ProviderId } from '../providers';
import { PROVIDERS } from '../providers';

/** The model picker: the chosen credential's `GET {base}/{version}/models`, chat models only. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = PROVIDERS[this.getNodeParameter('provider', 'openAi') as ProviderId];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (await fetchModels.call(this, provider, { chatOnly: true }))
		.filter(
			(model) =>
				needle === '' ||
				model.id.toLowerCase().includes(needle) ||
				String(model.name ?? '')
					.toLowerCase()
					.includes(needle),
		)
		.sort((a, b) => a.id.localeCompare(b.id))
		.flatMap(pickableIds)
		.map((id) => ({ name: id, value: id }));
	return { results };
}
