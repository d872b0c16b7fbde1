/**
 * The one chat path of both nodes. `readChatSettings` reads and checks an item's model
 * and options; `completeChat` builds the body in the credential's dialect (chatBody.ts),
 * sends it, streamed or not, through the transport (retries: transport/apiRequest.ts;
 * Timeout, size cap and redaction: transport/send.ts), inside the credential's Requests
 * per Minute window, and checks that a chat completion came back. Streaming: see
 * chatStreamReader.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../providers';
import { rateLimitFor } from '../rateLimit';
import type { Endpoint, OfferedOptions, RequestContext } from '../transport';
import { apiRequest } from '../transport';
import type { ChatOptions, RequestSettings } from './options';
import { checkForDialect, readChatOptions, readRequestSettings } from './options';
import { buildChatBody, streamingBody } from './chatBody';
import { CHAT_COMPLETION } from './response';
import type { ReplyDelta } from './chatStreamReader';
import { chatStreamReader } from './chatStreamReader';
import type { Fail } from './validation';

/** What one item asks for: the model, its chat options, and how its requests are sent. */
export interface ChatSettings {
	model: string;
	options: ChatOptions;
	request: RequestSettings;
	/** The credential's window; 0 for none. */
	requestsPerMinute: number;
	/** The options the node offers, so an error's hint names only those. */
	offers: OfferedOptions;
}

/** Reads one item's model and options, every check before any request. */
export function readChatSettings(
	model: unknown,
	options: IDataObject,
	provider: Provider,
	node: { requestsPerMinute: number; offers: OfferedOptions },
	fail: Fail,
): ChatSettings {
	return {
		model: String(model ?? '').trim(),
		options: readChatOptions(options, provider, fail),
		request: readRequestSettings(options, fail),
		...node,
	};
}

/** What only the credential's dialect can tell (Hugging Face: router or self-hosted TGI). */
export function checkChatSettings(settings: ChatSettings, target: Endpoint, fail: Fail): void {
	checkForDialect(settings.model, settings.options, target.provider, fail);
}

/** One model call: its history, the tools and stop sequences of this call, and a relay when streamed. */
export interface ChatCall {
	messages: IDataObject[];
	tools?: IDataObject[];
	stop?: string[];
	/** Set when the reply is streamed: each masked delta goes here as it arrives. */
	relay?: (delta: ReplyDelta) => Promise<void>;
	itemIndex?: number;
	/** Another model than the settings' (a fallback model). */
	model?: string;
	/** Sees the answer's (redacted) headers: which router provider answered, for its price. */
	onResponse?: (headers: IDataObject) => void;
}

/** Sends one chat request and returns the completion, plain or assembled from the stream alike. */
export async function completeChat(
	ctx: RequestContext,
	target: Endpoint,
	settings: ChatSettings,
	call: ChatCall,
): Promise<IDataObject> {
	const dialect = target.provider;
	const body = buildChatBody(dialect, call.model ?? settings.model, call.messages, {
		...settings.options,
		...(call.tools ? { tools: call.tools } : {}),
		stop: call.stop ?? settings.options.stop,
	});
	return (await apiRequest.call(
		ctx,
		target,
		'POST',
		dialect.chatPath,
		call.relay ? streamingBody(dialect, body) : body,
		{
			...settings.request,
			rateLimit: rateLimitFor(target.rateLimitKey, settings.requestsPerMinute),
			offers: settings.offers,
			itemIndex: call.itemIndex,
			expect: CHAT_COMPLETION,
			readStream: call.relay ? chatStreamReader(call.relay) : undefined,
			onResponse: call.onResponse,
		},
	)) as IDataObject;
}
