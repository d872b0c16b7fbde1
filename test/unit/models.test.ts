import { isModelList, normalizeModelList } from '../../nodes/shared/models';
import { PROVIDERS } from '../../nodes/shared/providers';

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

describe('isModelList is strict about entries', () => {
	it('accepts lists of models (possibly empty) and refuses lists of anything else', () => {
		expect(isModelList([])).toBe(true);
		expect(isModelList({ object: 'list', data: [] })).toBe(true);
		expect(isModelList(['x'])).toBe(false);
		expect(isModelList({ data: [{ name: 'no id' }] })).toBe(false);
		expect(isModelList({ id: 'single-model', object: 'model' })).toBe(true);
	});
});
