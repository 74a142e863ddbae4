// The image's entry point, /app/app.js: starts the bundle (/app/simplepipe.js) from the V8 compile cache the
// image holds, whatever the pod's uid. Node keeps that cache in one folder per uid, named
// <node version>-<arch>-<V8 tag>-<uid>, and the build warmed it as uid 1000, group 0 owning it. Another uid
// (OpenShift's random one, in group 0) needs a folder of its own name: a link to the warmed one, made where
// it can be, in the image's cache (a writable root) or else in a private folder under the temporary
// directory (a read-only root with a writable /tmp). With neither, the bundle is compiled as usual.
import { lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const imageCache = new URL('./.node-compile-cache', import.meta.url).pathname;

/** The cache folder to use: one holding, under this uid's folder name, the cache the build warmed. */
function cacheForThisUid() {
  const uid = process.getuid?.();
  const warmed = readdirSync(imageCache).find((name) => /-\d+$/.test(name));
  if (uid === undefined || warmed === undefined) return imageCache;
  const own = warmed.replace(/-\d+$/, `-${uid}`);
  if (own === warmed || linked(join(imageCache, own), warmed)) return imageCache;
  const privateDir = join(tmpdir(), `simplepipe-compile-cache-${uid}`);
  try {
    mkdirSync(privateDir, { mode: 0o700 });
  } catch {
    // Only a folder of this uid's that no one else may write, so no other user's files are ever loaded.
    const stat = lstatSync(privateDir, { throwIfNoEntry: false });
    if (!stat?.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined;
  }
  return linked(join(privateDir, own), join(imageCache, warmed)) ? privateDir : undefined;
}

function linked(path, target) {
  try {
    symlinkSync(target, path);
    return true;
  } catch (error) {
    return error.code === 'EEXIST';
  }
}

let cache;
try {
  cache = cacheForThisUid();
} catch {
  cache = undefined;
}
if (cache !== undefined) enableCompileCache(cache);
await import('./simplepipe.js');
