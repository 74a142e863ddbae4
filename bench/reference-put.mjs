// The floor for a small push from Node: PUT a file's bytes with node:http, nothing else. `npm run bench`
// times it beside the app, on the same body. Usage: node bench/reference-put.mjs <body file> <group URL> [content type]
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const [file, url, contentType = 'text/plain; version=0.0.4'] = process.argv.slice(2);
request(url, { method: 'PUT', headers: { 'content-type': contentType } }, (response) => {
  response.resume();
  response.on('end', () => (process.exitCode = response.statusCode === 200 || response.statusCode === 202 ? 0 : 1));
}).end(readFileSync(file));
