// Reads the JSON in a model's reply, with the cheap local repairs (fence, text around it).

export type JsonText = { ok: true; value: unknown } | { ok: false; error: string };

/** A reply that is exactly one Markdown code fence, as some models answer even in JSON mode. */
const WHOLE_FENCE = /^```(?:json)?\s*([\s\S]*?)\s*```$/i;
/** The first fenced block anywhere in the reply. */
const ANY_FENCE = /```(?:json)?[ \t]*\r?\n?([\s\S]*?)```/i;

function parse(text: string): JsonText {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}

/**
 * The first balanced `{…}` or `[…]` starting at `start`, strings respected: one pass, so a long
 * reply costs no more than reading it.
 */
function balancedFrom(text: string, start: number): string | undefined {
	let depth = 0;
	let inString = false;
	for (let index = start; index < text.length; index++) {
		const char = text[index];
		if (inString) {
			if (char === '\\') index++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{' || char === '[') depth++;
		else if (char === '}' || char === ']') {
			if (--depth === 0) return text.slice(start, index + 1);
		}
	}
	return undefined;
}

/**
 * The reply's JSON. Always: the whole reply, or the reply inside one code fence (as before).
 * With `repair`: also a fenced block inside other text, or the first JSON object or array with
 * text before or after it ("Here is the JSON: {...} Hope this helps").
 */
export function readJsonText(reply: string, repair: boolean): JsonText {
	const trimmed = reply.trim();
	const direct = parse(trimmed.replace(WHOLE_FENCE, '$1'));
	if (direct.ok || !repair) return direct;
	const fenced = ANY_FENCE.exec(trimmed);
	if (fenced) {
		const inside = parse(fenced[1].trim());
		if (inside.ok) return inside;
	}
	const starts = [trimmed.indexOf('{'), trimmed.indexOf('[')].filter((at) => at >= 0);
	for (const start of starts.sort((a, b) => a - b)) {
		const candidate = balancedFrom(trimmed, start);
		const found = candidate === undefined ? undefined : parse(candidate);
		if (found?.ok) return found;
	}
	return direct;
}
