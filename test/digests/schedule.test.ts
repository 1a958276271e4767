/**
 * The one next-run function of docs/design.md §8, across both daylight-saving changes of 2026 in
 * Paris (29 Mar, 25 Oct: last Sundays) and New York (8 Mar, 1 Nov). Every expected instant is
 * worked out by hand from the zone's offsets: Paris +1 h in winter, +2 h in summer; New York −5 h
 * in winter, −4 h in summer.
 */
import { describe, expect, it } from 'vitest';
import {
  coveredPeriod,
  describeSchedule,
  latestSlot,
  localInstant,
  nextSlot,
  parseTimeOfDay,
  parseTimeZone,
  parseWeekday,
  slotsBetween,
  type Schedule,
} from '../../src/core/schedule.ts';

const at = (iso: string) => new Date(iso);
const weekly = (timeZone: string, day = 1, minute = 9 * 60): Schedule => ({ day, minute, timeZone, every: 'week' });

describe('slots at 09:00 local on Mondays, across daylight-saving changes', () => {
  it.each([
    // Paris, spring: Mon 23 Mar is CET (08:00Z), Mon 30 Mar is CEST (07:00Z).
    ['Europe/Paris', '2026-03-20T12:00:00Z', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    // Paris, autumn: Mon 19 Oct CEST (07:00Z), Mon 26 Oct CET (08:00Z).
    ['Europe/Paris', '2026-10-16T12:00:00Z', '2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z'],
    // New York, spring: Mon 2 Mar EST (14:00Z), Mon 9 Mar EDT (13:00Z).
    ['America/New_York', '2026-02-27T12:00:00Z', '2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z'],
    // New York, autumn: Mon 26 Oct EDT (13:00Z), Mon 2 Nov EST (14:00Z).
    ['America/New_York', '2026-10-23T12:00:00Z', '2026-10-26T13:00:00.000Z', '2026-11-02T14:00:00.000Z'],
  ])('%s from %s', (zone, from, first, second) => {
    const schedule = weekly(zone);
    const one = nextSlot(schedule, at(from));
    expect(one.toISOString()).toBe(first);
    const two = nextSlot(schedule, one);
    expect(two.toISOString()).toBe(second);
    expect(latestSlot(schedule, two).toISOString()).toBe(second);
    expect(latestSlot(schedule, new Date(two.getTime() - 1)).toISOString()).toBe(first);
    expect(slotsBetween(schedule, at(from), two).map((d) => d.toISOString())).toEqual([first, second]);
  });

  it('is strictly after the instant given, and the latest slot is at or before it', () => {
    const schedule = weekly('UTC');
    expect(nextSlot(schedule, at('2026-12-07T09:00:00Z')).toISOString()).toBe('2026-12-14T09:00:00.000Z');
    expect(latestSlot(schedule, at('2026-12-07T09:00:00Z')).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(latestSlot(schedule, at('2026-12-07T08:59:59Z')).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('reads a skipped wall time with the offset before the change, and a repeated one as its first', () => {
    // 02:30 on 29 Mar 2026 does not exist in Paris: read at +1 h → 01:30Z (03:30 CEST).
    expect(localInstant('2026-03-29', 150, 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 on 25 Oct 2026 happens twice: 00:30Z (CEST) and 01:30Z (CET); the first.
    expect(localInstant('2026-10-25', 150, 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const sunday = { day: 0, minute: 150, timeZone: 'Europe/Paris', every: 'week' } as const;
    expect(nextSlot(sunday, at('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(nextSlot(sunday, at('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // …and only once that Sunday.
    expect(nextSlot(sunday, at('2026-10-25T00:30:00Z')).toISOString()).toBe('2026-11-01T01:30:00.000Z');
  });
});

describe('monthly: the first matching weekday of each month', () => {
  it('fires once a month', () => {
    const schedule: Schedule = { day: 1, minute: 9 * 60, timeZone: 'Europe/Paris', every: 'month' };
    // 1 Dec 2026 is a Tuesday → first Monday 7 Dec; 1 Jan 2027 a Friday → 4 Jan; 1 Feb 2027 a Monday.
    const slots = slotsBetween(schedule, at('2026-11-30T00:00:00Z'), at('2027-02-28T00:00:00Z'));
    expect(slots.map((d) => d.toISOString())).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2027-01-04T08:00:00.000Z',
      '2027-02-01T08:00:00.000Z',
    ]);
  });
});

describe('the period a slot covers', () => {
  it.each([
    // Monday slot: the Sunday–Saturday week before it.
    ['week', '2026-03-30T07:00:00Z', '2026-03-22', '2026-03-28'],
    // Sunday 00:30Z: Saturday 28 Mar has ended.
    ['week', '2026-03-29T00:30:00Z', '2026-03-22', '2026-03-28'],
    // Saturday 23:00Z (Sunday morning east of UTC): that Saturday has not ended → the week before.
    ['week', '2026-03-28T23:00:00Z', '2026-03-15', '2026-03-21'],
    ['month', '2026-12-07T08:00:00Z', '2026-11-01', '2026-11-30'],
    ['month', '2026-12-01T10:00:00Z', '2026-11-01', '2026-11-30'],
    ['month', '2027-03-01T08:00:00Z', '2027-02-01', '2027-02-28'],
  ] as const)('%s slot at %s covers %s … %s', (every, slot, start, end) => {
    expect(coveredPeriod(every, at(slot))).toEqual({ start, end });
  });
});

describe('parsing what people type', () => {
  it('takes weekdays, times and zones, and refuses the rest by name', () => {
    expect([parseWeekday('mon'), parseWeekday('Monday'), parseWeekday('SUN'), parseWeekday('thurs')]).toEqual([1, 1, 0, 4]);
    expect(() => parseWeekday('mo')).toThrow(/not a weekday/);
    expect(() => parseWeekday('funday')).toThrow(/not a weekday/);
    expect([parseTimeOfDay('09:00'), parseTimeOfDay('9:30'), parseTimeOfDay('23:59')]).toEqual([540, 570, 1439]);
    for (const bad of ['24:00', '9', '09:60', 'nine']) expect(() => parseTimeOfDay(bad)).toThrow(/not a time of day/);
    expect(parseTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(parseTimeZone('UTC')).toBe('UTC');
    for (const bad of ['Mars/Olympus', '+02:00', '']) expect(() => parseTimeZone(bad)).toThrow(/not a time zone/);
    expect(describeSchedule({ day: 1, minute: 540, timeZone: 'Europe/Paris', every: 'month' })).toBe(
      'the first Monday of each month at 09:00 Europe/Paris',
    );
  });
});
