import { motoAvailable, startMoto } from '../examples/emulator/moto';
import { type ChaosReport, runChaos } from '../test/support/chaos-run';

/** The chaos run of the test suite (test/chaos), measured: counts and seconds. `undefined` without moto_server. */
export async function benchChaos(): Promise<(ChaosReport & { seconds: number }) | undefined> {
  if (!motoAvailable()) return undefined;
  const moto = await startMoto();
  try {
    const started = performance.now();
    const report = await runChaos(moto, { findings: 200, rate: 0.2, seed: 20261201 });
    return { ...report, seconds: (performance.now() - started) / 1000 };
  } finally {
    await moto.stop();
  }
}
