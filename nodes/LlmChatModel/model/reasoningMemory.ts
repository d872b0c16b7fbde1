/** The reasoning of the model's tool-call turns, kept to give back when the agent sends them again. */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../shared/json';
import { REASONING_FIELDS } from '../../shared/providers';

/** The reasoning of one turn, under the field the provider used (`reasoning_content`, `reasoning`). */
export interface TurnReasoning {
	field: string;
	text: string;
}

/** What one model instance reads and writes: its execution's entries only. */
export interface ReasoningRecall {
	remember: (completion: IDataObject, toolCallIds: string[]) => void;
	recall: (toolCallId: string) => TurnReasoning | undefined;
}

/** Oldest entries go first beyond either bound: enough for many agents' loops at once. */
const MAX_ENTRIES = 1000;
const MAX_CHARS = 4_000_000;

/**
 * Entries by tool-call id, oldest first. n8n's agent rebuilds each tool-call turn from the
 * call alone (the reasoning is carried only for Anthropic and Gemini), and it asks n8n for
 * the model anew after each round of tools, so the memory outlives one model instance.
 */
export class ReasoningMemory {
	private readonly entries = new Map<string, TurnReasoning>();
	private chars = 0;

	constructor(
		private readonly maxEntries = MAX_ENTRIES,
		private readonly maxChars = MAX_CHARS,
	) {}

	get size(): number {
		return this.entries.size;
	}

	set(key: string, reasoning: TurnReasoning): void {
		this.delete(key);
		this.entries.set(key, reasoning);
		this.chars += reasoning.text.length;
		for (const oldest of this.entries.keys()) {
			if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
			this.delete(oldest);
		}
	}

	get(key: string): TurnReasoning | undefined {
		return this.entries.get(key);
	}

	private delete(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.chars -= entry.text.length;
		this.entries.delete(key);
	}
}

const shared = new ReasoningMemory();

/** The reasoning a completion carried in a field, for each of its tool calls. */
export function reasoningRecall(scope: string, memory = shared): ReasoningRecall {
	const key = (toolCallId: string) => `${scope}\u0000${toolCallId}`;
	return {
		remember(completion, toolCallIds) {
			const reasoning = fieldReasoning(completion);
			if (!reasoning) return;
			for (const id of toolCallIds) memory.set(key(id), reasoning);
		},
		recall: (toolCallId) => memory.get(key(toolCallId)),
	};
}

/** A <think> block is no field: such models are not asked for their reasoning back. */
function fieldReasoning(completion: IDataObject): TurnReasoning | undefined {
	const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
	const message = isObject(choice) && isObject(choice.message) ? choice.message : {};
	for (const field of REASONING_FIELDS) {
		const text = message[field];
		if (typeof text === 'string' && text !== '') return { field, text };
	}
	return undefined;
}
