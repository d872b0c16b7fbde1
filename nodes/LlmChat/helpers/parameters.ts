import type {
	IExecuteFunctions,
	IGetNodeParameterOptions,
	NodeParameterValueType,
} from 'n8n-workflow';

export type ReadParameter = (
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads node parameters per item, but reads a parameter without any expression
 * only once: its value is the same for every item, and `getNodeParameter` costs
 * a noticeable share of each item's CPU time on runs of thousands of items.
 * Cached values are shared between items and must not be mutated.
 */
export function parameterReader(ctx: IExecuteFunctions): ReadParameter {
	const raw = ctx.getNode().parameters;
	const cache = new Map<string, unknown>();
	return (name, itemIndex, fallback, options) => {
		if (holdsExpression(raw[name.split('.')[0]])) {
			return ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType, options);
		}
		const key = options ? `${name} ${JSON.stringify(options)}` : name;
		if (!cache.has(key)) {
			cache.set(key, ctx.getNodeParameter(name, 0, fallback as NodeParameterValueType, options));
		}
		return cache.get(key);
	};
}
