import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{ ignores: ['test/**', 'bench/**', 'e2e/**', 'scripts/**', 'gulpfile.js', 'jest.config.js', 'index.js'] },
];
