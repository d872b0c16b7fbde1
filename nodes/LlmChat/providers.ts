import type { IDataObject } from 'n8n-workflow';

/**
 * The one place that knows how the supported OpenAI-compatible APIs differ.
 * Adding a provider means one entry here and one credential class.
 */
export type ProviderId = 'togetherAi' | 'huggingFaceTgi' | 'openAi';

export interface ModelInfo extends IDataObject {
	id: string;
}

export interface Provider {
	id: ProviderId;
	displayName: string;
	credentialType: string;
	chatPath: string;
	modelsPath: string;
	/** A self-hosted TGI serves one model and ignores the field. */
	modelRequired: boolean;
	/** OpenAI deprecated `max_tokens` for `max_completion_tokens`; the others still take `max_tokens`. */
	tokenLimitField: 'max_tokens' | 'max_completion_tokens';
	/** Empty when the API has no reasoning effort parameter. */
	reasoningEfforts: string[];
	supportsUser: boolean;
	jsonObjectFormat: () => IDataObject;
	jsonSchemaFormat: (schema: IDataObject, name: string) => IDataObject;
	/** Models offered in the model picker; List Models can ask for all of them. */
	isChatModel: (model: ModelInfo) => boolean;
	/** A tool definition in the form the API documents (given in OpenAI's form). */
	adaptTool: (tool: IDataObject) => IDataObject;
	/** A chat-history message in the form the API documents (given in OpenAI's form). */
	adaptMessage: (message: IDataObject) => IDataObject;
}

const asIs = (value: IDataObject) => value;

const openAiJsonSchema = (schema: IDataObject, name: string): IDataObject => ({
	type: 'json_schema',
	json_schema: { name, schema },
});

export const PROVIDERS: Record<ProviderId, Provider> = {
	togetherAi: {
		id: 'togetherAi',
		displayName: 'Together AI',
		credentialType: 'llmChatTogetherAiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: true,
		tokenLimitField: 'max_tokens',
		reasoningEfforts: ['low', 'medium', 'high'],
		supportsUser: false,
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: (model) => model.type === undefined || model.type === 'chat',
		adaptTool: asIs,
		// Together's schema wants text content and an `index` on each tool call of an assistant turn.
		adaptMessage: (message) =>
			Array.isArray(message.tool_calls)
				? {
						...message,
						content: message.content ?? '',
						tool_calls: (message.tool_calls as IDataObject[]).map((call, index) => ({
							index,
							...call,
						})),
					}
				: message,
	},
	huggingFaceTgi: {
		id: 'huggingFaceTgi',
		displayName: 'Hugging Face TGI',
		credentialType: 'llmChatHuggingFaceTgiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: false,
		tokenLimitField: 'max_tokens',
		reasoningEfforts: [],
		supportsUser: false,
		// TGI's grammar form: {type: "json", value: <JSON schema>}; it has no json_object mode.
		jsonObjectFormat: () => ({ type: 'json', value: { type: 'object' } }),
		jsonSchemaFormat: (schema) => ({ type: 'json', value: schema }),
		isChatModel: () => true,
		// TGI names a function's JSON schema `arguments` (it also reads `parameters` as an alias).
		adaptTool: (tool) => {
			const { parameters, ...fn } = (tool.function ?? {}) as IDataObject;
			return { ...tool, function: { ...fn, arguments: parameters ?? {} } };
		},
		adaptMessage: asIs,
	},
	openAi: {
		id: 'openAi',
		displayName: 'OpenAI',
		credentialType: 'llmChatOpenAiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: true,
		tokenLimitField: 'max_completion_tokens',
		reasoningEfforts: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'],
		supportsUser: true,
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: () => true,
		adaptTool: asIs,
		adaptMessage: asIs,
	},
};

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

export function providersWhere(predicate: (provider: Provider) => boolean): ProviderId[] {
	return PROVIDER_IDS.filter((id) => predicate(PROVIDERS[id]));
}

/**
 * Model lists come in three shapes: OpenAI's `{object: "list", data: [...]}`,
 * Together's bare array, and TGI's single model object (`model_id`).
 */
export function normalizeModelList(body: unknown): ModelInfo[] {
	const entries: unknown[] = Array.isArray(body)
		? body
		: isObject(body) && Array.isArray(body.data)
			? body.data
			: isObject(body) && (typeof body.id === 'string' || typeof body.model_id === 'string')
				? [body]
				: [];
	return entries.filter(isObject).flatMap((entry) => {
		const id = entry.id ?? entry.model_id;
		if (typeof id !== 'string' || id === '') return [];
		const model: ModelInfo = { id };
		const ownedBy = entry.owned_by ?? entry.organization;
		if (ownedBy !== undefined) model.ownedBy = ownedBy as string;
		if (typeof entry.display_name === 'string') model.name = entry.display_name;
		if (typeof entry.type === 'string') model.type = entry.type;
		const contextLength = entry.context_length ?? entry.max_total_tokens ?? entry.max_input_tokens;
		if (typeof contextLength === 'number') model.contextLength = contextLength;
		if (typeof entry.created === 'number') model.created = entry.created;
		return [model];
	});
}

export function isModelList(body: unknown): boolean {
	const hasId = (entry: unknown) =>
		isObject(entry) && (typeof entry.id === 'string' || typeof entry.model_id === 'string');
	if (Array.isArray(body)) return body.every(hasId);
	if (!isObject(body)) return false;
	if (Array.isArray(body.data)) return body.data.every(hasId);
	return hasId(body);
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
