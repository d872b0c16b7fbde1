import { isModelList, normalizeModelList, PROVIDERS } from '../../nodes/LlmChat/providers';

describe('model lists of every shape', () => {
	it('reads OpenAI {object: "list", data}', () => {
		const body = {
			object: 'list',
			data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }],
		};
		expect(isModelList(body)).toBe(true);
		expect(normalizeModelList(body)).toEqual([
			{ id: 'gpt-4o-mini', ownedBy: 'system', created: 1721172741 },
		]);
	});

	it("reads Together's bare array with types and context length", () => {
		const body = [
			{
				id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
				object: 'model',
				type: 'chat',
				display_name: 'Llama 3.3 70B',
				organization: 'Meta',
				context_length: 131072,
			},
			{
				id: 'black-forest-labs/FLUX.1-schnell',
				object: 'model',
				type: 'image',
				organization: 'BFL',
			},
		];
		const models = normalizeModelList(body);
		expect(models).toEqual([
			{
				id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
				ownedBy: 'Meta',
				name: 'Llama 3.3 70B',
				type: 'chat',
				contextLength: 131072,
			},
			{ id: 'black-forest-labs/FLUX.1-schnell', ownedBy: 'BFL', type: 'image' },
		]);
		expect(models.filter(PROVIDERS.togetherAi.isChatModel).map((m) => m.id)).toEqual([
			'meta-llama/Llama-3.3-70B-Instruct-Turbo',
		]);
	});

	it("reads TGI's single model object", () => {
		const body = {
			model_id: 'mistralai/Mistral-7B-Instruct-v0.2',
			max_total_tokens: 8192,
			model_pipeline_tag: 'text-generation',
		};
		expect(isModelList(body)).toBe(true);
		expect(normalizeModelList(body)).toEqual([
			{ id: 'mistralai/Mistral-7B-Instruct-v0.2', contextLength: 8192 },
		]);
	});

	it('rejects what is not a model list', () => {
		expect(isModelList('<html>Welcome</html>')).toBe(false);
		expect(isModelList({ error: { message: 'no' } })).toBe(false);
		expect(isModelList(null)).toBe(false);
		expect(normalizeModelList({ data: [{ object: 'model' }, 'x', null] })).toEqual([]);
	});
});

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

describe('isModelList is strict about entries', () => {
	it('accepts lists of models (possibly empty) and refuses lists of anything else', () => {
		expect(isModelList([])).toBe(true);
		expect(isModelList({ object: 'list', data: [] })).toBe(true);
		expect(isModelList(['x'])).toBe(false);
		expect(isModelList({ data: [{ name: 'no id' }] })).toBe(false);
		expect(isModelList({ id: 'single-model', object: 'model' })).toBe(true);
	});
});
