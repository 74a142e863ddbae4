// The floor for a small push from Node: PUT a file's bytes with node:http, nothing else. `npm run bench`
// times it beside the app, on the same body. Usage: node bench/reference-put.mjs <body file> <group URL> [content type]
// node:http is taken as the app takes it, through process.getBuiltinModule: on Node 22.5 and newer, importing
// it as an ES module also loads undici, tls, crypto, zlib and http2 (docs/image.md), 60 ms that are no part of a PUT.
import { readFileSync } from 'node:fs';

const { request } = process.getBuiltinModule('node:http');
const [file, url, contentType = 'text/plain; version=0.0.4'] = process.argv.slice(2);
request(url, { method: 'PUT', headers: { 'content-type': contentType } }, (response) => {
  response.resume();
  response.on('end', () => (process.exitCode = response.statusCode === 200 || response.statusCode === 202 ? 0 : 1));
}).end(readFileSync(file));
