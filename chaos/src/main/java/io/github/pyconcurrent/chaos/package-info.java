/**
 * {@code ./run chaos}: a seeded soak test that runs every part of the toolkit at once while a
 * fault injector kills, pauses and floods them, then counts what was lost. Python has no
 * counterpart in its standard library; the models are Jepsen's nemesis and FoundationDB's
 * simulation, and the bugs it hunts are of the kind CPython's multiprocessing still has open
 * (a pool wedged by a killed worker, a queue wedged by a killed lock holder).
 *
 * <p>The shape: {@link io.github.pyconcurrent.chaos.ChaosRun} starts the chosen
 * {@link io.github.pyconcurrent.chaos.Part}s side by side (pool, dict + Array + Lock, queue +
 * pipe, servers including a preforking one, a two-member cluster with one member in a child JVM),
 * each of which counts the work it was told succeeded in a
 * {@link io.github.pyconcurrent.chaos.PartTally}; a
 * {@link io.github.pyconcurrent.chaos.FaultInjector} seeded from {@code --seed} strikes them; a
 * {@link io.github.pyconcurrent.chaos.Watchdog} reports any caller blocked past the bound while it
 * is still blocked; at the end each part stops, drains and counts, and
 * {@link io.github.pyconcurrent.chaos.EndChecks} looks for what the run left behind. The verdict
 * rule lives in one place, {@link io.github.pyconcurrent.chaos.PartTally#failures()}, and is
 * tested on its own (a deliberately broken part must fail it).
 *
 * <p>A tool, not a library: the module is never published.
 */
package io.github.pyconcurrent.chaos;
