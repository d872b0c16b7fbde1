// n8n never loads this file: it finds the node and credential classes through the
// `n8n` field of package.json. This entry exports the same classes for code that
// requires the package directly, each loaded only when it is read (a node that needs
// a newer n8n must not stop the others from loading).
const { n8n } = require('./package.json');

for (const file of [...n8n.nodes, ...n8n.credentials]) {
	const name = file.split('/').pop().split('.')[0];
	Object.defineProperty(exports, name, {
		enumerable: true,
		get: () => require(`./${file}`)[name],
	});
}
