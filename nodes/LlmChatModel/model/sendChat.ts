import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import type { ChatOptions, RequestSettings } from '../../shared/chat/options';
import { buildChatBody, streamingBody } from '../../shared/chat/request';
import { CHAT_COMPLETION } from '../../shared/chat/response';
import { chatStreamReader } from '../../shared/chat/streamReply';
import { rateLimitFor } from '../../shared/rateLimit';
import type { Endpoint } from '../../shared/transport';
import { apiRequest } from '../../shared/transport';
import { offeredOptions } from '../description';
import type { SendChat } from './chatModel';

/**
 * The sub-node's one request path: LLM Chat's body builder and transport, so a
 * provider's dialect, retries, errors and redaction are the same in both nodes,
 * and both draw on the same Requests per Minute budget of a credential.
 */
export function chatSender(
	ctx: ISupplyDataFunctions,
	target: Endpoint,
	model: string,
	options: ChatOptions,
	settings: RequestSettings & { requestsPerMinute: number },
): SendChat {
	const dialect = target.provider;
	const rateLimit = rateLimitFor(target.rateLimitKey, settings.requestsPerMinute);
	return async (call, relay) => {
		const body = buildChatBody(dialect, model, call.messages, {
			...options,
			tools: call.tools,
			stop: call.stop ?? options.stop,
		});
		return (await apiRequest.call(
			ctx,
			target,
			'POST',
			dialect.chatPath,
			relay ? streamingBody(dialect, body) : body,
			{
				timeoutMs: settings.timeoutMs,
				maxRetries: settings.maxRetries,
				maxBytes: settings.maxBytes,
				offers: offeredOptions,
				rateLimit,
				expect: CHAT_COMPLETION,
				readStream: relay ? chatStreamReader(relay) : undefined,
			},
		)) as IDataObject;
	};
}
