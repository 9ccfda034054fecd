/**
 * Exit functions shared by the benchmark cases. Each exit is its own function literal (never made by
 * a factory): closures from one literal share type feedback, which would make every call site that
 * sees several of them polymorphic and measure V8's megamorphic path instead of hookwire.
 * Every exit does a little real work on `sink`, so that inlining cannot erase it.
 * (Written out by a one-off script; edit freely.)
 */
import { do_not_optimize } from 'mitata';

/** What the exits write to; cases pass `sink.v` to `do_not_optimize` after timing. */
export const sink = { v: 0 };

/** A message as diagnostics_channel subscribers receive it. */
export interface Msg {
  a: number;
  b: number;
}

/** Keeps the sink alive for the optimiser; call once per benchmark body. */
export function keep(): void {
  do_not_optimize(sink.v);
}

// Sync exits with the hook signature (a, b).
export function x0(a: number, b: number): void {
  sink.v = (sink.v + a * 3 + b) & 0x3fffffff;
}
export function x1(a: number, b: number): void {
  sink.v = (sink.v + a * 4 + b) & 0x3fffffff;
}
export function x2(a: number, b: number): void {
  sink.v = (sink.v + a * 5 + b) & 0x3fffffff;
}
export function x3(a: number, b: number): void {
  sink.v = (sink.v + a * 6 + b) & 0x3fffffff;
}
export function x4(a: number, b: number): void {
  sink.v = (sink.v + a * 7 + b) & 0x3fffffff;
}
export function x5(a: number, b: number): void {
  sink.v = (sink.v + a * 8 + b) & 0x3fffffff;
}
export function x6(a: number, b: number): void {
  sink.v = (sink.v + a * 9 + b) & 0x3fffffff;
}
export function x7(a: number, b: number): void {
  sink.v = (sink.v + a * 10 + b) & 0x3fffffff;
}
export function x8(a: number, b: number): void {
  sink.v = (sink.v + a * 11 + b) & 0x3fffffff;
}
export function x9(a: number, b: number): void {
  sink.v = (sink.v + a * 12 + b) & 0x3fffffff;
}
export function x10(a: number, b: number): void {
  sink.v = (sink.v + a * 13 + b) & 0x3fffffff;
}
export function x11(a: number, b: number): void {
  sink.v = (sink.v + a * 14 + b) & 0x3fffffff;
}
export function x12(a: number, b: number): void {
  sink.v = (sink.v + a * 15 + b) & 0x3fffffff;
}
export function x13(a: number, b: number): void {
  sink.v = (sink.v + a * 16 + b) & 0x3fffffff;
}
export function x14(a: number, b: number): void {
  sink.v = (sink.v + a * 17 + b) & 0x3fffffff;
}
export function x15(a: number, b: number): void {
  sink.v = (sink.v + a * 18 + b) & 0x3fffffff;
}
export function x16(a: number, b: number): void {
  sink.v = (sink.v + a * 19 + b) & 0x3fffffff;
}
export function x17(a: number, b: number): void {
  sink.v = (sink.v + a * 20 + b) & 0x3fffffff;
}
export function x18(a: number, b: number): void {
  sink.v = (sink.v + a * 21 + b) & 0x3fffffff;
}
export function x19(a: number, b: number): void {
  sink.v = (sink.v + a * 22 + b) & 0x3fffffff;
}
export function x20(a: number, b: number): void {
  sink.v = (sink.v + a * 23 + b) & 0x3fffffff;
}
export function x21(a: number, b: number): void {
  sink.v = (sink.v + a * 24 + b) & 0x3fffffff;
}
export function x22(a: number, b: number): void {
  sink.v = (sink.v + a * 25 + b) & 0x3fffffff;
}
export function x23(a: number, b: number): void {
  sink.v = (sink.v + a * 26 + b) & 0x3fffffff;
}
export function x24(a: number, b: number): void {
  sink.v = (sink.v + a * 27 + b) & 0x3fffffff;
}
export function x25(a: number, b: number): void {
  sink.v = (sink.v + a * 28 + b) & 0x3fffffff;
}
export function x26(a: number, b: number): void {
  sink.v = (sink.v + a * 29 + b) & 0x3fffffff;
}
export function x27(a: number, b: number): void {
  sink.v = (sink.v + a * 30 + b) & 0x3fffffff;
}
export function x28(a: number, b: number): void {
  sink.v = (sink.v + a * 31 + b) & 0x3fffffff;
}
export function x29(a: number, b: number): void {
  sink.v = (sink.v + a * 32 + b) & 0x3fffffff;
}
export function x30(a: number, b: number): void {
  sink.v = (sink.v + a * 33 + b) & 0x3fffffff;
}
export function x31(a: number, b: number): void {
  sink.v = (sink.v + a * 34 + b) & 0x3fffffff;
}
export function x32(a: number, b: number): void {
  sink.v = (sink.v + a * 35 + b) & 0x3fffffff;
}
export function x33(a: number, b: number): void {
  sink.v = (sink.v + a * 36 + b) & 0x3fffffff;
}
export function x34(a: number, b: number): void {
  sink.v = (sink.v + a * 37 + b) & 0x3fffffff;
}
export function x35(a: number, b: number): void {
  sink.v = (sink.v + a * 38 + b) & 0x3fffffff;
}
export function x36(a: number, b: number): void {
  sink.v = (sink.v + a * 39 + b) & 0x3fffffff;
}
export function x37(a: number, b: number): void {
  sink.v = (sink.v + a * 40 + b) & 0x3fffffff;
}
export function x38(a: number, b: number): void {
  sink.v = (sink.v + a * 41 + b) & 0x3fffffff;
}
export function x39(a: number, b: number): void {
  sink.v = (sink.v + a * 42 + b) & 0x3fffffff;
}
export function x40(a: number, b: number): void {
  sink.v = (sink.v + a * 43 + b) & 0x3fffffff;
}
export function x41(a: number, b: number): void {
  sink.v = (sink.v + a * 44 + b) & 0x3fffffff;
}
export function x42(a: number, b: number): void {
  sink.v = (sink.v + a * 45 + b) & 0x3fffffff;
}
export function x43(a: number, b: number): void {
  sink.v = (sink.v + a * 46 + b) & 0x3fffffff;
}
export function x44(a: number, b: number): void {
  sink.v = (sink.v + a * 47 + b) & 0x3fffffff;
}
export function x45(a: number, b: number): void {
  sink.v = (sink.v + a * 48 + b) & 0x3fffffff;
}
export function x46(a: number, b: number): void {
  sink.v = (sink.v + a * 49 + b) & 0x3fffffff;
}
export function x47(a: number, b: number): void {
  sink.v = (sink.v + a * 50 + b) & 0x3fffffff;
}
export function x48(a: number, b: number): void {
  sink.v = (sink.v + a * 51 + b) & 0x3fffffff;
}
export function x49(a: number, b: number): void {
  sink.v = (sink.v + a * 52 + b) & 0x3fffffff;
}

