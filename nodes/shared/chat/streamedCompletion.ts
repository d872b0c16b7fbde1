import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../json';
import { REASONING_FIELDS } from '../providers';

interface ChoiceState {
	index: number;
	message: IDataObject;
	finish_reason: unknown;
	toolCalls: Map<number, { id?: unknown; type?: unknown; name: string; arguments: string }>;
}

/**
 * Assembles `chat.completion.chunk` events into the completion a plain request
 * returns (`choices[].message` with content, reasoning and tool calls; usage), so
 * a streamed reply gives exactly the output item a plain one does.
 */
export class StreamedCompletion {
	private readonly head: IDataObject = {};
	private readonly choices = new Map<number, ChoiceState>();
	private usage: unknown;

	/** Adds one chunk; returns the text and reasoning it carried for the first choice. */
	add(chunk: IDataObject): { text?: string; reasoning?: string } {
		for (const field of ['id', 'created', 'model', 'system_fingerprint']) {
			if (chunk[field] !== undefined && chunk[field] !== null && chunk[field] !== '')
				this.head[field] ??= chunk[field];
		}
		if (isObject(chunk.usage)) this.usage = chunk.usage;
		const delta: { text?: string; reasoning?: string } = {};
		for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
			if (!isObject(choice)) continue;
			const index = typeof choice.index === 'number' ? choice.index : 0;
			const state = this.choice(index);
			if (choice.finish_reason !== undefined && choice.finish_reason !== null)
				state.finish_reason = choice.finish_reason;
			if (!isObject(choice.delta)) continue;
			const carried = this.addDelta(state, choice.delta);
			if (index === 0) Object.assign(delta, carried);
		}
		return delta;
	}

	result(): IDataObject {
		const choices = [...this.choices.values()]
			.sort((a, b) => a.index - b.index)
			.map((state) => {
				const message: IDataObject = { ...state.message };
				if (state.toolCalls.size > 0) {
					message.tool_calls = [...state.toolCalls.entries()]
						.sort(([a], [b]) => a - b)
						.map(([, call]) => ({
							id: call.id,
							type: call.type ?? 'function',
							function: { name: call.name, arguments: call.arguments },
						}));
				}
				return { index: state.index, message, finish_reason: state.finish_reason ?? null };
			});
		const completion: IDataObject = { ...this.head, object: 'chat.completion', choices };
		if (this.usage !== undefined) completion.usage = this.usage as IDataObject;
		return completion;
	}

	private choice(index: number): ChoiceState {
		let state = this.choices.get(index);
		if (!state) {
			state = {
				index,
				message: { role: 'assistant', content: '' },
				finish_reason: undefined,
				toolCalls: new Map(),
			};
			this.choices.set(index, state);
		}
		return state;
	}

	private addDelta(state: ChoiceState, delta: IDataObject): { text?: string; reasoning?: string } {
		const carried: { text?: string; reasoning?: string } = {};
		if (typeof delta.role === 'string') state.message.role = delta.role;
		if (typeof delta.content === 'string' && delta.content !== '') {
			state.message.content = `${state.message.content as string}${delta.content}`;
			carried.text = delta.content;
		}
		for (const field of REASONING_FIELDS) {
			const piece = delta[field];
			if (typeof piece !== 'string' || piece === '') continue;
			// Kept under the name the provider used, as a plain reply would have it.
			state.message[field] = `${(state.message[field] as string | undefined) ?? ''}${piece}`;
			carried.reasoning = piece;
		}
		if (typeof delta.refusal === 'string' && delta.refusal !== '')
			state.message.refusal = `${(state.message.refusal as string | undefined) ?? ''}${delta.refusal}`;
		// TGI 1.4-2.x sent one tool call delta as an object, not in an array.
		const calls = isObject(delta.tool_calls) ? [delta.tool_calls] : delta.tool_calls;
		for (const call of Array.isArray(calls) ? calls : []) {
			if (isObject(call)) this.addToolCall(state, call);
		}
		return carried;
	}

	private addToolCall(state: ChoiceState, call: IDataObject) {
		const index = typeof call.index === 'number' ? call.index : state.toolCalls.size;
		const fn = isObject(call.function) ? call.function : {};
		const current = state.toolCalls.get(index) ?? { name: '', arguments: '' };
		if (call.id !== undefined && call.id !== null && current.id === undefined) current.id = call.id;
		if (typeof call.type === 'string') current.type = call.type;
		// The name comes once (some servers repeat it); the arguments come in pieces.
		if (typeof fn.name === 'string' && current.name === '') current.name = fn.name;
		if (typeof fn.arguments === 'string') current.arguments += fn.arguments;
		else if (isObject(fn.arguments)) current.arguments += JSON.stringify(fn.arguments);
		state.toolCalls.set(index, current);
	}
}
