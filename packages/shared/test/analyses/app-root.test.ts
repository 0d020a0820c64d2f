import { describe, expect, it } from 'vitest';
import { detectAppRoot, shortLocation } from '../../src/analyses/app-root.ts';
import { buildDump } from '../graph/graph-builder.ts';

describe('detectAppRoot', () => {
  it('finds the folder above app/ shared by most app files, ignoring gems', () => {
    const dump = buildDump({
      objects: [
        { generation: 1, site: '/srv/shop/app/models/order.rb:3' },
        { generation: 1, site: '/srv/shop/app/controllers/orders_controller.rb:9' },
        { generation: 1, site: '/usr/lib/gems/rails-7/app/models/x.rb:1' },
        { generation: 1, site: '/usr/lib/ruby/3.1.0/uri/common.rb:342' },
      ],
    });
    expect(detectAppRoot(dump)).toBe('/srv/shop');
    expect(detectAppRoot(buildDump({ objects: [{ generation: 1, site: 'script.rb:1' }] }))).toBeNull();
  });
});

describe('shortLocation', () => {
  it('shows app files from the app root and gem files from the gem folder', () => {
    expect(shortLocation('/srv/shop/app/models/order.rb:3', '/srv/shop')).toBe('app/models/order.rb:3');
    expect(shortLocation('/usr/lib/x/gems/puma-5.6.5/lib/puma/client.rb:262', '/srv/shop')).toBe('puma-5.6.5/lib/puma/client.rb:262');
    expect(shortLocation('<internal:timev>:224', null)).toBe('<internal:timev>:224');
  });
});
