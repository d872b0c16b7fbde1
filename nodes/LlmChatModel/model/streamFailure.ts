/** A failed streamed call, worded for the chat a streaming agent answers in. */

/**
 * Behind a Chat Trigger, n8n sends the chat a failed node's description, never its message.
 * n8n's agent (Tools Agent V3) passes this error on with its description when it is an error
 * of the agent's own n8n-workflow, and otherwise (the package resolved another copy, as when
 * it was installed with its peer dependency) wraps it with only "Original error: <name>".
 * So both carry the provider's words, under the node's name, ahead of the hint.
 */
export function readableInChat(error: unknown): unknown {
	if (!(error instanceof Error)) return error;
	const failure = error as Error & { description?: string | null; node?: { name?: string } };
	const said = `${failure.node?.name ?? 'LLM Chat Model'}: ${failure.message}`;
	if (failure.description?.startsWith(said)) return error;
	failure.description = failure.description ? `${said}. ${failure.description}` : said;
	// Defined, not assigned: n8n-workflow defines `name` as an own property.
	Object.defineProperty(failure, 'name', {
		value: said,
		writable: true,
		enumerable: true,
		configurable: true,
	});
	return error;
}
