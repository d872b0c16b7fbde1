/** Model lists as every caller sees them, whatever shape the provider listed them in (pure). */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from './json';

/** One model as every caller sees it, whatever shape the provider listed it in. */
export interface ModelInfo extends IDataObject {
	id: string;
}

const hasId = (entry: unknown) =>
	isObject(entry) && (typeof entry.id === 'string' || typeof entry.model_id === 'string');

/**
 * Model lists come in three shapes: OpenAI's `{object: "list", data: [...]}`,
 * Together's bare array, and TGI's single model object (`model_id`).
 */
export function isModelList(body: unknown): boolean {
	if (Array.isArray(body)) return body.every(hasId);
	if (!isObject(body)) return false;
	if (Array.isArray(body.data)) return body.data.every(hasId);
	return hasId(body);
}

export function normalizeModelList(body: unknown): ModelInfo[] {
	const entries: unknown[] = Array.isArray(body)
		? body
		: isObject(body) && Array.isArray(body.data)
			? body.data
			: hasId(body)
				? [body]
				: [];
	return entries.filter(isObject).flatMap((entry) => {
		const id = entry.id ?? entry.model_id;
		if (typeof id !== 'string' || id === '') return [];
		const model: ModelInfo = { id };
		const ownedBy = entry.owned_by ?? entry.organization;
		// TGI fills owned_by with the model id and created with 0: nothing to tell.
		if (ownedBy !== undefined && ownedBy !== id) model.ownedBy = ownedBy as string;
		if (typeof entry.display_name === 'string') model.name = entry.display_name;
		if (typeof entry.type === 'string') model.type = entry.type;
		const contextLength = entry.context_length ?? entry.max_total_tokens ?? entry.max_input_tokens;
		if (typeof contextLength === 'number') model.contextLength = contextLength;
		if (typeof entry.created === 'number' && entry.created > 0) model.created = entry.created;
		const providers = routerProviders(entry.providers);
		if (providers.length > 0) model.providers = providers;
		return [model];
	});
}

/**
 * The Hugging Face router lists, per model, the providers that serve it; a model id
 * with the suffix `:<provider>` picks one of them.
 */
function routerProviders(value: unknown): IDataObject[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isObject).flatMap((entry) => {
		if (typeof entry.provider !== 'string') return [];
		const provider: IDataObject = { provider: entry.provider };
		if (typeof entry.status === 'string') provider.status = entry.status;
		if (typeof entry.context_length === 'number') provider.contextLength = entry.context_length;
		if (typeof entry.supports_tools === 'boolean') provider.supportsTools = entry.supports_tools;
		if (typeof entry.supports_structured_output === 'boolean')
			provider.supportsStructuredOutput = entry.supports_structured_output;
		return [provider];
	});
}

/** Model ids to offer in a picker: each model, then `model:provider` for each live router provider. */
export function pickableIds(model: ModelInfo): string[] {
	const providers = (model.providers ?? []) as IDataObject[];
	const live = providers.filter((p) => p.status === undefined || p.status === 'live');
	return [model.id, ...live.map((p) => `${model.id}:${String(p.provider)}`)];
}
