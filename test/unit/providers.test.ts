import { dialectFor, normalizeFinishReason, PROVIDERS } from '../../nodes/shared/providers';

const selfHostedTgi = dialectFor(PROVIDERS.huggingFaceTgi, { serverKind: 'selfHosted' });
const router = dialectFor(PROVIDERS.huggingFaceTgi, { serverKind: 'router' });

describe('response formats per provider', () => {
	const schema = { type: 'object', properties: { a: { type: 'string' } } };

	it('OpenAI, Together and the Hugging Face router take json_schema with a name and strict', () => {
		for (const provider of [PROVIDERS.openAi, PROVIDERS.togetherAi, router]) {
			expect(provider.jsonSchemaFormat(schema, 'answer', true)).toEqual({
				type: 'json_schema',
				json_schema: { name: 'answer', schema, strict: true },
			});
			expect(provider.jsonObjectFormat()).toEqual({ type: 'json_object' });
		}
	});

	it('a self-hosted TGI takes its own forms: json_schema with value, and a grammar for any object', () => {
		expect(selfHostedTgi.jsonSchemaFormat(schema, 'answer', true)).toEqual({
			type: 'json_schema',
			value: { name: 'answer', schema },
		});
		expect(selfHostedTgi.jsonObjectFormat()).toEqual({
			type: 'json',
			value: { type: 'object' },
		});
	});
});

describe('tool and history forms per provider', () => {
	const tool = {
		type: 'function',
		function: { name: 'f', description: 'd', parameters: { type: 'object' } },
	};
	const assistantTurn = {
		role: 'assistant',
		content: null,
		tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
	};

	it('a self-hosted TGI gets the function schema as arguments; the router as parameters', () => {
		expect(router.adaptTool(tool)).toBe(tool);
		expect(selfHostedTgi.adaptTool(tool)).toEqual({
			type: 'function',
			function: { name: 'f', description: 'd', arguments: { type: 'object' } },
		});
		expect(PROVIDERS.openAi.adaptTool(tool)).toBe(tool);
	});

	it('Together gets text content and indexed tool calls in assistant turns', () => {
		expect(PROVIDERS.togetherAi.adaptMessage(assistantTurn)).toEqual({
			role: 'assistant',
			content: '',
			tool_calls: [
				{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } },
			],
		});
		expect(PROVIDERS.togetherAi.adaptMessage({ role: 'user', content: 'hi' })).toEqual({
			role: 'user',
			content: 'hi',
		});
		expect(PROVIDERS.openAi.adaptMessage(assistantTurn)).toBe(assistantTurn);
	});
});

describe('finish reasons', () => {
	it.each([
		['stop', false, 'stop'],
		['eos', false, 'stop'],
		['eos_token', false, 'stop'],
		['length', false, 'length'],
		['tool_calls', true, 'tool_calls'],
		['stop', true, 'tool_calls'],
		['content_filter', false, 'content_filter'],
		[null, false, null],
	])('%s (tool calls: %s) is %s', (raw, hasToolCalls, expected) => {
		expect(normalizeFinishReason(raw, hasToolCalls)).toBe(expected);
	});
});
