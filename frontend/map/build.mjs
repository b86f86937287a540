// Bundles src/map.js with deck.gl into ../../static/sozialdash-map.js. The banner carries a digest of the sources
// and the lock file, so a test can tell a stale bundle without npm.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {build} from 'esbuild';

const digest = createHash('sha256');
for (const file of ['src/map.js', 'package-lock.json']) digest.update(readFileSync(file));

await build({
  entryPoints: ['src/map.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  legalComments: 'eof',
  target: 'es2020',
  banner: {js: `// sozialdash-map sources ${digest.digest('hex')}`},
  outfile: '../../static/sozialdash-map.js',
});
