import { describe, expect, it } from 'vitest';
import { resolveInsideRoot } from '../../main/core/index.js';

describe('app:// path resolution', () => {
  it('maps paths inside the renderer folder', () => {
    expect(resolveInsideRoot('/app/out/renderer', '/')).toBe('/app/out/renderer/index.html');
    expect(resolveInsideRoot('/app/out/renderer/', '/assets/index-1.js')).toBe('/app/out/renderer/assets/index-1.js');
  });

  it.each(['/../main/index.js', '/assets/%2e%2e/%2e%2e/secret', '/a%5c..%5cb', '/x%00.js', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveInsideRoot('/app/out/renderer', path)).toBeNull();
  });
});
