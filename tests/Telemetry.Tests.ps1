# Pester 5 tests: the core's telemetry flows from the cmdlets in real pwsh (the built module, a real simulator, a real
# HttpClient). A small C# listener (Add-Type) records the spans and measurements, as an OpenTelemetry SDK or
# dotnet-counters would read them; docs/observability.md lists them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    if (-not ('TelemetryProbe' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;

public sealed class TelemetryProbe : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new MeterListener();

    public ConcurrentQueue<Activity> Spans { get; } = new ConcurrentQueue<Activity>();
    public ConcurrentQueue<KeyValuePair<string, double>> Measurements { get; } = new ConcurrentQueue<KeyValuePair<string, double>>();
    public ConcurrentQueue<string> MeasurementTags { get; } = new ConcurrentQueue<string>();

    public TelemetryProbe()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "VideoTranslation" || s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Spans.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (i, l) => { if (i.Meter.Name == "VideoTranslation") l.EnableMeasurementEvents(i); };
        _meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _meters.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object>> tags)
    {
        Measurements.Enqueue(new KeyValuePair<string, double>(instrument.Name, value));
        MeasurementTags.Enqueue(instrument.Name + " " + string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value)));
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }
}
'@
    }

    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -ErrorAction Stop
    $uri = $sim.Uri
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Telemetry from the cmdlets' {
    BeforeEach { $probe = [TelemetryProbe]::new() }
    AfterEach { $probe.Dispose() }

    It 'a Wait-TranslationJob is a wait span with its checks beneath it, and the HttpClient''s request spans beneath those' {
        $job = New-TranslationJob -Uri $uri -DelaySec 0.5

        $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.2

        $result.Succeeded | Should -BeTrue
        $spans = @($probe.Spans.ToArray())
        $wait = @($spans | Where-Object { $_.OperationName -eq 'video_translation.wait' -and $_.GetTagItem('video_translation.job.id') -eq $job.Id })
        $wait | Should -HaveCount 1
        $wait[0].GetTagItem('video_translation.service') | Should -Be 'Simulator'
        $wait[0].GetTagItem('video_translation.strategy') | Should -Be 'Fixed'
        $wait[0].GetTagItem('video_translation.outcome') | Should -Be 'completed'
        $wait[0].GetTagItem('video_translation.checks') | Should -Be $result.Attempts
        $wait[0].GetTagItem('video_translation.detection.lateness') | Should -BeGreaterOrEqual 0
        $checks = @($spans | Where-Object { $_.OperationName -eq 'video_translation.check' -and $_.ParentSpanId -eq $wait[0].SpanId })
        $checks | Should -HaveCount $result.Attempts
        $requests = @($spans | Where-Object { $_.Source.Name -eq 'System.Net.Http' -and $_.ParentSpanId -in @($checks.SpanId) })
        $requests | Should -HaveCount $result.Attempts -Because 'each check''s GET is the HttpClient''s span beneath that check'
        @($requests.Kind | Select-Object -Unique) | Should -Be 'Client'
        $create = @($spans | Where-Object { $_.OperationName -eq 'video_translation.create' })
        $create | Should -HaveCount 1
    }

    It 'the wait''s detection lateness and duration are measured, tagged by service and strategy, never by job' {
        $job = New-TranslationJob -Uri $uri -DelaySec 0.5

        $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.2

        $lateness = @($probe.Measurements.ToArray() | Where-Object Key -eq 'video_translation.detection.lateness')
        $lateness | Should -HaveCount 1
        $lateness[0].Value | Should -Be $result.DetectionLateness.TotalSeconds
        @($probe.Measurements.ToArray() | Where-Object Key -eq 'video_translation.wait.duration') | Should -HaveCount 1
        $tags = @($probe.MeasurementTags.ToArray())
        $tags | Should -Contain 'video_translation.detection.lateness video_translation.service=Simulator,video_translation.strategy=Fixed,video_translation.job.state=completed'
        $tags | Where-Object { $_ -like "*$($job.Id)*" } | Should -BeNullOrEmpty
    }

    It 'a Get-TranslationStatus is one check span of its own' {
        $job = New-TranslationJob -Uri $uri -DelaySec 0.5

        $null = Get-TranslationStatus -Uri $uri -JobId $job.Id

        $check = @($probe.Spans.ToArray() | Where-Object { $_.OperationName -eq 'video_translation.check' -and $_.GetTagItem('video_translation.job.id') -eq $job.Id })
        $check | Should -HaveCount 1
        $check[0].GetTagItem('video_translation.job.state') | Should -Be 'pending'
    }
}
