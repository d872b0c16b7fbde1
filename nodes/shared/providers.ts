import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { MB } from './defaults';
import type { ModelInfo } from './models';

/**
 * The one place that knows how the supported OpenAI-compatible APIs differ.
 * Adding a provider means one entry here, one credential class and one line in
 * each node's credential list.
 */
export type ProviderId = 'togetherAi' | 'huggingFaceTgi' | 'openAi';

/**
 * A provider's Batch API: a JSONL file of chat requests is uploaded, a job is created
 * from it, and its results are read from files once it ends (within the window, at about
 * half the price). Statuses are compared in lower case (Together writes them in capitals).
 */
export interface BatchApi {
	/** Where the JSONL file is uploaded (multipart). */
	uploadPath: string;
	/** The form fields sent with the file, besides `file` itself. */
	uploadFields: (fileName: string) => Record<string, string>;
	batchesPath: string;
	/** The chat endpoint each line is sent to, as the Batch API names it. */
	endpoint: string;
	/** Fields besides `custom_id` and `body` that each line carries. */
	lineFields: IDataObject;
	completionWindow: string;
	/** The window in milliseconds: how long the node waits by default. */
	windowMs: number;
	/** Per-job limits: more requests, or a larger file, go out as several jobs. */
	maxRequests: number;
	maxFileBytes: number;
	maxCustomIdLength: number;
	/** The job in the answer to create (Together wraps it as `{job, warning}`). */
	createdJob: (answer: IDataObject) => IDataObject;
}

const DAY_MS = 24 * 3_600_000;

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
	/** False where `n` is ignored (a self-hosted TGI always answers once). */
	supportsN: boolean;
	/** The most stop sequences the API takes, when it has a limit. */
	maxStopSequences?: number;
	/** Sent with `stream: true` where the API takes it, so the last event carries the usage. */
	streamOptions?: IDataObject;
	jsonObjectFormat: () => IDataObject;
	/** `strict` is a request: APIs without strict mode enforce the schema anyway or not at all. */
	jsonSchemaFormat: (schema: IDataObject, name: string, strict: boolean) => IDataObject;
	/** Models offered in the model picker; List Models can ask for all of them. */
	isChatModel: (model: ModelInfo) => boolean;
	/** A tool definition in the form the API documents (given in OpenAI's form). */
	adaptTool: (tool: IDataObject) => IDataObject;
	/** A chat-history message in the form the API documents (given in OpenAI's form). */
	adaptMessage: (message: IDataObject) => IDataObject;
	/**
	 * Dialects chosen by the credential's Server Kind: the Hugging Face credential reaches
	 * either the router (OpenAI's forms, the default) or a self-hosted TGI (its own forms).
	 */
	serverKinds?: Record<string, Partial<Provider>>;
	/** Absent where the API has no Batch API (Hugging Face). */
	batch?: BatchApi;
	/** Where the model list carries prices; unset when the API lists none (OpenAI, a TGI). */
	priceList?: PriceListShape;
	/** The provider's name in OpenTelemetry's GenAI attributes (gen_ai.provider.name). */
	telemetryName: string;
}

/** Prices in a model list, in USD per million tokens: which fields hold them. */
export interface PriceListShape {
	/** The object of a model (or of a router provider) that holds the prices. */
	field: string;
	input: string;
	output: string;
	cachedInput?: string;
	/**
	 * A router lists prices per provider of a model: `list` holds them, each named by `name`,
	 * and the reply's `header` says which provider answered (or a model id's `:provider` suffix).
	 */
	perProvider?: { list: string; name: string; header: string };
}

const asIs = (value: IDataObject) => value;

/** For an API whose model list does not tell chat models from the others: all count as chat models. */
export const everyModelIsChat = () => true;

const openAiJsonSchema = (schema: IDataObject, name: string, strict: boolean): IDataObject => ({
	type: 'json_schema',
	json_schema: { name, schema, strict },
});

