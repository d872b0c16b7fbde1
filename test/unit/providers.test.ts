import { PROVIDERS } from '../../nodes/shared/providers';

describe('response formats per provider', () => {
	const schema = { type: 'object', properties: { a: { type: 'string' } } };

	it('OpenAI and Together take json_schema with a name', () => {
		for (const provider of [PROVIDERS.openAi, PROVIDERS.togetherAi]) {
			expect(provider.jsonSchemaFormat(schema, 'answer')).toEqual({
				type: 'json_schema',
				json_schema: { name: 'answer', schema },
			});
			expect(provider.jsonObjectFormat()).toEqual({ type: 'json_object' });
		}
	});

	it('TGI takes its grammar form {type: "json", value}', () => {
		expect(PROVIDERS.huggingFaceTgi.jsonSchemaFormat(schema, 'answer')).toEqual({
			type: 'json',
			value: schema,
		});
		expect(PROVIDERS.huggingFaceTgi.jsonObjectFormat()).toEqual({
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

	it('TGI renames the function schema to arguments', () => {
		expect(PROVIDERS.huggingFaceTgi.adaptTool(tool)).toEqual({
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
