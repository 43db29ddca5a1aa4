import { type ChaosReport, runChaos } from '../support/chaos-run';
import { type Moto, startMoto } from '../../examples/emulator/moto';
import { describeWithEmulator } from '../support/describe-with-emulator';

describeWithEmulator('chaos: 200 findings end to end with 20% of AWS calls failing', () => {
  let moto: Moto;
  let report: ChaosReport;

  beforeAll(async () => {
    moto = await startMoto();
    report = await runChaos(moto, { findings: 200, rate: 0.2, seed: 20261201 });
    process.stdout.write(`\nchaos: ${JSON.stringify(report, null, 1)}\n`);
  }, 180_000);
  afterAll(() => moto?.stop());

  it('injected every kind of failure, at about the rate asked', () => {
    expect(report.findings).toBe(200);
    for (const kind of ['throttle', 'server-error', 'timeout', 'drop', 'drop-after-response']) expect(report.httpFaults[kind]).toBeGreaterThan(0);
    const httpFaults = Object.values(report.httpFaults).reduce((sum, count) => sum + count, 0);
    expect(httpFaults / report.awsCalls).toBeGreaterThan(0.15);
    expect(report.workflowFaults).toBeGreaterThan(50);
  });

  it('every finding ends in exactly one terminal audit record', () => {
    expect(report.withoutOneTerminal).toEqual([]);
    expect(Object.values(report.terminal).reduce((sum, count) => sum + count, 0)).toBe(200);
  });

  it('no resource is changed twice, and every one not recorded FAILED is fixed', () => {
    expect(report.changedTwice).toEqual([]);
    // A FAILED finding (retries exhausted) is ticketed, not fixed: timing decides whether one occurs.
    expect(report.stillNoncompliant.length).toBeLessThanOrEqual(report.terminal['FAILED'] ?? 0);
    expect(report.terminal['REMEDIATED'] ?? 0).toBeGreaterThanOrEqual(190);
  });

  // Failed (it.failing) until the remediators kept each fix's undo (remediators/applied-fixes.ts): when the
  // invocation failed after the fix landed, the retried apply found the resource compliant and returned no
  // undo, so the REMEDIATED record could not be undone (6 to 15 of 200).
  it('every REMEDIATED record carries the undo, even when the invocation failed after the fix', () => {
    expect(report.remediatedWithoutUndo).toEqual([]);
  });
});
