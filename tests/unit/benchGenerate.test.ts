import { describe, expect, it } from 'vitest';
import { generateApplications } from '../../bench/generate';
import { bundledCatalogue } from '../../shared/catalogue';
import { parseEvent } from '../../shared/events';

describe("the bench's synthetic office", () => {
  it('is made of events a server takes: each id names its content (the bench dropped every application when it did not)', () => {
    const services = bundledCatalogue().services;
    const apps = [...generateApplications({ services, apps: 30, seed: 1, now: Date.parse('2026-03-10T05:00:00Z') })];
    const events = apps.flat();
    expect(events.length).toBeGreaterThan(30);
    expect(events.map((e) => parseEvent(e)).filter((r) => !r.ok)).toEqual([]);
  });
});
