type ChunkType = 'begin' | 'item' | 'end' | 'error';

export type SendChunk = (type: ChunkType, itemIndex: number, content?: string) => Promise<void>;

/**
 * Hands n8n one item's chunks at a time, in input order, while the items' requests still run
 * concurrently. n8n's chat starts a new message at each `begin` and appends every chunk of
 * the node to the newest one, so interleaved items would mix their texts in one bubble. The
 * first unfinished item streams as its reply arrives; a later item's chunks are held until
 * the items before it have ended, then go out at once.
 */
export function orderedChunks(send: SendChunk): SendChunk {
	let current = 0;
	const held = new Map<number, Array<[ChunkType, string | undefined]>>();
	const finished = new Set<number>();

	const handle = async (type: ChunkType, itemIndex: number, content?: string) => {
		if (itemIndex !== current) {
			const chunks = held.get(itemIndex) ?? [];
			chunks.push([type, content]);
			held.set(itemIndex, chunks);
			if (type === 'end' || type === 'error') finished.add(itemIndex);
			return;
		}
		await send(type, itemIndex, content);
		if (type !== 'end' && type !== 'error') return;
		// The items after it, in order: what each held goes out; one still running streams on.
		for (current++; ; current++) {
			for (const [heldType, heldContent] of held.get(current) ?? [])
				await send(heldType, current, heldContent);
			held.delete(current);
			if (!finished.delete(current)) break;
		}
	};

	// One chunk at a time: a flush must not be overtaken by the next item's new chunk.
	let queue: Promise<void> = Promise.resolve();
	return async (type, itemIndex, content) => {
		const next = queue.then(async () => await handle(type, itemIndex, content));
		queue = next.catch(() => undefined);
		return await next;
	};
}
