import { baseUrlProblem, joinUrl } from '../../nodes/shared/transport/url';

describe('joinUrl: {base}/{version}/{path}, one slash between parts whatever was typed', () => {
	it.each([
		[
			'https://api.openai.com',
			'v1',
			'chat/completions',
			'https://api.openai.com/v1/chat/completions',
		],
		[
			'https://api.openai.com/',
			'v1',
			'chat/completions',
			'https://api.openai.com/v1/chat/completions',
		],
		[
			'https://api.openai.com///',
			'/v1/',
			'/chat/completions',
			'https://api.openai.com/v1/chat/completions',
		],
		[
			'https://router.huggingface.co/novita',
			'v3/openai',
			'models',
			'https://router.huggingface.co/novita/v3/openai/models',
		],
		[
			'https://router.huggingface.co/novita/',
			'/v3/openai/',
			'models',
			'https://router.huggingface.co/novita/v3/openai/models',
		],
		['http://tgi:8080', '', 'chat/completions', 'http://tgi:8080/chat/completions'],
		['http://tgi:8080/', '/', 'chat/completions', 'http://tgi:8080/chat/completions'],
		['http://tgi:8080', undefined, 'models', 'http://tgi:8080/models'],
		['  https://api.together.xyz  ', ' v1 ', 'models', 'https://api.together.xyz/v1/models'],
		// A base that already ends with the version is taken as typed: the version is still added.
		['https://api.openai.com/v1', 'v1', 'models', 'https://api.openai.com/v1/v1/models'],
	])('%s + %s + %s', (base, version, path, expected) => {
		expect(joinUrl(base, version, path)).toBe(expected);
	});
});

describe('baseUrlProblem', () => {
	it('accepts http and https', () => {
		expect(baseUrlProblem('https://api.openai.com')).toBeUndefined();
		expect(baseUrlProblem('http://127.0.0.1:8080/prefix')).toBeUndefined();
	});

	it('names what is wrong', () => {
		expect(baseUrlProblem('')).toBe('is empty');
		expect(baseUrlProblem(undefined)).toBe('is empty');
		expect(baseUrlProblem('api.openai.com')).toBe('"api.openai.com" is not a valid URL');
		expect(baseUrlProblem('file:///etc/passwd')).toBe(
			'must start with http:// or https:// (got "file:")',
		);
	});
});