/** The 50 sync exits, in order. */
export const X = [
  x0,
  x1,
  x2,
  x3,
  x4,
  x5,
  x6,
  x7,
  x8,
  x9,
  x10,
  x11,
  x12,
  x13,
  x14,
  x15,
  x16,
  x17,
  x18,
  x19,
  x20,
  x21,
  x22,
  x23,
  x24,
  x25,
  x26,
  x27,
  x28,
  x29,
  x30,
  x31,
  x32,
  x33,
  x34,
  x35,
  x36,
  x37,
  x38,
  x39,
  x40,
  x41,
  x42,
  x43,
  x44,
  x45,
  x46,
  x47,
  x48,
  x49,
] as const;

// The same exits as diagnostics_channel subscribers: (message, channel name).
export function d0(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 3 + msg.b) & 0x3fffffff;
}
export function d1(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 4 + msg.b) & 0x3fffffff;
}
export function d2(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 5 + msg.b) & 0x3fffffff;
}
export function d3(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 6 + msg.b) & 0x3fffffff;
}
export function d4(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 7 + msg.b) & 0x3fffffff;
}
export function d5(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 8 + msg.b) & 0x3fffffff;
}
export function d6(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 9 + msg.b) & 0x3fffffff;
}
export function d7(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 10 + msg.b) & 0x3fffffff;
}
export function d8(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 11 + msg.b) & 0x3fffffff;
}
export function d9(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 12 + msg.b) & 0x3fffffff;
}
export function d10(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 13 + msg.b) & 0x3fffffff;
}
export function d11(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 14 + msg.b) & 0x3fffffff;
}
export function d12(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 15 + msg.b) & 0x3fffffff;
}
export function d13(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 16 + msg.b) & 0x3fffffff;
}
export function d14(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 17 + msg.b) & 0x3fffffff;
}
export function d15(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 18 + msg.b) & 0x3fffffff;
}
export function d16(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 19 + msg.b) & 0x3fffffff;
}
export function d17(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 20 + msg.b) & 0x3fffffff;
}
export function d18(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 21 + msg.b) & 0x3fffffff;
}
export function d19(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 22 + msg.b) & 0x3fffffff;
}
export function d20(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 23 + msg.b) & 0x3fffffff;
}
export function d21(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 24 + msg.b) & 0x3fffffff;
}
export function d22(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 25 + msg.b) & 0x3fffffff;
}
export function d23(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 26 + msg.b) & 0x3fffffff;
}
export function d24(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 27 + msg.b) & 0x3fffffff;
}
export function d25(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 28 + msg.b) & 0x3fffffff;
}
export function d26(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 29 + msg.b) & 0x3fffffff;
}
export function d27(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 30 + msg.b) & 0x3fffffff;
}
export function d28(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 31 + msg.b) & 0x3fffffff;
}
export function d29(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 32 + msg.b) & 0x3fffffff;
}
export function d30(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 33 + msg.b) & 0x3fffffff;
}
export function d31(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 34 + msg.b) & 0x3fffffff;
}
export function d32(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 35 + msg.b) & 0x3fffffff;
}
export function d33(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 36 + msg.b) & 0x3fffffff;
}
export function d34(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 37 + msg.b) & 0x3fffffff;
}
export function d35(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 38 + msg.b) & 0x3fffffff;
}
export function d36(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 39 + msg.b) & 0x3fffffff;
}
export function d37(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 40 + msg.b) & 0x3fffffff;
}
export function d38(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 41 + msg.b) & 0x3fffffff;
}
export function d39(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 42 + msg.b) & 0x3fffffff;
}
export function d40(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 43 + msg.b) & 0x3fffffff;
}
export function d41(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 44 + msg.b) & 0x3fffffff;
}
export function d42(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 45 + msg.b) & 0x3fffffff;
}
export function d43(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 46 + msg.b) & 0x3fffffff;
}
export function d44(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 47 + msg.b) & 0x3fffffff;
}
export function d45(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 48 + msg.b) & 0x3fffffff;
}
export function d46(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 49 + msg.b) & 0x3fffffff;
}
export function d47(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 50 + msg.b) & 0x3fffffff;
}
export function d48(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 51 + msg.b) & 0x3fffffff;
}
export function d49(m: unknown): void {
  const msg = m as Msg;
  sink.v = (sink.v + msg.a * 52 + msg.b) & 0x3fffffff;
}

