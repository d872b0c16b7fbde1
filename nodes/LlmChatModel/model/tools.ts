import type { Tool } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

/** Turns a tool's input schema (JSON Schema or zod) into JSON Schema: the SDK's own function. */
export type ToJsonSchema = (tool: Tool & { type: 'function' }) => unknown;

/**
 * The agent's tools in OpenAI's form; buildChatBody then adapts each to the
 * provider's dialect (a self-hosted TGI, say). A provider-built tool (web search)
 * has no form on these APIs, so it is refused with its name.
 */
export function toChatTools(tools: Tool[], toJsonSchema: ToJsonSchema): IDataObject[] {
	return tools.map((tool) => {
		if (tool.type !== 'function') {
			throw new Error(
				`The tool "${tool.name}" is built into another provider and cannot be sent to this one`,
			);
		}
		const fn: IDataObject = {
			name: tool.name,
			parameters: (toJsonSchema(tool) as IDataObject | undefined) ?? {
				type: 'object',
				properties: {},
			},
		};
		if (tool.description) fn.description = tool.description;
		if (tool.strict !== undefined) fn.strict = tool.strict;
		return { type: 'function', function: fn };
	});
}
