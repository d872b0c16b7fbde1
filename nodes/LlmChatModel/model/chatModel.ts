import type {
	ChatModel,
	ChatModelConfig,
	GenerateResult,
	Message,
	StreamChunk,
} from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import type { ReplyDelta } from '../../shared/chat/chatStreamReader';
import { toChatMessages } from './messages';
import type { ReasoningRecall } from './reasoningMemory';
import { toGenerateResult } from './result';
import { readableInChat } from './streamFailure';
import type { ToJsonSchema } from './tools';
import { toChatTools } from './tools';

/** What one call to the model asks of the provider, in OpenAI's chat form. */
export interface ChatCall {
	messages: IDataObject[];
	tools?: IDataObject[];
	stop?: string[];
}

/** Sends one chat request through the package's transport; with `relay`, streamed. */
export type SendChat = (
	call: ChatCall,
	relay?: (delta: ReplyDelta) => Promise<void>,
) => Promise<IDataObject>;

/** The SDK's module, as n8n (2.16 and later) provides it. */
export type Sdk = typeof import('@n8n/ai-node-sdk');

export type ChatModelClass = new (
	send: SendChat,
	reasoning: ReasoningRecall,
	provider: string,
	modelId: string,
) => ChatModel;

/**
 * The model class, built on the SDK's BaseChatModel once the SDK is loaded (n8n 1.x
 * has none, and this package must still load there). The SDK wraps it for LangChain;
 * every request goes through `send`, so retries, errors and redaction are LLM Chat's.
 */
export function defineChatModel(sdk: Sdk): ChatModelClass {
	return class LlmChatModelClient extends sdk.BaseChatModel {
		constructor(
			private readonly send: SendChat,
			// An own property: the copies withTools makes share it.
			private readonly reasoning: ReasoningRecall,
			provider: string,
			modelId: string,
		) {
			super(provider, modelId);
		}

		async generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult> {
			return this.remembered(await this.send(this.chatCall(messages, config)));
		}

		async *stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
			const pending: StreamChunk[] = [];
			let wake: (() => void) | undefined;
			let settled: { completion: IDataObject } | { error: unknown } | undefined;
			const notify = () => {
				wake?.();
				wake = undefined;
			};
			// The transport pushes deltas as they arrive; this generator hands them on as pulled.
			void this.send(this.chatCall(messages, config), async (delta) => {
				if (delta.reasoning) pending.push({ type: 'reasoning-delta', delta: delta.reasoning });
				if (delta.text) pending.push({ type: 'text-delta', delta: delta.text });
				notify();
			})
				.then(
					(completion) => (settled = { completion }),
					(error: unknown) => (settled = { error }),
				)
				.finally(notify);
			for (;;) {
				const next = pending.shift();
				if (next) yield next;
				else if (settled) break;
				else await new Promise<void>((resolve) => (wake = resolve));
			}
			if (!settled || 'error' in settled) throw readableInChat(settled?.error);
			// n8n's adapter drops reasoning deltas: the assembled completion's reasoning is kept here.
			const result = this.remembered(settled.completion);
			// Whole calls, each with its id: LangChain merges same-index deltas only when ids match.
			for (const part of result.message.content) {
				if (part.type === 'tool-call')
					yield {
						type: 'tool-call-delta',
						id: part.toolCallId,
						name: part.toolName,
						argumentsDelta: part.input,
					};
				// As a delta, LangChain would repair cut-off JSON into a call that runs.
				if (part.type === 'invalid-tool-call') yield { type: 'content', content: part };
			}
			yield { type: 'finish', finishReason: result.finishReason ?? 'other', usage: result.usage };
		}

		/** The SDK's result; the reasoning of a tool-call turn is kept for when the agent sends it back. */
		private remembered(completion: IDataObject): GenerateResult {
			const result = toGenerateResult(completion);
			const ids = result.message.content.flatMap((part) =>
				part.type === 'tool-call' && part.toolCallId ? [part.toolCallId] : [],
			);
			if (ids.length > 0) this.reasoning.remember(completion, ids);
			return result;
		}

		private chatCall(messages: Message[], config?: ChatModelConfig): ChatCall {
			// LangChain hands its call options over as `config`: `stop` there, `stopSequences` in the SDK's.
			const options = (config ?? {}) as ChatModelConfig & { stop?: unknown };
			const stop = Array.isArray(options.stop) ? options.stop : options.stopSequences;
			return {
				messages: toChatMessages(messages, this.reasoning.recall),
				tools: this.tools.length
					? toChatTools(this.tools, sdk.getParametersJsonSchema as ToJsonSchema)
					: undefined,
				stop: stop?.length ? stop.map(String) : undefined,
			};
		}
	};
}
