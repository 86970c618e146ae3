/**
 * A preload for servers under test (`NODE_OPTIONS=--require …/fake-dns.cjs`): names under `.roster-test`
 * are answered from the JSON file named by ROSTER_FAKE_DNS (`{ "name.roster-test": ["1.1.1.1", "::1"] }`),
 * read at each look-up so that a test can rewrite it (DNS rebinding); a name it lacks, or lists with no
 * address, does not resolve (ENOTFOUND). Every other name goes to the real `dns.lookup`. Roster's outbound
 * guard calls `dns.lookup` through the module object, so this is what it sees.
 */
'use strict';
const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');

const realLookup = dns.lookup;
const SUFFIX = '.roster-test';

function answers(host) {
  const file = process.env.ROSTER_FAKE_DNS;
  if (!file) return [];
  let table = {};
  try {
    table = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const list = table[host] || [];
  return list.map((address) => ({ address, family: net.isIP(address) }));
}

dns.lookup = function lookup(host, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (typeof options === 'number') options = { family: options };
  const name = String(host).toLowerCase().replace(/\.+$/, '');
  if (!name.endsWith(SUFFIX)) return realLookup.call(dns, host, options, callback);
  const family = options && options.family === 'IPv4' ? 4 : options && options.family === 'IPv6' ? 6 : (options && options.family) || 0;
  const found = answers(name).filter((a) => a.family !== 0 && (family === 0 || a.family === family));
  process.nextTick(() => {
    if (!found.length) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
        code: 'ENOTFOUND',
        errno: -3008,
        syscall: 'getaddrinfo',
        hostname: host,
      });
      return callback(error, options && options.all ? [] : undefined);
    }
    if (options && options.all) return callback(null, found);
    callback(null, found[0].address, found[0].family);
  });
};