/** Chat models among OpenAI's models: not image, audio, embedding, moderation or legacy completion models. */
const OPENAI_NON_CHAT =
	/^(dall-e|gpt-image|whisper|tts|text-embedding|omni-moderation|text-moderation|babbage|davinci|sora)|-(tts|transcribe|realtime|audio)(-|$)|-instruct$/;

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
		supportsN: true,
		// Together's API has no stream_options; it puts the usage in the last chunk by itself.
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: (model) => model.type === undefined || model.type === 'chat',
		// Together's lines are `{custom_id, body}`; its results come in any order.
		batch: {
			uploadPath: 'files/upload',
			uploadFields: (fileName) => ({
				purpose: 'batch-api',
				file_name: fileName,
				file_type: 'jsonl',
			}),
			batchesPath: 'batches',
			endpoint: '/v1/chat/completions',
			lineFields: {},
			completionWindow: '24h',
			windowMs: DAY_MS,
			maxRequests: 50_000,
			maxFileBytes: 100 * MB,
			maxCustomIdLength: 64,
			createdJob: (answer) =>
				typeof answer.job === 'object' && answer.job !== null
					? (answer.job as IDataObject)
					: answer,
		},
		adaptTool: asIs,
		priceList: { field: 'pricing', input: 'input', output: 'output', cachedInput: 'cached_input' },
		telemetryName: 'together_ai',
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
		displayName: 'Hugging Face',
		credentialType: 'llmChatHuggingFaceTgiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		// The router: OpenAI's forms (it is OpenAI-compatible and passes them on to the provider).
		modelRequired: true,
		tokenLimitField: 'max_tokens',
		reasoningEfforts: [],
		supportsUser: false,
		supportsN: true,
		streamOptions: { include_usage: true },
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: everyModelIsChat,
		adaptTool: asIs,
		adaptMessage: asIs,
		priceList: {
			field: 'pricing',
			input: 'input',
			output: 'output',
			perProvider: { list: 'providers', name: 'provider', header: 'x-inference-provider' },
		},
		telemetryName: 'huggingface',
		serverKinds: {
			selfHosted: {
				displayName: 'Hugging Face TGI',
				// A self-hosted server lists its one model, without prices.
				priceList: undefined,
				modelRequired: false,
				supportsN: false,
				// TGI has no json_object mode: a grammar that allows any object.
				jsonObjectFormat: () => ({ type: 'json', value: { type: 'object' } }),
				// TGI >= 3 documents json_schema with a name; its grammar always holds the reply to it.
				jsonSchemaFormat: (schema, name) => ({ type: 'json_schema', value: { name, schema } }),
				// TGI's API documents a function's schema as `arguments` (it also reads `parameters`).
				adaptTool: (tool) => {
					const { parameters, ...fn } = (tool.function ?? {}) as IDataObject;
					return { ...tool, function: { ...fn, arguments: parameters ?? {} } };
				},
				// TGI's API documents a message as text or tool calls, never both (a oneOf): a
				// tool-call turn goes as its calls alone, as TGI itself answers one. n8n's agent
				// rebuilds such a turn with a text ("Calling … with input: …") beside the calls.
				adaptMessage: (message) => {
					if (!Array.isArray(message.tool_calls) || message.tool_calls.length === 0) return message;
					const calls: IDataObject = { ...message };
					delete calls.content;
					return calls;
				},
			},
		},
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
		supportsN: true,
		maxStopSequences: 4,
		streamOptions: { include_usage: true },
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: (model) => !OPENAI_NON_CHAT.test(model.id),
		batch: {
			uploadPath: 'files',
			uploadFields: () => ({ purpose: 'batch' }),
			batchesPath: 'batches',
			endpoint: '/v1/chat/completions',
			lineFields: { method: 'POST', url: '/v1/chat/completions' },
			completionWindow: '24h',
			windowMs: DAY_MS,
			maxRequests: 50_000,
			maxFileBytes: 200 * MB,
			maxCustomIdLength: 512,
			createdJob: (answer) => answer,
		},
		adaptTool: asIs,
		adaptMessage: asIs,
		telemetryName: 'openai',
	},
};

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/** Provider names for a sentence: "A", "A and B", "A, B and C". */
export function providerNames(ids: ProviderId[]): string {
	const names = ids.map((id) => PROVIDERS[id].displayName);
	return names.length <= 2
		? names.join(' and ')
		: `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function providersWhere(predicate: (provider: Provider) => boolean): ProviderId[] {
	return PROVIDER_IDS.filter((id) => predicate(PROVIDERS[id]));
}

/** The dialect a credential asks for: the provider, with its Server Kind's differences. */
export function dialectFor(
	provider: Provider,
	credentials: ICredentialDataDecryptedObject,
): Provider {
	const kind = typeof credentials.serverKind === 'string' ? credentials.serverKind : '';
	const overrides = provider.serverKinds?.[kind];
	return overrides ? { ...provider, ...overrides } : provider;
}

/** Finish reasons as the APIs name them, and what they mean. */
const FINISH_REASONS: Record<string, string> = {
	stop: 'stop',
	eos: 'stop', // Together
	eos_token: 'stop', // TGI
	stop_sequence: 'stop',
	end_turn: 'stop',
	length: 'length',
	max_tokens: 'length',
	tool_calls: 'tool_calls',
	function_call: 'tool_calls',
	content_filter: 'content_filter',
};

export function normalizeFinishReason(raw: unknown, hasToolCalls: boolean): string | null {
	// TGI 3.x says `stop` when it answered with tool calls.
	if (hasToolCalls) return 'tool_calls';
	if (typeof raw !== 'string') return null;
	return FINISH_REASONS[raw] ?? raw;
}

/** Where APIs put a message's reasoning; a leading <think> block in the text is the third way. */
export const REASONING_FIELDS = ['reasoning_content', 'reasoning'];

/** Where providers that send no Retry-After on a 429 say when their limits reset. */
export const RATE_LIMIT_RESET_HEADERS: Array<{ name: string; unit: 'seconds' | 'duration' }> = [
	{ name: 'x-ratelimit-reset', unit: 'seconds' }, // Together AI
	{ name: 'x-ratelimit-reset-requests', unit: 'duration' }, // OpenAI, e.g. "1s", "6m0s"
	{ name: 'x-ratelimit-reset-tokens', unit: 'duration' }, // OpenAI
];
