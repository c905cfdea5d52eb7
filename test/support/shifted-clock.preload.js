// Preloaded into the app under test (NODE_OPTIONS=--require) by shiftedClock():
// moves its clock by HAITANG_TEST_CLOCK_OFFSET_MS, so a test can put "now" at a
// chosen instant (e.g. just before midnight in Asia/Shanghai). The clock still
// ticks; only Date moves (timers and performance.now are untouched).
'use strict';
const offset = Number(process.env.HAITANG_TEST_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offset] : args, new.target);
  }
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => RealDate.now() + offset;
  globalThis.Date = ShiftedDate;
}