/** The 50 diagnostics_channel subscribers, in order. */
export const D = [
  d0,
  d1,
  d2,
  d3,
  d4,
  d5,
  d6,
  d7,
  d8,
  d9,
  d10,
  d11,
  d12,
  d13,
  d14,
  d15,
  d16,
  d17,
  d18,
  d19,
  d20,
  d21,
  d22,
  d23,
  d24,
  d25,
  d26,
  d27,
  d28,
  d29,
  d30,
  d31,
  d32,
  d33,
  d34,
  d35,
  d36,
  d37,
  d38,
  d39,
  d40,
  d41,
  d42,
  d43,
  d44,
  d45,
  d46,
  d47,
  d48,
  d49,
] as const;

// Gate exits: the first two pass (undefined), the third decides.
export function g0(a: number, b: number): number | undefined {
  sink.v = (sink.v + a * 3 + b) & 0x3fffffff;
  return undefined;
}
export function g1(a: number, b: number): number | undefined {
  sink.v = (sink.v + a * 5 + b) & 0x3fffffff;
  return undefined;
}
export function g2(a: number, b: number): number | undefined {
  return (sink.v ^ (a + b)) | 1;
}

// Waterfall exits: each returns a replacement for the first argument.
export function w0(v: number, b: number): number {
  return (v * 3 + b) & 0x3fffffff;
}
export function w1(v: number, b: number): number {
  return (v * 5 + b) & 0x3fffffff;
}
export function w2(v: number, b: number): number {
  return (v * 7 + b) & 0x3fffffff;
}

// Async exits: a little work, then an await (what an async exit is there for).
export async function a0(a: number, b: number): Promise<void> {
  sink.v = (sink.v + a * 3 + b) & 0x3fffffff;
  await undefined;
}
export async function a1(a: number, b: number): Promise<void> {
  sink.v = (sink.v + a * 5 + b) & 0x3fffffff;
  await undefined;
}
export async function a2(a: number, b: number): Promise<void> {
  sink.v = (sink.v + a * 7 + b) & 0x3fffffff;
  await undefined;
}
