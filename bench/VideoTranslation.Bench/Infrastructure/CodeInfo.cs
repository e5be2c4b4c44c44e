using System.Diagnostics;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>The code a run measured: the commit of the checkout it was built from, and whether src/ or bench/ differed from it.</summary>
public sealed record CodeInfo(string Commit, string Subject, bool Modified)
{
    public string Summary => Commit == "unknown" ? "unknown commit" : $"{Commit[..Math.Min(10, Commit.Length)]} \"{Subject}\"{(Modified ? " with uncommitted changes in src/ or bench/" : "")}";

    public static CodeInfo Current()
    {
        string? head = Git("rev-parse HEAD");
        if (head is null)
        {
            return new CodeInfo("unknown", "", false);
        }

        string status = Git("status --porcelain -- src bench") ?? "";
        return new CodeInfo(head, Git("log -1 --format=%s") ?? "", status.Length > 0);
    }

    private static string? Git(string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", $"-C \"{BuildPaths.RepoRoot}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on PATH
        }
    }
}
