using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;

namespace VideoTranslation.PowerShell;

/// <summary>
/// The simulators started in this process, and by which runspace. A simulator is stopped when the runspace that
/// started it closes, and (through --parent-pid) when this process exits.
/// </summary>
internal static class SimulatorRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<(TranslationSimulator Simulator, Runspace? Owner)> s_running = new();
    private static readonly HashSet<Runspace> s_watched = new();

    static SimulatorRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(_ => true);
    }

    public static void Add(TranslationSimulator simulator, Runspace? owner)
    {
        lock (s_lock)
        {
            s_running.Add((simulator, owner));
            if (owner is not null && s_watched.Add(owner))
            {
                owner.StateChanged += OnRunspaceStateChanged;
            }
        }
    }

    /// <summary>The running simulators, in start order; exited ones are dropped.</summary>
    public static TranslationSimulator[] Running()
    {
        lock (s_lock)
        {
            s_running.RemoveAll(entry => !entry.Simulator.IsRunning);
            return s_running.Select(entry => entry.Simulator).ToArray();
        }
    }

    public static TranslationSimulator? Find(int processId) => Running().FirstOrDefault(s => s.ProcessId == processId);

    public static void Stop(TranslationSimulator simulator)
    {
        SimulatorLauncher.Kill(simulator.Process);
        lock (s_lock)
        {
            s_running.RemoveAll(entry => ReferenceEquals(entry.Simulator, simulator));
        }
    }

    private static void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is Runspace runspace && e.RunspaceStateInfo.State is RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)
        {
            StopAll(owner => ReferenceEquals(owner, runspace));
            lock (s_lock)
            {
                if (s_watched.Remove(runspace))
                {
                    runspace.StateChanged -= OnRunspaceStateChanged;
                }
            }
        }
    }

    private static void StopAll(Func<Runspace?, bool> owned)
    {
        TranslationSimulator[] doomed;
        lock (s_lock)
        {
            doomed = s_running.Where(entry => owned(entry.Owner)).Select(entry => entry.Simulator).ToArray();
        }

        foreach (TranslationSimulator simulator in doomed)
        {
            Stop(simulator);
        }
    }
}
