// Every data file in device-profiles/ is described by a schema and valid.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { PROFILES_DIR } from '../../src/profiles/data.js';

const schemas = join(PROFILES_DIR, '../schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
const compile = (f: string) => ajv.compile(JSON.parse(readFileSync(join(schemas, f), 'utf8')));
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

describe('device-profiles/ validates against schemas/', () => {
  const machine = compile('machine-profile.schema.json');
  for (const f of readdirSync(join(PROFILES_DIR, 'machines')).filter((n) => n.endsWith('.json'))) {
    it(`machines/${f}`, () => {
      const data = json(join(PROFILES_DIR, 'machines', f));
      expect(machine(data), JSON.stringify(machine.errors?.slice(0, 3))).toBe(true);
      // Every compat array a machine names exists; every alias names a machine of the release.
      for (const [name, mt] of Object.entries<{ compat: string[] }>(data.machineTypes)) {
        for (const a of mt.compat) expect(data.compatArrays[a], `${name} → ${a}`).toBeDefined();
      }
      for (const target of Object.values<string>(data.aliases)) expect(data.machineTypes[target]).toBeDefined();
    });
  }
  const family = compile('device-family.schema.json');
  for (const f of readdirSync(join(PROFILES_DIR, 'devices')).filter((n) => n.endsWith('.json'))) {
    it(`devices/${f}`, () => {
      const data = json(join(PROFILES_DIR, 'devices', f));
      expect(family(data), JSON.stringify(family.errors?.slice(0, 3))).toBe(true);
    });
  }
});
