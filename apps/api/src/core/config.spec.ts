import { trustProxy } from './config';

describe('TRUST_PROXY', () => {
  it('trusts nobody by default', () => {
    for (const v of [undefined, '', 'false', '0', 'off']) expect(trustProxy(v)).toBe(false);
  });

  it('reads a hop count, and "true" as one proxy (never every hop)', () => {
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('true')).toBe(1);
  });

  it('reads a list of proxy addresses and subnets, and refuses anything else', () => {
    expect(trustProxy('10.0.0.0/8, loopback,fd00::/8')).toEqual(['10.0.0.0/8', 'loopback', 'fd00::/8']);
    expect(() => trustProxy('everyone')).toThrow(/TRUST_PROXY/);
  });
});
